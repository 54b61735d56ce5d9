// The dashboard's live stream with a real socket.io client over real sockets: the token and Origin checks, the
// snapshot a late client gets, and the coalescing of a burst into ≤ 10 batches per second.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { LiveStream, type LiveBatch, type LiveSnapshot } from '../../src/server/live-stream.js';
import { Store } from '../../src/store/index.js';
import type { FlowSummary } from '../../src/types/index.js';
import { quietLogger } from '../helpers/test-phonehome.js';

const TOKEN = 'live-token-0123456789';

function summary(i: number, sessionId: string, host = `h${i % 7}.example.test`): FlowSummary {
  return { id: `f${i}`, sessionId, kind: 'exchange', device: '10.0.0.2', startedAt: Date.now(), scheme: 'https', method: 'GET', host, port: 443, path: `/p/${i}`, status: 200, requestSize: 0, responseSize: 10, durationMs: 1, findingKinds: [] };
}

describe('live stream (socket.io)', () => {
  let dir: string;
  let store: Store;
  let server: http.Server;
  let live: LiveStream;
  let base: string;
  const clients: Socket[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'phonehome-live-'));
    store = await Store.open(dir, quietLogger);
    live = new LiveStream({
      token: TOKEN,
      store,
      logger: quietLogger,
      hostsOf: async () => [{ host: 'h1.example.test', country: 'LOCAL', countryName: 'This machine', serverIps: [], requests: 1, bytesUp: 0, bytesDown: 0, kinds: [], plaintextKinds: [], plaintext: false, tlsFailures: 0, likelyPinned: false, tunnels: 0, devices: [], firstSeen: 0, lastSeen: 0 }],
    });
    server = http.createServer((_req, res) => res.end('ok'));
    live.attach(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const c of clients) c.close();
    await live.close();
    await new Promise((r) => server.close(r));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = (options: { token?: string; cookie?: string; origin?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.origin) headers.origin = options.origin;
    const socket = io(base, { transports: ['websocket'], auth: options.token ? { token: options.token } : {}, extraHeaders: headers, reconnection: false, forceNew: true });
    clients.push(socket);
    return socket;
  };
  const outcome = (socket: Socket) =>
    new Promise<{ snapshot?: LiveSnapshot; error?: string }>((resolve) => {
      socket.once('snapshot', (snapshot: LiveSnapshot) => resolve({ snapshot }));
      socket.once('connect_error', (e: Error) => resolve({ error: e.message }));
    });

  it('refuses a client without the token, or with a wrong one', async () => {
    assert.match((await outcome(connect())).error ?? '', /token/);
    assert.match((await outcome(connect({ token: 'wrong' }))).error ?? '', /token/);
  });

  it('refuses a page from another origin even with the cookie', async () => {
    const result = await outcome(connect({ cookie: `phonehome_token=${TOKEN}`, origin: 'http://evil.example' }));
    assert.ok(result.error, 'connection refused');
  });

  it('accepts the cookie from its own origin, or auth.token, and sends a snapshot first', async () => {
    const viaCookie = await outcome(connect({ cookie: `phonehome_token=${TOKEN}`, origin: base }));
    assert.ok(viaCookie.snapshot, viaCookie.error);
    const viaAuth = await outcome(connect({ token: TOKEN }));
    assert.ok(viaAuth.snapshot, viaAuth.error);
    assert.equal(viaAuth.snapshot!.session.id, store.currentSession().id);
    assert.equal(viaAuth.snapshot!.hosts.length, 1);
    assert.deepEqual(viaAuth.snapshot!.flows, []);
  });

  it('coalesces a burst of 1,000 flows into a few batches, at most ~10 per second, losing none', async () => {
    const socket = connect({ token: TOKEN });
    await outcome(socket);
    const batches: { at: number; batch: LiveBatch }[] = [];
    socket.on('batch', (batch: LiveBatch) => batches.push({ at: Date.now(), batch }));
    const sessionId = store.currentSession().id;
    const start = Date.now();
    for (let i = 0; i < 1000; i++) {
      live.flowAdded(summary(i, sessionId), []);
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 10)); // a 100 ms burst
    }
    live.tlsFailure({ host: 'pinned.example.test', time: Date.now(), cause: 'cert-rejected' });
    live.device({ address: '10.0.0.2', time: Date.now() });
    await new Promise((r) => setTimeout(r, 600));
    const flows = batches.flatMap((b) => b.batch.flows.map((f) => f.id));
    assert.equal(new Set(flows).size, 1000, 'every flow arrives once');
    const span = Math.max(1, (batches.at(-1)!.at - start) / 1000);
    assert.ok(batches.length <= Math.ceil(span * 10) + 1, `${batches.length} batches in ${span}s`);
    assert.ok(batches.length <= 4, `a 100 ms burst should be 1-3 batches, got ${batches.length}`);
    assert.ok(batches.some((b) => b.batch.tlsFailures.some((t) => t.host === 'pinned.example.test')));
    assert.ok(batches.some((b) => b.batch.devices.some((d) => d.address === '10.0.0.2')));
    assert.ok(batches.some((b) => b.batch.hosts.some((h) => h.host === 'h1.example.test')), 'host rows of touched hosts ride along');
  });

  it('tells clients when the session changes', async () => {
    const socket = connect({ token: TOKEN });
    await outcome(socket);
    const next = new Promise<LiveBatch>((resolve) => socket.on('batch', (b: LiveBatch) => b.session && resolve(b)));
    const session = store.startSession('second');
    live.sessionChanged(session);
    const batch = await next;
    assert.equal(batch.session?.name, 'second');
  });
});
