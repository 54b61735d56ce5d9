// Hostile inputs for the proxy port (fuzz test and soak run): seeded, so a failing input can be replayed.
import zlib from 'node:zlib';

/** mulberry32: a small seeded PRNG, so a failing input can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function nestedBase64(levels: number): string {
  let text = 'imei=865432100123457';
  for (let i = 0; i < levels; i++) text = Buffer.from(text).toString('base64');
  return text;
}

function nestedProtobuf(levels: number): Buffer {
  let message = Buffer.from([0x0a, 0x03, 0x61, 0x62, 0x63]);
  for (let i = 0; i < levels; i++) {
    const length = Buffer.alloc(5);
    let n = message.length;
    let at = 0;
    do {
      length[at++] = (n & 0x7f) | (n > 0x7f ? 0x80 : 0);
      n >>>= 7;
    } while (n > 0);
    message = Buffer.concat([Buffer.from([0x0a]), length.subarray(0, at), message]);
  }
  return message;
}

export function hostileInputs(random: () => number, count: number): { name: string; bytes: Buffer | string }[] {
  const byte = () => Math.floor(random() * 256);
  const valid = 'POST http://api.example.test/echo HTTP/1.1\r\nHost: api.example.test\r\nContent-Length: 5\r\n\r\nhello';
  const gzipped = zlib.gzipSync(JSON.stringify({ imei: '865432100123457', pad: 'x'.repeat(2000) }));
  const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
  const makers: [string, () => Buffer | string][] = [
    ['random bytes', () => Buffer.from(Array.from({ length: 1 + Math.floor(random() * 2048) }, byte))],
    ['mutated request', () => {
      const b = Buffer.from(valid);
      for (let i = 0; i < 1 + random() * 8; i++) b[Math.floor(random() * b.length)] = byte();
      return b;
    }],
    ['invalid request line', () => `${['GET', 'G\u0000T', '', 'POST /x', 'CONNECT'][Math.floor(random() * 5)]} ${'x'.repeat(random() * 50)} HTTP/${random() * 3}\r\n\r\n`],
    ['header over 64 KiB', () => `GET http://api.example.test/ HTTP/1.1\r\nHost: api.example.test\r\nX-Big: ${'a'.repeat(65 * 1024)}\r\n\r\n`],
    ['bad chunk size', () => `POST http://api.example.test/echo HTTP/1.1\r\nHost: api.example.test\r\nTransfer-Encoding: chunked\r\n\r\n${['ZZ', '-1', 'ffffffffffffffffff', '5;;;'][Math.floor(random() * 4)]}\r\nhello\r\n0\r\n\r\n`],
    ['invalid CONNECT target', () => `CONNECT ${['', '[::1', 'host:0', 'host:99999', ':443', '[zz::1]:443', 'a b:443', '%00:443'][Math.floor(random() * 8)]} HTTP/1.1\r\n\r\n`],
    ['TLS garbage after CONNECT', () => Buffer.concat([Buffer.from('CONNECT api.xiaomi.test:443 HTTP/1.1\r\nHost: api.xiaomi.test:443\r\n\r\n'), Buffer.from([0x16, 0x03, 0x01, byte(), byte()]), Buffer.from(Array.from({ length: 300 }, byte))])],
    ['HTTP/1.0 upgrade without Host', () => 'GET /chat HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'],
    ['truncated gzip body', () => {
      const cut = gzipped.subarray(0, Math.floor(random() * gzipped.length));
      return Buffer.concat([Buffer.from(`POST http://api.example.test/echo HTTP/1.1\r\nHost: api.example.test\r\nContent-Encoding: gzip\r\nContent-Length: ${cut.length}\r\n\r\n`), cut]);
    }],
    ['truncated br body', () => {
      const br = zlib.brotliCompressSync(Buffer.from('imei=865432100123457&'.repeat(100)));
      const cut = br.subarray(0, Math.floor(random() * br.length));
      return Buffer.concat([Buffer.from(`POST http://api.example.test/echo HTTP/1.1\r\nHost: api.example.test\r\nContent-Encoding: br\r\nContent-Length: ${cut.length}\r\n\r\n`), cut]);
    }],
    ['gzip bomb body', () => Buffer.concat([Buffer.from(`POST http://api.example.test/echo HTTP/1.1\r\nHost: api.example.test\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\n\r\n`), bomb])],
    ['base64 bomb body', () => {
      const body = JSON.stringify({ d: nestedBase64(20 + Math.floor(random() * 20)) });
      return `POST http://api.example.test/echo HTTP/1.1\r\nHost: api.example.test\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    }],
    ['protobuf bomb body', () => {
      const body = nestedProtobuf(200 + Math.floor(random() * 300));
      return Buffer.concat([Buffer.from(`POST http://api.example.test/echo HTTP/1.1\r\nHost: api.example.test\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
    }],
    ['deep JSON body', () => {
      const depth = 5_000 + Math.floor(random() * 5_000);
      const body = `${'['.repeat(depth)}"865432100123457"${']'.repeat(depth)}`;
      return `POST http://api.example.test/echo HTTP/1.1\r\nHost: api.example.test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    }],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [name, make] = makers[i % makers.length]!;
    return { name, bytes: make() };
  });
}

