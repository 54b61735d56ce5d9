// Wi-Fi BSSID: a MAC address under a BSSID key (the access point's address gives the phone's location).
import { parseMac } from './mac-address-detector.js';
import { BSSID_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

export class WifiBssidDetector implements PatternDetector {
  readonly kind = 'wifi_bssid' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    if (!keyIn(ctx.key, BSSID_KEYS)) return undefined;
    const mac = parseMac(value, true);
    return mac ? { kind: this.kind, value: mac, confidence: 'medium' } : undefined;
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('BSSID', m, ctx, 'MAC-format BSSID');
  }
}
