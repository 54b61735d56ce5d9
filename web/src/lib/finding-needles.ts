// What to highlight for a finding: the value itself and the encoded forms its chain says it travelled in
// (URL-encoded, base64, hex, SHA-1/SHA-256 hex). MD5 is not in WebCrypto, so an MD5 form is not highlighted.
import type { Finding } from './api-types.js';

async function digestHex(algorithm: 'SHA-1' | 'SHA-256', text: string): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined; // only in secure contexts (localhost counts)
  const digest = await crypto.subtle.digest(algorithm, new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function toHex(text: string): string {
  return [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface Needle {
  text: string;
  finding: Finding;
}

export async function needlesFor(findings: readonly Finding[]): Promise<Needle[]> {
  const needles: Needle[] = [];
  for (const finding of findings) {
    const value = finding.value;
    if (!value || value.length < 3) continue;
    const forms = new Set<string>([value, encodeURIComponent(value)]);
    const chain = finding.encodings.join(' ');
    if (/base64/.test(chain)) forms.add(toBase64(value)).add(toBase64(value).replace(/=+$/, ''));
    if (/hex/.test(chain) && !/sha|md5/.test(chain)) forms.add(toHex(value));
    if (/sha1/.test(chain)) {
      const h = await digestHex('SHA-1', value);
      if (h) forms.add(h).add(h.toUpperCase());
    }
    if (/sha256/.test(chain)) {
      const h = await digestHex('SHA-256', value);
      if (h) forms.add(h).add(h.toUpperCase());
    }
    for (const text of forms) if (text.length >= 3) needles.push({ text, finding });
  }
  // Longest first, so a hash wins over a shorter value inside it.
  return needles.sort((a, b) => b.text.length - a.text.length);
}

export interface Segment {
  text: string;
  finding?: Finding;
}

/** Splits text into plain and matched segments (rendered as text nodes and <mark>, never as HTML). */
export function splitByNeedles(text: string, needles: readonly Needle[]): Segment[] {
  if (needles.length === 0 || text.length === 0) return [{ text }];
  const hits: { start: number; end: number; finding: Finding }[] = [];
  for (const needle of needles) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(needle.text, from);
      if (at < 0) break;
      const end = at + needle.text.length;
      if (!hits.some((h) => at < h.end && end > h.start)) hits.push({ start: at, end, finding: needle.finding });
      from = end;
      if (hits.length > 500) break;
    }
  }
  if (hits.length === 0) return [{ text }];
  hits.sort((a, b) => a.start - b.start);
  const segments: Segment[] = [];
  let at = 0;
  for (const hit of hits) {
    if (hit.start > at) segments.push({ text: text.slice(at, hit.start) });
    segments.push({ text: text.slice(hit.start, hit.end), finding: hit.finding });
    at = hit.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at) });
  return segments;
}
