// Whether decoded bytes are text: valid UTF-8 without control characters, and plausible (not random bytes that
// happen to decode). Shared by the base64, hex and protobuf decoders.
import { isUtf8 } from 'node:buffer';

/** Printable UTF-8 text (no control bytes other than tab/CR/LF), or undefined. */
export function asPrintableUtf8(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || !isUtf8(bytes)) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(text)) return undefined;
  return text;
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
