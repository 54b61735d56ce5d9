// Security and reliability of the proxy and dashboard with real clients: who may use the proxy, where it refuses
// to connect, cross-origin writes, client timeouts, the connection cap, and upstream faults mid-body.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { after, before, describe, it } from 'node:test';
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js';
import { api, curl, eventually, startTestPhonehome, TEST_TOKEN, type TestPhonehome } from '../helpers/test-phonehome.js';
import { tlsThroughProxy } from '../helpers/proxy-clients.js';
import type { FlowSummary } from '../../src/types/index.js';

describe('proxy security and reliability', () => {
  let origin: TestOrigin;
  let ph: TestPhonehome;

  before(async () => {
    origin = await startOrigin();
    ph = await startTestPhonehome(origin, { clientTimeouts: { headersMs: 1_000, idleMs: 1_500 } });
  });
  after(async () => {
    await ph.stop();
    await origin.close();
  });

  it('refuses loopback targets that --map-host does not name', async () => {
    const result = await curl(['-x', ph.proxyUrl, '-w', '\n%{http_code}', `http://127.0.0.1:${origin.httpPort}/echo`]);
    assert.equal(result.stdout.trim().split('\n').at(-1), '403');
    assert.match(result.stdout, /Loopback and link-local targets are refused/);
    for (const spelling of [`http://0x7f000001:${origin.httpPort}/`, `http://[::1]:${origin.httpPort}/`, `http://localhost:${origin.httpPort}/`, `http://169.254.169.254/latest/meta-data/`]) {
      const r = await curl(['-x', ph.proxyUrl, '-o', '/dev/null', '-w', '%{http_code}', spelling]);
      assert.equal(r.stdout, '403', spelling);
    }
    assert.equal(origin.requests.filter((r) => r.url === '/echo' && !r.headers.host?.endsWith('.test')).length, 0);
  });

  it('refuses a name that resolves to this machine on the dashboard port', async (t) => {
    // Only names /etc/hosts answers: a test never sends a DNS query off the machine.
    const hostname = os.hostname();
    const hosts = readFileSync('/etc/hosts', 'utf8');
    if (!new RegExp(`\\s${hostname.replace(/\./g, '\\.')}(\\s|$)`, 'm').test(hosts)) return t.skip(`${hostname} is not in /etc/hosts`);
    const dashboardPort = new URL(ph.dashboard).port;
    const result = await curl(['-x', ph.proxyUrl, '-w', '\n%{http_code}', `http://${hostname}:${dashboardPort}/api/health`]);
    assert.equal(result.stdout.trim().split('\n').at(-1), '403');
    assert.doesNotMatch(result.stdout, /"ok":true/);
  });

  it('serves only --allow-clients addresses', async () => {
    const closed = await startTestPhonehome(origin, { allowClients: ['10.0.0.0/8'] });
    try {
      const result = await curl(['-x', closed.proxyUrl, '-w', '\n%{http_code}', 'http://api.example.test/echo']);
      assert.match(result.stdout, /does not accept clients from your address/);
      assert.equal(origin.requests.some((r) => r.url === '/echo' && r.headers.host === 'api.example.test' && r.headers['x-marker'] === 'closed'), false);
    } finally {
      await closed.stop();
    }
  });

  it('--proxy-auth asks for credentials and labels the device with the user name', async () => {
    const guarded = await startTestPhonehome(origin, { proxyAuth: 'pixel7:s3cret' });
    try {
      const anonymous = await curl(['-x', guarded.proxyUrl, '-o', '/dev/null', '-w', '%{http_code}', 'http://api.example.test/echo']);
      assert.equal(anonymous.stdout, '407');
      const wrong = await curl(['-x', guarded.proxyUrl, '-U', 'pixel7:nope', '-o', '/dev/null', '-w', '%{http_code}', 'http://api.example.test/echo']);
      assert.equal(wrong.stdout, '407');
      const tunnelled = await curl(['-x', guarded.proxyUrl, '--cacert', guarded.caFile, 'https://api.xiaomi.test/echo']);
      assert.notEqual(tunnelled.code, 0, 'CONNECT without credentials must fail');
      const ok = await curl(['-x', guarded.proxyUrl, '-U', 'pixel7:s3cret', '--cacert', guarded.caFile, 'https://api.xiaomi.test/echo?auth=1']);
      assert.equal(ok.code, 0, ok.stderr);
      const echoed = JSON.parse(ok.stdout);
      assert.equal(echoed.headers['proxy-authorization'], undefined, 'credentials are not forwarded upstream');
      const devices = await eventually(async () => {
        const list = (await api<{ address: string; label?: string }[]>(guarded, '/api/devices')).body;
        return list.some((d) => d.label === 'pixel7') ? list : undefined;
      });
      assert.ok(devices.some((d) => d.address === '127.0.0.1' && d.label === 'pixel7'));
    } finally {
      await guarded.stop();
    }
  });

  it('the dashboard refuses cross-origin writes even with the token', async () => {
    const evil = await api(ph, '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: JSON.stringify({ name: 'x' }) });
    assert.equal(evil.status, 403);
    const crossSite = await api(ph, '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, body: JSON.stringify({ name: 'x' }) });
    assert.equal(crossSite.status, 403);
    const same = await api<{ name: string }>(ph, '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json', origin: ph.dashboard }, body: JSON.stringify({ name: 'same origin' }) });
    assert.equal(same.status, 201);
    assert.equal(same.body.name, 'same origin');
    const noToken = await fetch(`${ph.dashboard}/api/flows`);
    assert.equal(noToken.status, 401);
    const wrongToken = await fetch(`${ph.dashboard}/api/flows`, { headers: { authorization: `Bearer ${TEST_TOKEN}x` } });
    assert.equal(wrongToken.status, 401);
  });

  it('a client that sends headers too slowly, or goes idle, is disconnected', async () => {
    const slow = net.connect({ host: '127.0.0.1', port: ph.running.proxyAddress.port });
    slow.write('GET http://api.example.test/echo HTTP/1.1\r\n');
    const closedAfter = await new Promise<number>((resolve) => {
      const started = Date.now();
      setTimeout(() => resolve(Infinity), 10_000).unref(); // a failure, not a hang
      const timer = setInterval(() => slow.write('X-Slow: 1\r\n'), 200);
      slow.on('error', () => undefined);
      slow.resume(); // read the 408, or 'end' (and so 'close') never comes
      slow.once('close', () => {
        clearInterval(timer);
        resolve(Date.now() - started);
      });
    });
    assert.ok(closedAfter < 5_000, `closed after ${closedAfter} ms`);
    const idle = net.connect({ host: '127.0.0.1', port: ph.running.proxyAddress.port });
    const idleFor = await new Promise<number>((resolve) => {
      const started = Date.now();
      setTimeout(() => resolve(Infinity), 10_000).unref();
      idle.on('error', () => undefined);
      idle.resume(); // read the 408, or the end of the stream is never seen
      idle.once('close', () => resolve(Date.now() - started));
    });
    assert.ok(idleFor < 5_000, `idle connection closed after ${idleFor} ms`);
    // A tunnel that went quiet after its handshake is let go too (by the idle sweep, not the first-request deadline).
    const tunnel = await tlsThroughProxy(ph.running.proxyAddress.port, 'api.xiaomi.test', 443, readFileSync(ph.caFile, 'utf8'));
    const quietFor = await new Promise<number>((resolve) => {
      const started = Date.now();
      setTimeout(() => resolve(Infinity), 10_000).unref();
      tunnel.on('error', () => undefined);
      tunnel.resume();
      tunnel.once('close', () => resolve(Date.now() - started));
    });
    assert.ok(quietFor >= 1_000 && quietFor < 5_000, `quiet tunnel closed after ${quietFor} ms`);
  });

  it('refuses connections beyond --max-connections and keeps serving the rest', async () => {
    const capped = await startTestPhonehome(origin, { maxConnections: 3 });
    const sockets: net.Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = net.connect({ host: '127.0.0.1', port: capped.running.proxyAddress.port });
        s.on('error', () => undefined);
        await new Promise((r) => s.once('connect', r));
        sockets.push(s);
      }
      await new Promise((r) => setTimeout(r, 100));
      const extra = await curl(['-x', capped.proxyUrl, 'http://api.example.test/echo'], 3_000);
      assert.notEqual(extra.code, 0, 'the connection over the cap is closed');
      sockets.pop()!.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const served = await curl(['-x', capped.proxyUrl, 'http://api.example.test/echo?under-cap=1']);
      assert.equal(served.code, 0, served.stderr);
    } finally {
      for (const s of sockets) s.destroy();
      await capped.stop();
    }
  });

  it('an upstream reset mid-body reaches the phone as a broken response and is recorded', async () => {
    const result = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, '-o', '/dev/null', 'https://api.xiaomi.test/reset-mid-body']);
    assert.notEqual(result.code, 0, 'the client must not see a complete response');
    const flow = await eventually(async () => (await api<{ flows: FlowSummary[] }>(ph, '/api/flows?q=reset-mid-body')).body.flows[0]);
    assert.equal(flow.error, 'upstream-reset');
    assert.equal(flow.status, 200);
  });

  it('when the disk refuses writes, forwarding goes on, the API says capture is paused, and it resumes', async () => {
    const session = (await api<{ id: string }[]>(ph, '/api/sessions')).body.at(-1)!;
    await curl(['-x', ph.proxyUrl, 'http://api.example.test/echo?disk=before']);
    await eventually(async () => ((await api<{ flows: FlowSummary[] }>(ph, '/api/flows?q=disk%3Dbefore')).body.flows.length > 0 ? true : undefined));
    const journal = join(ph.dataDir, 'sessions', session.id, 'journal.ndjson');
    await new Promise((r) => setTimeout(r, 300));
    await rename(journal, `${journal}.aside`);
    await mkdir(journal); // as root, chmod would not stop us: a directory in the file's place does
    try {
      for (let i = 0; i < 5; i++) {
        const r = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, `https://api.xiaomi.test/echo?disk=during-${i}`]);
        assert.equal(r.code, 0, 'the phone is still served');
      }
      const health = await eventually(async () => {
        const h = (await api<{ writeError: string | null }>(ph, '/api/health')).body;
        return h.writeError ? h : undefined;
      });
      assert.match(health.writeError!, /EISDIR|directory/);
    } finally {
      await rmdir(journal);
      await rename(`${journal}.aside`, journal);
    }
    await eventually(async () => ((await api<{ writeError: string | null }>(ph, '/api/health')).body.writeError === null ? true : undefined), 10_000);
    const flows = (await api<{ flows: FlowSummary[] }>(ph, '/api/flows?q=disk%3D&limit=100')).body.flows;
    assert.equal(flows.length, 6, 'the flows captured during the outage are kept');
  });

  it('a WebSocket upgrade is refused toward an unmapped loopback target', async () => {
    const reply = await new Promise<number>((resolve) => {
      const req = http.request({
        host: '127.0.0.1',
        port: ph.running.proxyAddress.port,
        path: `http://127.0.0.1:${origin.httpPort}/chat`,
        headers: { host: `127.0.0.1:${origin.httpPort}`, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' },
      });
      req.once('upgrade', (_res, socket) => {
        socket.destroy();
        resolve(101);
      });
      req.once('response', (res) => resolve(res.statusCode ?? 0));
      req.once('error', () => resolve(-1));
      req.end();
    });
    assert.notEqual(reply, 101);
  });
});
