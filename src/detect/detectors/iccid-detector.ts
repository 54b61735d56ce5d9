// ICCID: "89" + 17–20 more digits with a Luhn check digit (optionally F-padded).
import { luhnValid } from '../luhn.js';
import { ICCID_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

export class IccidDetector implements PatternDetector {
  readonly kind = 'iccid' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    const v = value.trim().replace(/[fF]$/, '');
    if (!/^89\d{17,20}$/.test(v)) return undefined;
    const keyed = keyIn(ctx.key, ICCID_KEYS);
    if (luhnValid(v)) return { kind: this.kind, value: v, confidence: keyed ? 'medium' : 'low' };
    // Some SIMs report 19 digits without the check digit.
    if (keyed && v.length === 19) return { kind: this.kind, value: v, confidence: 'medium' };
    return undefined;
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('ICCID', m, ctx, 'ICCID format (89…, Luhn)');
  }
}
