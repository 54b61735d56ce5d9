// Advertising IDs (AAID/GAID, IDFA, OAID): a UUID under an advertising-ID key; the all-zero ID means opted out.
import { ADID_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

export class AdvertisingIdDetector implements PatternDetector {
  readonly kind = 'advertising_id' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    if (!keyIn(ctx.key, ADID_KEYS)) return undefined; // request/trace UUIDs look the same
    const v = value.trim();
    if (!UUID.test(v) || /^[0-]+$/.test(v)) return undefined;
    const hex = v.replace(/-/g, '').toLowerCase();
    const dashed = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return { kind: this.kind, value: dashed, confidence: 'medium' };
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('advertising-ID', m, ctx, 'UUID');
  }
}
