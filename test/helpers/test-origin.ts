// A real origin for tests: HTTPS and HTTP on 127.0.0.1 with its own throwaway CA (made by openssl), plus a
// WebSocket echo on both. Proxied tests reach it as '*.test' names through --map-host, never through DNS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { WebSocketServer } from 'ws';

export interface OriginRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  tls: boolean;
}

export interface TestOrigin {
  httpsPort: number;
  httpPort: number;
  caPem: string;
  caFile: string;
  requests: OriginRequest[];
  /** Resolves when a request to /stream (the endless stream) is torn down by its client. */
  streamClosed: () => Promise<number>;
  close(): Promise<void>;
}

/** Names the origin's certificate covers (curl refuses a bare '*.test' wildcard, so test hosts are listed). */
const ORIGIN_NAMES = ['api.xiaomi.test', 'api.example.test', 'pinned.test', 'other.test', 'ws.test', 'down.test', '*.example.test', '*.xiaomi.test', '*.bench.test', '*.soak.test', 'localhost'];

function makeCertificates(dir: string): { key: string; cert: string; ca: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=phonehome test origin CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', 'ca.key', '-out', 'ca.pem']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=origin.test', '-keyout', 'leaf.key', '-out', 'leaf.csr']);
  writeFileSync(join(dir, 'ext'), `subjectAltName=${ORIGIN_NAMES.map((n) => `DNS:${n}`).join(',')},IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'ext', '-out', 'leaf.pem']);
  return { key: readFileSync(join(dir, 'leaf.key'), 'utf8'), cert: readFileSync(join(dir, 'leaf.pem'), 'utf8'), ca: readFileSync(join(dir, 'ca.pem'), 'utf8') };
}

let cached: { dir: string; key: string; cert: string; ca: string } | undefined;
function certificates() {
  if (!cached) {
    const dir = mkdtempSync(join(tmpdir(), 'phonehome-origin-'));
    cached = { dir, ...makeCertificates(dir) };
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return cached;
}

export async function startOrigin(): Promise<TestOrigin> {
  const certs = certificates();
  const requests: OriginRequest[] = [];
  const sockets = new Set<Socket>();
  let streamClosedResolve: (bytes: number) => void = () => undefined;
  const streamClosedPromise = new Promise<number>((resolve) => (streamClosedResolve = resolve));

  const handler = (tls: boolean) => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, tls });
      const url = new URL(req.url ?? '/', 'http://origin');
      switch (url.pathname) {
        case '/small':
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ ok: true }));
          return;
        case '/gzip':
          res.setHeader('content-encoding', 'gzip');
          res.setHeader('content-type', 'application/json');
          res.end(zlib.gzipSync(JSON.stringify({ imei: '865432100123457', pad: 'x'.repeat(200) })));
          return;
        case '/broken-gzip':
          res.setHeader('content-encoding', 'gzip');
          res.end(zlib.gzipSync('hello world, this will be cut').subarray(0, 12));
          return;
        case '/big': {
          const mb = Number(url.searchParams.get('mb') ?? 1);
          const block = Buffer.alloc(1 << 20, 97);
          res.setHeader('content-length', String(mb * (1 << 20)));
          let sent = 0;
          const pump = () => {
            while (sent < mb) {
              sent++;
              if (!res.write(block)) return res.once('drain', pump);
            }
            res.end();
          };
          pump();
          return;
        }
        case '/stream': {
          // Endless: only ends when the client side goes away.
          let bytes = 0;
          const block = Buffer.alloc(64 * 1024, 98);
          const timer = setInterval(() => {
            bytes += block.length;
            res.write(block);
          }, 5);
          res.once('close', () => {
            clearInterval(timer);
            streamClosedResolve(bytes);
          });
          return;
        }
        case '/slow':
          setTimeout(() => res.end('slow'), Number(url.searchParams.get('ms') ?? 2000));
          return;
        case '/hang':
          return; // never answers
        case '/reason':
          // A status text of its own and headers in mixed case, as some servers send them.
          res.writeHead(201, 'Created For You', ['X-Mixed-Case', 'Kept', 'Public-Key-Pins', 'pin-sha256="AAAA"; max-age=60', 'Content-Length', '2']);
          res.end('ok');
          return;
        case '/reset-mid-body':
          res.writeHead(200, { 'content-length': '100000' });
          res.write(Buffer.alloc(1000, 99));
          setTimeout(() => req.socket.destroy(), 20);
          return;
        default:
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, tls, headers: req.headers, bytes: body.length, body: body.toString('base64') }));
      }
    });
  };

  const httpsServer = https.createServer({ key: certs.key, cert: certs.cert }, handler(true));
  const httpServer = http.createServer(handler(false));
  for (const server of [httpsServer, httpServer]) {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(binary ? data : `echo:${data.toString()}`, { binary })));
  }
  await new Promise<void>((r) => httpsServer.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  return {
    httpsPort: (httpsServer.address() as AddressInfo).port,
    httpPort: (httpServer.address() as AddressInfo).port,
    caPem: certs.ca,
    caFile: join(certs.dir, 'ca.pem'),
    requests,
    streamClosed: () => streamClosedPromise,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise((r) => httpsServer.close(r)), new Promise((r) => httpServer.close(r))]);
    },
  };
}
