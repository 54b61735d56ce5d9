// Variants of one spelling of a profile value: percent-encoded (single, double, '+' for spaces), JSON \u escapes,
// hex, UTF-16BE hex, base64 at the three byte alignments (found inside a longer blob without decoding it) in the
// standard and URL-safe alphabets, and MD5/SHA-1/SHA-256 digests in hex, 16-hex prefixes, the middle 16 of MD5,
// and base64 of the raw digest. All patterns are lower-case: the matcher scans lower-cased text.
import { createHash } from 'node:crypto';

/**
 * What may stand next to a match: 0 anything, 1 no digit, 2 no [0-9a-z], 3 no hex digit, 4 no base64 character,
 * 5 no CJK character (a short CJK name inside a longer CJK text is another word).
 */
export type Edge = 0 | 1 | 2 | 3 | 4 | 5;

export interface Variant {
  pattern: string;
  /** Encodings undone to reach the value from this spelling, e.g. ['url'], ['base64'], ['sha1-hex']. */
  encodings: string[];
  left: Edge;
  right: Edge;
  /** Hex digests: report '-upper' when the text spelled them in capitals. */
  hexDigest?: boolean;
}

const MIN_PLAIN = 4;
const MIN_ENCODED = 8;

function edgeFor(ch: string | undefined, form: string): Edge {
  if (ch === undefined) return 0;
  if (/^[0-9a-f]+$/i.test(form) && /[a-f]/i.test(form)) return 3; // hex identifiers: no hex digit around
  if (/[0-9]/.test(ch)) return /^\d+$/.test(form) ? 3 : 1;
  if (/[a-z]/i.test(ch)) return 2;
  return 0;
}

/** The stable base64 substrings of `bytes` placed at byte offsets 0, 1 and 2 of a longer stream. */
export function base64Alignments(bytes: Buffer): { chunk: string; offset: number }[] {
  const out: { chunk: string; offset: number }[] = [];
  for (const a of [0, 1, 2]) {
    const enc = Buffer.concat([Buffer.alloc(a), bytes]).toString('base64').replace(/=+$/, '');
    const n = a + bytes.length;
    const start = a === 0 ? 0 : a === 1 ? 2 : 3;
    const r = n % 3;
    const end = Math.floor(n / 3) * 4 + (r === 1 ? 1 : r === 2 ? 2 : 0);
    if (end > start) out.push({ chunk: enc.slice(start, end), offset: a });
  }
  return out;
}

/** Non-ASCII characters as JSON \uXXXX escapes (lower-case hex, UTF-16 units): the matcher scans ASCII only. */
export function uescape(s: string): string {
  return s.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function ucs2Hex(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
}

/** Free text (names, SSIDs) must not sit inside a longer word: "Home" is not found in "com.home.app2". */
function textEdge(ch: string | undefined): Edge {
  return ch !== undefined && /[0-9a-z]/i.test(ch) ? 2 : 0;
}

/**
 * Variants of a spelling as text (everything but digests). `freeText`: word boundaries instead of identifier
 * boundaries; `chunk`: none at all (a slice of a longer message).
 */
export function textVariants(form: string, freeText = false, chunk = false): Variant[] {
  const out: Variant[] = [];
  const lower = form.toLowerCase();
  const left = chunk ? 0 : freeText ? textEdge(form[0]) : edgeFor(form[0], form);
  const right = chunk ? 0 : freeText ? textEdge(form[form.length - 1]) : edgeFor(form[form.length - 1], form);
  if ([...form].length >= MIN_PLAIN || /^\d{4,}$/.test(form)) out.push({ pattern: lower, encodings: [], left, right });
  const url1 = encodeURIComponent(form);
  if (url1 !== form) {
    out.push({ pattern: url1.toLowerCase(), encodings: ['url'], left, right });
    const plus = url1.replace(/%20/g, '+');
    if (plus !== url1) out.push({ pattern: plus.toLowerCase(), encodings: ['url'], left, right });
    out.push({ pattern: encodeURIComponent(url1).toLowerCase(), encodings: ['url', 'url'], left, right });
  }
  if (/[^\x20-\x7e]/.test(form)) out.push({ pattern: uescape(form).toLowerCase(), encodings: ['uescape'], left: 0, right: 0 });
  const bytes = Buffer.from(form, 'utf8');
  if (bytes.length >= 4) {
    out.push({ pattern: bytes.toString('hex'), encodings: ['hex'], left: 3, right: 3 });
    out.push({ pattern: ucs2Hex(form), encodings: ['ucs2-hex'], left: 3, right: 3 });
  }
  for (const { chunk, offset } of base64Alignments(bytes)) {
    const minLen = offset === 0 ? MIN_ENCODED - 2 : MIN_ENCODED + 2;
    if (chunk.length < minLen) continue;
    const edge: Edge = offset === 0 && chunk.length < MIN_ENCODED + 4 ? 4 : 0;
    out.push({ pattern: chunk.toLowerCase(), encodings: ['base64'], left: edge, right: 0 });
    const urlSafe = chunk.replace(/\+/g, '-').replace(/\//g, '_');
    if (urlSafe !== chunk) out.push({ pattern: urlSafe.toLowerCase(), encodings: ['base64url'], left: edge, right: 0 });
  }
  return out;
}

/** Digest variants of a spelling: md5/sha1/sha256 in hex, 16-hex prefixes, MD5's middle 16, base64 of the digest. */
export function digestVariants(form: string): Variant[] {
  const out: Variant[] = [];
  for (const algo of ['md5', 'sha1', 'sha256'] as const) {
    const digest = createHash(algo).update(form, 'utf8').digest();
    const hex = digest.toString('hex');
    out.push({ pattern: hex, encodings: [`${algo}-hex`], left: 3, right: 3, hexDigest: true });
    out.push({ pattern: hex.slice(0, 16), encodings: [`${algo}-hex16`], left: 3, right: 3, hexDigest: true });
    if (algo === 'md5') out.push({ pattern: hex.slice(8, 24), encodings: ['md5-hex16mid'], left: 3, right: 3, hexDigest: true });
    const b64 = digest.toString('base64').replace(/=+$/, '');
    out.push({ pattern: b64.toLowerCase(), encodings: [`${algo}-b64`], left: 4, right: 4 });
    const b64url = digest.toString('base64url');
    if (b64url !== b64) out.push({ pattern: b64url.toLowerCase(), encodings: [`${algo}-b64`], left: 4, right: 4 });
  }
  return out;
}
