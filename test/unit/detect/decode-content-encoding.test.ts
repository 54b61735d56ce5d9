import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { decodeContentEncoding } from '../../../src/detect/index.js';

const text = '{"imei":"868828661312806"}';
const raw = Buffer.from(text);
// `printf '{"imei":"868828661312806"}' | zstd -c | base64` (Node 20 has no zstd compressor).
const zstdFrame = Buffer.from('KLUv/QRY0QAAeyJpbWVpIjoiODY4ODI4NjYxMzEyODA2In1+GtnH', 'base64');

function decoded(body: Uint8Array, enc: string | undefined): { text: string; layers: string[] } {
  const r = decodeContentEncoding(body, enc);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return { text: r.bytes.toString('utf8'), layers: r.layers };
}

describe('decodeContentEncoding', () => {
  it('passes bodies without a coding (or identity) through', () => {
    assert.deepEqual(decoded(raw, undefined), { text, layers: [] });
    assert.deepEqual(decoded(raw, 'identity'), { text, layers: [] });
  });
  it('decodes gzip and x-gzip', () => {
    assert.deepEqual(decoded(gzipSync(raw), 'gzip'), { text, layers: ['gzip'] });
    assert.deepEqual(decoded(gzipSync(raw), 'X-GZIP'), { text, layers: ['gzip'] });
  });
  it('decodes deflate both zlib-wrapped and raw', () => {
    assert.equal(decoded(deflateSync(raw), 'deflate').text, text);
    assert.equal(decoded(deflateRawSync(raw), 'deflate').text, text);
  });
  it('decodes br and zstd', () => {
    assert.equal(decoded(brotliCompressSync(raw), 'br').text, text);
    assert.deepEqual(decoded(zstdFrame, 'zstd'), { text, layers: ['zstd'] });
  });
  it('undoes stacked codings last-applied first', () => {
    const body = brotliCompressSync(gzipSync(raw)); // "gzip, br": gzip applied first, then br
    assert.deepEqual(decoded(body, 'gzip, br'), { text, layers: ['br', 'gzip'] });
  });
  it('says which coding broke and how', () => {
    const truncated = gzipSync(raw).subarray(0, 12);
    const r = decodeContentEncoding(truncated, 'gzip');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /^gzip: unexpected end of file/);
    const wrong = decodeContentEncoding(raw, 'br');
    assert.match(wrong.ok ? '' : wrong.error, /^br: /);
    const unknown = decodeContentEncoding(raw, 'compress');
    assert.match(unknown.ok ? '' : unknown.error, /compress: unsupported content-encoding/);
    const badZstd = decodeContentEncoding(raw, 'zstd');
    assert.match(badZstd.ok ? '' : badZstd.error, /^zstd: /);
  });
  it('refuses a gzip bomb instead of inflating it', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const r = decodeContentEncoding(bomb, 'gzip');
    assert.equal(r.ok, false);
  });
});
