// Payment card numbers: 13–19 digits, a known issuer prefix, Luhn, under a card key (Luhn alone passes 10%).
import { luhnValid } from '../luhn.js';
import { CARD_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

const ISSUER = /^(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5|4[4-9]|22)|35|62|30[0-5]|36|38)/;

export class CreditCardDetector implements PatternDetector {
  readonly kind = 'credit_card' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    const v = value.trim();
    if (!/^[\d -]{13,23}$/.test(v)) return undefined;
    const d = v.replace(/\D/g, '');
    if (d.length < 13 || d.length > 19 || !ISSUER.test(d) || !luhnValid(d)) return undefined;
    if (!keyIn(ctx.key, CARD_KEYS)) return undefined;
    return { kind: this.kind, value: d, confidence: 'medium' };
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('card', m, ctx, 'card number (issuer prefix, Luhn)');
  }
}
