// One regression test per http-mitm-proxy 1.1.0 defect we own (see src/proxy/intercepting-proxy.ts), each
// against the real proxy with real clients and a real local origin.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js';
import { api, curl, eventually, startTestPhonehome, type TestPhonehome } from '../helpers/test-phonehome.js';
import { connectTunnel, rawExchange, requestOverSocket, tlsThroughProxy } from '../helpers/proxy-clients.js';
import type { Flow, FlowSummary } from '../../src/types/index.js';

describe('http-mitm-proxy defects, owned', () => {
  let origin: TestOrigin;
  let ph: TestPhonehome;
  let ca: string;

  before(async () => {
    origin = await startOrigin();
    ph = await startTestPhonehome(origin, { upstreamTimeoutMs: 1_500 });
    ca = await readFile(ph.caFile, 'utf8');
  });
  after(async () => {
    await ph.stop();
    await origin.close();
  });
  const port = () => ph.running.proxyAddress.port;
  const flowByPath = (path: string) =>
    eventually(async () => (await api<{ flows: FlowSummary[] }>(ph, `/api/flows?q=${encodeURIComponent(path)}`)).body.flows.find((f) => f.path.startsWith(path)));
  const fullFlow = async (id: string) => (await api<{ flow: Flow }>(ph, `/api/flows/${id}`)).body.flow;

  it('1. twenty parallel first handshakes to a new host share one certificate issuance', async () => {
    const before = ph.running.certificates.issuedCount;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, `https://other.test/echo?parallel=${i}`])),
    );
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.equal(ph.running.certificates.issuedCount - before, 1);
  });

  it('2. a proxy bound to IPv6 loopback intercepts HTTPS (no internal hop to 0.0.0.0)', async () => {
    const v6 = await startTestPhonehome(origin, { listen: '::1' });
    try {
      const result = await curl(['-x', `http://[::1]:${v6.running.proxyAddress.port}`, '--cacert', v6.caFile, 'https://api.xiaomi.test/echo?v6=1'], 10_000);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(JSON.parse(result.stdout).host, 'api.xiaomi.test');
    } finally {
      await v6.stop();
    }
  });

  it('3. requests route by the CONNECT target, not by the decrypted Host header', async () => {
    // The Host header names port 8443, which nothing listens on; the CONNECT target (mapped) is the origin.
    const secure = await tlsThroughProxy(port(), 'api.xiaomi.test', 443, ca);
    const response = await requestOverSocket(secure, { path: '/echo?route=connect', headers: { host: 'api.xiaomi.test:8443' } });
    secure.destroy();
    assert.equal(response.status, 200);
    assert.equal(JSON.parse(response.body.toString()).tls, true);
  });

  it('3b. the CONNECT answer arrives in one write (a client reading one chunk gets all of it)', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: port() });
    socket.write('CONNECT api.xiaomi.test:443 HTTP/1.1\r\nHost: api.xiaomi.test:443\r\nProxy-Connection: keep-alive\r\n\r\n');
    const first = await new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString('latin1'))));
    socket.destroy();
    assert.match(first, /^HTTP\/1\.1 200 [^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n$/);
  });

  it('4a. a client that reads nothing does not make the proxy buffer the response', async () => {
    const secure = await tlsThroughProxy(port(), 'api.xiaomi.test', 443, ca);
    secure.write('GET /big?mb=128&reader=slow HTTP/1.1\r\nHost: api.xiaomi.test\r\n\r\n');
    const rssBefore = process.memoryUsage().rss;
    secure.pause(); // read nothing for a while
    await new Promise((r) => setTimeout(r, 2_000));
    const growth = process.memoryUsage().rss - rssBefore;
    secure.destroy();
    // Stock http-mitm-proxy holds the whole 128 MiB here; with backpressure only socket buffers and the capped copy.
    assert.ok(growth < 48 * 1024 * 1024, `RSS grew ${(growth / 1048576).toFixed(1)} MiB`);
  });

  it('4b. a 128 MiB download streams through with bounded memory and arrives whole', async () => {
    let peak = process.memoryUsage().rss;
    const baseline = peak;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const result = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, '-o', '/dev/null', '-w', '%{size_download}', 'https://api.xiaomi.test/big?mb=128'], 60_000);
    clearInterval(sampler);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(Number(result.stdout), 128 * 1024 * 1024);
    // The origin and the proxy share this process; the capped copy is 10 MiB. Buffering would show as ~128 MiB.
    assert.ok(peak - baseline < 64 * 1024 * 1024, `RSS grew ${((peak - baseline) / 1048576).toFixed(1)} MiB`);
    const flow = await fullFlow((await eventually(async () => (await api<{ flows: FlowSummary[] }>(ph, '/api/flows?q=big')).body.flows.find((f) => f.path === '/big?mb=128'))).id);
    assert.equal(flow.response?.body.size, 128 * 1024 * 1024);
    assert.equal(flow.response?.body.truncated, true);
    assert.equal(flow.response?.body.captured, 10 * 1024 * 1024);
  });

  it('4c. a client that disconnects aborts the upstream request', async () => {
    const secure = await tlsThroughProxy(port(), 'api.xiaomi.test', 443, ca);
    secure.write('GET /stream HTTP/1.1\r\nHost: api.xiaomi.test\r\n\r\n');
    await new Promise<void>((resolve) => secure.once('data', () => resolve()));
    secure.destroy();
    const upstreamBytes = await Promise.race([origin.streamClosed(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('upstream still streaming')), 5_000))]);
    assert.ok(upstreamBytes >= 0);
    const flow = await fullFlow((await flowByPath('/stream')).id);
    assert.equal(flow.error?.code, 'client-aborted');
  });

  it('5. bodies pass byte-exact and in order, and the capture is an exact copy', async () => {
    const payload = randomBytes(3 * 1024 * 1024);
    const secure = await tlsThroughProxy(port(), 'api.xiaomi.test', 443, ca);
    const response = await requestOverSocket(secure, { method: 'POST', path: '/echo?exact=1', headers: { host: 'api.xiaomi.test', 'content-length': String(payload.length) }, body: payload });
    secure.destroy();
    const echoed = Buffer.from(JSON.parse(response.body.toString()).body, 'base64');
    assert.equal(createHash('sha256').update(echoed).digest('hex'), createHash('sha256').update(payload).digest('hex'));
    const summary = await flowByPath('/echo?exact=1');
    const captured = await fetch(`${ph.dashboard}/api/flows/${summary.id}/request-body`, { headers: { authorization: 'Bearer test-token-0123456789abcdef' } });
    assert.ok(Buffer.from(await captured.arrayBuffer()).equals(payload));
  });

  it('6a. an HTTP/1.0 WebSocket upgrade without Host does not kill the proxy', async () => {
    const packet = 'GET /chat HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
    await rawExchange(port(), packet, 1_000);
    const result = await curl(['-x', ph.proxyUrl, 'http://api.example.test/echo?after-upgrade=1']);
    assert.equal(result.code, 0, result.stderr);
  });

  it('6b. an IPv6 CONNECT target is parsed with its brackets', async () => {
    const v6 = await startTestPhonehome(origin, { mapHosts: [`[2001:db8::1]:443=127.0.0.1:${origin.httpsPort}`] });
    try {
      const secure = await tlsThroughProxy(v6.running.proxyAddress.port, '2001:db8::1', 443, await readFile(v6.caFile, 'utf8'));
      const cert = secure.getPeerCertificate();
      assert.match(cert.subjectaltname ?? '', /IP Address:2001:DB8:0:0:0:0:0:1/i);
      const response = await requestOverSocket(secure, { path: '/echo?v6target=1', headers: { host: '[2001:db8::1]' } });
      secure.destroy();
      assert.equal(response.status, 200);
    } finally {
      await v6.stop();
    }
  });

  it('7. keep-alive on both sides, and small POSTs do not stall on Nagle/delayed ACK', async () => {
    const secure = await tlsThroughProxy(port(), 'api.xiaomi.test', 443, ca);
    const body = Buffer.alloc(4096, 120);
    const times: number[] = [];
    const upstreamPorts = new Set<string>();
    for (let i = 0; i < 15; i++) {
      const started = performance.now();
      const r = await requestOverSocket(secure, { method: 'POST', path: `/echo?ka=${i}`, headers: { host: 'api.xiaomi.test', 'content-length': '4096', connection: 'keep-alive' }, body });
      times.push(performance.now() - started);
      assert.equal(r.status, 200);
      upstreamPorts.add(String(JSON.parse(r.body.toString()).headers.connection));
    }
    secure.destroy();
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    // The stall this guards against costs ≥ 40 ms per request; a healthy loopback POST costs a few ms.
    assert.ok(median < 30, `median POST ${median.toFixed(1)} ms`);
    assert.deepEqual([...upstreamPorts], ['keep-alive']);
    const reused = origin.requests.filter((r) => r.url.startsWith('/echo?ka='));
    assert.equal(reused.length, 15);
  });

  it('8a. an unreachable upstream gets a readable 502 naming the host, and the flow records why', async () => {
    const closedPort = await freePort();
    const down = await startTestPhonehome(origin, { mapHosts: [`down.test:443=127.0.0.1:${closedPort}`, `down.test:80=127.0.0.1:${closedPort}`] });
    try {
      const result = await curl(['-x', down.proxyUrl, '-w', '\n%{http_code}', 'http://down.test/anything']);
      const lines = result.stdout.trim().split('\n');
      assert.equal(lines.at(-1), '502');
      assert.match(result.stdout, /down\.test/);
      assert.match(result.stdout, /connection refused/);
      const https = await curl(['-x', down.proxyUrl, '--cacert', down.caFile, '-o', '/dev/null', '-w', '%{http_code}', 'https://down.test/x']);
      assert.equal(https.stdout, '502');
      const flows = await eventually(async () => {
        const list = (await api<{ flows: FlowSummary[] }>(down, '/api/flows')).body.flows;
        return list.length >= 2 ? list : undefined;
      });
      assert.ok(flows.every((f) => f.error === 'upstream-unreachable'));
    } finally {
      await down.stop();
    }
  });

  it('8b. an upstream that does not answer gets a 504 after the upstream timeout', async () => {
    const result = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, '-w', '\n%{http_code}', 'https://api.xiaomi.test/hang']);
    assert.equal(result.stdout.trim().split('\n').at(-1), '504');
    const flow = await fullFlow((await flowByPath('/hang')).id);
    assert.equal(flow.error?.code, 'upstream-timeout');
  });

  it('8c. an upstream with an untrusted certificate gets a 502 naming the TLS failure', async () => {
    const strict = await startTestPhonehome(origin, { upstreamCaFiles: [] });
    try {
      const result = await curl(['-x', strict.proxyUrl, '--cacert', strict.caFile, '-w', '\n%{http_code}', 'https://api.xiaomi.test/echo']);
      assert.equal(result.stdout.trim().split('\n').at(-1), '502');
      assert.match(result.stdout, /TLS connection to api\.xiaomi\.test failed/);
      const flows = await eventually(async () => (await api<{ flows: FlowSummary[] }>(strict, '/api/flows')).body.flows[0]);
      assert.equal(flows.error, 'upstream-tls');
    } finally {
      await strict.stop();
    }
  });

  it('9. a client that rejects our CA is recorded by host, then the host is passed through', async () => {
    // curl without our CA refuses the certificate: a pinning app does the same.
    const rejected = await curl(['-x', ph.proxyUrl, 'https://pinned.test/echo?pin=1']);
    assert.notEqual(rejected.code, 0);
    const failures = await eventually(async () => {
      const events = (await api<{ type: string; host: string; cause: string }[]>(ph, '/api/events')).body;
      const hits = events.filter((e) => e.type === 'tls-failure' && e.host === 'pinned.test');
      return hits.length > 0 ? hits : undefined;
    });
    assert.equal(failures[0]!.cause, 'cert-rejected');
    // Now tunnelled untouched: the client sees the origin's own certificate and succeeds with the origin's CA.
    const passed = await curl(['-x', ph.proxyUrl, '--cacert', origin.caFile, 'https://pinned.test/echo?pin=2']);
    assert.equal(passed.code, 0, passed.stderr);
    assert.equal(JSON.parse(passed.stdout).host, 'pinned.test');
    const hosts = await eventually(async () => {
      const rows = (await api<{ host: string; likelyPinned: boolean; tunnels: number; tlsFailures: number }[]>(ph, '/api/hosts')).body;
      const row = rows.find((r) => r.host === 'pinned.test');
      return row && row.tunnels > 0 ? row : undefined;
    });
    assert.equal(hosts.likelyPinned, true);
    assert.ok(hosts.tlsFailures >= 1);
  });

  it('10. errors go to our logger, never to console.error', async () => {
    const seen: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => seen.push(args.map(String).join(' '));
    try {
      await curl(['-x', ph.proxyUrl, 'http://api.example.test/hang']);
      await rawExchange(port(), 'garbage\r\n\r\n', 500);
    } finally {
      console.error = original;
    }
    assert.deepEqual(seen, []);
  });

  it('11. the upstream status text and header case reach the phone; Proxy-* and Public-Key-Pins headers do not travel on', async () => {
    const answer = await rawExchange(
      port(),
      'GET http://api.xiaomi.test/reason?defect=11 HTTP/1.1\r\nHost: api.xiaomi.test\r\nX-Phone-Case: Kept\r\nProxy-Connection: keep-alive\r\nProxy-Foo: secret\r\n\r\n',
      1_000,
    );
    const head = answer.slice(0, answer.indexOf('\r\n\r\n'));
    assert.match(head, /^HTTP\/1\.1 201 Created For You\r\n/);
    assert.match(head, /\r\nX-Mixed-Case: Kept\r\n/);
    assert.doesNotMatch(head, /public-key-pins/i);
    assert.match(head, /\r\nProxy-Connection: keep-alive\r\nConnection: keep-alive/);
    const seen = origin.requests.find((r) => r.url === '/reason?defect=11');
    assert.ok(seen);
    assert.equal(seen.headers['x-phone-case'], 'Kept');
    assert.equal(seen.headers['proxy-connection'], undefined);
    assert.equal(seen.headers['proxy-foo'], undefined);
    const flow = await fullFlow((await flowByPath('/reason?defect=11')).id);
    assert.equal(flow.response?.statusText, 'Created For You');
    assert.ok(flow.response?.headers.some(([name]) => name === 'X-Mixed-Case'));
  });

  it('malformed requests get a 400 and the proxy keeps serving', async () => {
    const replies = await Promise.all([
      rawExchange(port(), 'NOT HTTP AT ALL\r\n\r\n'),
      rawExchange(port(), 'CONNECT [::1:443 HTTP/1.1\r\n\r\n'),
      rawExchange(port(), 'CONNECT nohost HTTP/1.1\r\nHost: x\r\n\r\n'),
      rawExchange(port(), `GET http://api.example.test/ HTTP/1.1\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`),
      rawExchange(port(), 'POST http://api.example.test/echo HTTP/1.1\r\nHost: api.example.test\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n'),
    ]);
    assert.match(replies[0]!, /^HTTP\/1\.1 400/);
    assert.match(replies[1]!, /^HTTP\/1\.1 400/);
    assert.match(replies[2]!, /^HTTP\/1\.1 400/);
    assert.match(replies[3]!, /^HTTP\/1\.1 431/);
    const ok = await curl(['-x', ph.proxyUrl, 'http://api.example.test/echo?still=alive']);
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('refuses to proxy to the dashboard or to itself', async () => {
    const dashboardPort = new URL(ph.dashboard).port;
    const viaHttp = await curl(['-x', ph.proxyUrl, '-w', '\n%{http_code}', `http://127.0.0.1:${dashboardPort}/api/health`]);
    assert.equal(viaHttp.stdout.trim().split('\n').at(-1), '403');
    const viaDecimal = await curl(['-x', ph.proxyUrl, '-o', '/dev/null', '-w', '%{http_code}', `http://2130706433:${dashboardPort}/api/health`]);
    assert.equal(viaDecimal.stdout, '403');
    const connect = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: port(), method: 'CONNECT', path: `localhost:${dashboardPort}` });
      req.once('connect', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.end();
    });
    assert.equal(connect, 403);
    await assert.rejects(connectTunnel(port(), `127.0.0.1:${port()}`));
  });

  it('issued leaves pass openssl verify -x509_strict', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'phonehome-leaf-'));
    for (const host of ['api.xiaomi.test', '2001:db8::5']) {
      const target = host.includes(':') ? `[${host}]:443` : `${host}:443`;
      const socket = await connectTunnel(port(), target);
      const tls = await import('node:tls');
      const pem = await new Promise<string>((resolve, reject) => {
        const s = tls.connect({ socket, servername: host.includes(':') ? undefined : host, rejectUnauthorized: false }, () => {
          const raw = s.getPeerCertificate().raw;
          s.destroy();
          resolve(`-----BEGIN CERTIFICATE-----\n${raw.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`);
        });
        s.once('error', reject);
      });
      const file = join(dir, `${host.replace(/:/g, '_')}.pem`);
      writeFileSync(file, pem);
      const out = execFileSync('openssl', ['verify', '-x509_strict', '-CAfile', ph.caFile, file], { encoding: 'utf8' });
      assert.match(out, /OK/);
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
