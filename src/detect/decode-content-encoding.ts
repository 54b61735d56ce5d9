// Content-Encoding layer: gzip / x-gzip / deflate (zlib-wrapped or raw) / br / zstd, possibly stacked ("gzip, br").
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';

export type ContentDecodeResult = { ok: true; bytes: Buffer; layers: string[] } | { ok: false; error: string };

/** Upper bound of decompressed output per layer; a bigger result is treated as a bomb. */
export const MAX_DECODED_BYTES = 32 * 1024 * 1024;

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

export function hasGzipMagic(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === GZIP_MAGIC[0] && b[1] === GZIP_MAGIC[1];
}

export function hasZstdMagic(b: Uint8Array): boolean {
  return b.length >= 4 && ZSTD_MAGIC.every((m, i) => b[i] === m);
}

function reason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/^(?:Error: )?/, '');
}

/** Decodes one content coding; throws with a message naming what broke. */
export function decodeOneLayer(body: Uint8Array, coding: string, maxOutput = MAX_DECODED_BYTES): Buffer {
  const opts = { maxOutputLength: maxOutput };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body, opts);
    case 'deflate': {
      // RFC 9110 says zlib-wrapped; many servers send raw deflate. The zlib header's first byte is 0x?8.
      const looksZlib = body.length >= 2 && (body[0]! & 0x0f) === 8 && ((body[0]! << 8) | body[1]!) % 31 === 0;
      if (looksZlib) return inflateSync(body, opts);
      return inflateRawSync(body, opts);
    }
    case 'br':
      return brotliDecompressSync(body, opts);
    case 'zstd': {
      const out = zstdDecompress(body instanceof Uint8Array ? body : new Uint8Array(body));
      if (out.length > maxOutput) throw new Error('output too large');
      return Buffer.from(out.buffer, out.byteOffset, out.length);
    }
    default:
      throw new Error(`unsupported content-encoding "${coding}"`);
  }
}

/**
 * Undoes a Content-Encoding header's codings, last applied first. `identity` and empty entries are skipped.
 * On failure the error names the coding and what broke, e.g. "gzip: unexpected end of file"; output beyond
 * `maxOutput` bytes per layer is refused as a bomb.
 */
export function decodeContentEncoding(body: Uint8Array, contentEncoding: string | undefined, maxOutput = MAX_DECODED_BYTES): ContentDecodeResult {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const layers: string[] = [];
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!;
    try {
      bytes = decodeOneLayer(bytes, coding, maxOutput);
    } catch (e) {
      return { ok: false, error: `${coding}: ${reason(e)}` };
    }
    layers.push(coding === 'x-gzip' ? 'gzip' : coding);
  }
  return { ok: true, bytes, layers };
}
