// Leaf text transforms: percent-decoding, base64 (standard, URL-safe, unpadded), hex and UTF-16BE hex.
// Each returns undefined unless the decoded result is plausible (printable text, or a known magic such as gzip).
import { asPrintableUtf8 } from './decode-protobuf.js';

/** One more level of percent-encoding, when the text holds %XX escapes. */
export function urlDecodeLeaf(text: string): string | undefined {
  if (!/%[0-9a-fA-F]{2}/.test(text)) return undefined;
  try {
    const out = decodeURIComponent(text.replace(/\+/g, ' '));
    return out === text ? undefined : out;
  } catch {
    return undefined;
  }
}

export interface Base64Decoded {
  bytes: Buffer;
  /** 'base64' (padded standard), 'base64url' (URL-safe alphabet), 'base64-nopad' (standard, no padding). */
  variant: 'base64' | 'base64url' | 'base64-nopad';
}

const B64_RE = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Decodes a leaf that is entirely base64 (≥ 8 characters, not pure digits or pure hex). */
export function base64DecodeLeaf(text: string): Base64Decoded | undefined {
  let t = text.trim();
  if (t.length >= 64 && /[\r\n]/.test(t)) t = t.replace(/[\r\n]+/g, ''); // MIME-style line breaks
  if (t.length < 8 || !B64_RE.test(t)) return undefined;
  // Digits, hex, UUIDs and lower-case words are not base64 of anything (identifiers' base64 has digits or capitals).
  if (/^[0-9a-fA-F-]+$/.test(t) || /^[a-z_-]+$/.test(t)) return undefined;
  const urlSafe = /[-_]/.test(t);
  if (urlSafe && /[+/]/.test(t)) return undefined;
  const body = t.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  const padded = t.endsWith('=');
  if (padded && t.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(body, urlSafe ? 'base64url' : 'base64');
  if (bytes.length === 0) return undefined;
  const variant = urlSafe ? 'base64url' : padded || body.length % 4 === 0 ? 'base64' : 'base64-nopad';
  return { bytes, variant };
}

/** Hex text (even length ≥ 8) to bytes; 'hex' or 'hex-upper' by the letters' case. */
export function hexDecodeLeaf(text: string): { bytes: Buffer; variant: 'hex' | 'hex-upper' } | undefined {
  const t = text.trim();
  if (t.length < 8 || t.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(t)) return undefined;
  const variant = /[A-F]/.test(t) && !/[a-f]/.test(t) ? 'hex-upper' : 'hex';
  return { bytes: Buffer.from(t, 'hex'), variant };
}

/**
 * True when decoded text reads like text rather than random bytes that happen to decode: printable ASCII; or CJK
 * text (with ASCII and CJK punctuation); or mostly-ASCII text with some Latin letters.
 */
export function plausibleText(s: string, minCjk = 1): boolean {
  if (s.length === 0) return false;
  if (/^[\x20-\x7e\t\r\n]*$/.test(s)) return true;
  let ascii = 0;
  let cjk = 0;
  let latin = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x20 && c <= 0x7e) || c === 9 || c === 10 || c === 13) ascii++;
    else if ((c >= 0x3000 && c <= 0x303f) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xff00 && c <= 0xffef)) cjk++;
    else if (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) latin++;
    else return false;
  }
  if (cjk > 0) return cjk >= minCjk && latin === 0;
  return latin === 0 || ascii / (ascii + latin) >= 0.75;
}

/** Bytes as printable, plausible UTF-8 text, else undefined. */
export function bytesAsText(bytes: Uint8Array): string | undefined {
  const t = asPrintableUtf8(bytes);
  return t !== undefined && plausibleText(t) ? t : undefined;
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
