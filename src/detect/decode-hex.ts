// Hex leaves: bytes as text (hex / hex-upper), or UTF-16BE text as in SMS PDUs (ucs2-hex).
import { plausibleText } from './text-plausibility.js';

/** Hex text (even length ≥ 8) to bytes; 'hex' or 'hex-upper' by the letters' case. */
export function hexDecodeLeaf(text: string): { bytes: Buffer; variant: 'hex' | 'hex-upper' } | undefined {
  const t = text.trim();
  if (t.length < 8 || t.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(t)) return undefined;
  const variant = /[A-F]/.test(t) && !/[a-f]/.test(t) ? 'hex-upper' : 'hex';
  return { bytes: Buffer.from(t, 'hex'), variant };
}

/** UTF-16BE bytes (as in SMS PDUs) as printable text, else undefined. */
export function ucs2BeAsText(bytes: Uint8Array): string | undefined {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return undefined;
  let s = '';
  for (let i = 0; i < bytes.length; i += 2) s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/.test(s)) return undefined;
  return plausibleText(s, 6) ? s : undefined;
}
