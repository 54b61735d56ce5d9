// Phone numbers: valid mobile (or mobile-or-fixed) numbers by libphonenumber-js, under a phone key.
// Timestamps, order numbers and 400/800 hotlines fail the type check or the key check.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { PHONE_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

export class PhoneNumberDetector implements PatternDetector {
  readonly kind = 'phone_number' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    const v = value.trim();
    if (!/^\+?[\d\s().-]{7,20}$/.test(v)) return undefined;
    const digits = v.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15) return undefined;
    if (!keyIn(ctx.key, PHONE_KEYS)) return undefined;
    const international = v.startsWith('+') || digits.startsWith('00');
    const text = digits.startsWith('00') ? `+${digits.slice(2)}` : v;
    const p = parsePhoneNumberFromString(text, international ? undefined : (ctx.region as CountryCode | undefined));
    if (!p || !p.isValid()) return undefined;
    const type = p.getType();
    if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return undefined;
    return { kind: this.kind, value: p.number, confidence: 'medium' };
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('phone', m, ctx, 'valid mobile number (libphonenumber)');
  }
}
