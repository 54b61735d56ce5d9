// Android ID (SSAID): 16 hex digits (15 when a leading zero was dropped) under an Android-ID key.
// The well-known shared value of early emulators/devices, 9774d56d682e549c, is not an identifier.
import { ANDROID_ID_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

export class AndroidIdDetector implements PatternDetector {
  readonly kind = 'android_id' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    if (!keyIn(ctx.key, ANDROID_ID_KEYS)) return undefined;
    const v = value.trim().toLowerCase();
    if (!/^[0-9a-f]{15,16}$/.test(v) || !/[a-f]/.test(v) || !/\d/.test(v)) return undefined;
    if (v === '9774d56d682e549c') return undefined;
    return { kind: this.kind, value: v, confidence: 'medium' };
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('Android-ID', m, ctx, '16 hex digits');
  }
}
