// MAC addresses: 6 hex octets (':' or '-' separated; bare 12 hex only under a MAC key). The Android placeholder
// 02:00:00:00:00:00, all-zero, broadcast and multicast addresses are not identifiers.
import { MAC_KEYS, BSSID_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

const SEPARATED = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(?:\1[0-9a-fA-F]{2}){4}$/;

/** Normalised 'aa:bb:cc:dd:ee:ff' when the text is a MAC address of a real interface, else undefined. */
export function parseMac(text: string, allowBare: boolean): string | undefined {
  const v = text.trim();
  let hex: string;
  if (SEPARATED.test(v)) hex = v.replace(/[:-]/g, '');
  else if (allowBare && /^[0-9a-fA-F]{12}$/.test(v)) hex = v;
  else return undefined;
  hex = hex.toLowerCase();
  if (hex === '020000000000' || /^0+$/.test(hex) || /^f+$/.test(hex)) return undefined;
  if (parseInt(hex.slice(0, 2), 16) & 1) return undefined; // multicast
  return hex.match(/../g)!.join(':');
}

export class MacAddressDetector implements PatternDetector {
  readonly kind = 'mac_address' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    if (keyIn(ctx.key, BSSID_KEYS)) return undefined; // the BSSID detector's
    const keyed = keyIn(ctx.key, MAC_KEYS);
    const mac = parseMac(value, keyed);
    if (!mac) return undefined;
    return { kind: this.kind, value: mac, confidence: keyed ? 'medium' : 'low' };
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('MAC', m, ctx, 'MAC address');
  }
}
