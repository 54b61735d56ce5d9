// IMEI: 15 digits with a Luhn check digit and a plausible reporting-body prefix; 14 digits (no check digit) and
// 16-digit IMEISV only under an IMEI key.
import { luhnValid } from '../luhn.js';
import { IMEI_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

/** Reporting-body identifiers (first two digits of a TAC) in use. */
const RBI = new Set(['01', '10', '30', '33', '35', '44', '45', '49', '50', '51', '52', '53', '54', '86', '91', '98', '99']);

export function plausibleImei(d: string): boolean {
  return /^\d{15}$/.test(d) && RBI.has(d.slice(0, 2)) && luhnValid(d) && !/^(\d)\1+$/.test(d.slice(2, 14));
}

export class ImeiDetector implements PatternDetector {
  readonly kind = 'imei' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    const v = value.trim();
    const keyed = keyIn(ctx.key, IMEI_KEYS);
    if (plausibleImei(v)) return { kind: this.kind, value: v, confidence: keyed ? 'medium' : 'low' };
    if (keyed && /^\d{14}$/.test(v) && RBI.has(v.slice(0, 2))) return { kind: this.kind, value: v, confidence: 'medium' };
    if (keyed && /^\d{16}$/.test(v) && RBI.has(v.slice(0, 2))) return { kind: this.kind, value: v, confidence: 'medium' };
    return undefined;
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('IMEI', m, ctx, 'IMEI format (reporting-body prefix, Luhn)');
  }
}
