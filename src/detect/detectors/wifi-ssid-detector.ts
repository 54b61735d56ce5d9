// Wi-Fi SSID: any network name under an SSID key (Android quotes it; "<unknown ssid>" is a placeholder).
import { SSID_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

export class WifiSsidDetector implements PatternDetector {
  readonly kind = 'wifi_ssid' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    if (!keyIn(ctx.key, SSID_KEYS)) return undefined;
    const v = value.trim().replace(/^"(.*)"$/, '$1');
    if (v === '' || v.length > 32 || /^<unknown ssid>$/i.test(v) || /^0x$/i.test(v)) return undefined;
    return { kind: this.kind, value: v, confidence: 'medium' };
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('SSID', m, ctx, 'network name');
  }
}
