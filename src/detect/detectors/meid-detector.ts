// MEID: 14 hex digits whose first byte is A0–FF (globally administered), under an IMEI/MEID key.
import { IMEI_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

export class MeidDetector implements PatternDetector {
  readonly kind = 'meid' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    const v = value.trim();
    if (!/^[a-fA-F][0-9a-fA-F]{13}$/.test(v) || !/[a-fA-F]/.test(v.slice(2))) return undefined;
    if (!keyIn(ctx.key, IMEI_KEYS)) return undefined;
    return { kind: this.kind, value: v.toUpperCase(), confidence: 'medium' };
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('MEID', m, ctx, 'MEID format (14 hex, first byte A0–FF)');
  }
}
