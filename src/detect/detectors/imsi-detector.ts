// IMSI: 14–15 digits whose MCC/MNC is a real network (mcc-mnc-list), under an IMSI key.
import { imsiOperator } from './mcc-mnc.js';
import { IMSI_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

export class ImsiDetector implements PatternDetector {
  readonly kind = 'imsi' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    const v = value.trim();
    if (!/^\d{14,15}$/.test(v) || !keyIn(ctx.key, IMSI_KEYS)) return undefined;
    if (imsiOperator(v) === undefined) return undefined;
    return { kind: this.kind, value: v, confidence: 'medium' };
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('IMSI', m, ctx, `IMSI of ${imsiOperator(m.value) ?? 'a known network'}`);
  }
}
