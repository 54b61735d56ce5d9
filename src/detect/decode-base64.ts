// base64 leaves: standard, URL-safe and unpadded alphabets (and MIME line breaks), named for the encodings chain.

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
