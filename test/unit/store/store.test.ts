// The store round trip: flows, findings, bodies (byte-exact), events, sessions and devices across close/reopen.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/store/index.js';
import { binaryBody, captured, makeFinding, makeFlow, memoryLogger } from './make-flow.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phonehome-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Store round trip', () => {
  it('keeps flows, findings, binary bodies and events across close and reopen', async () => {
    const logger = memoryLogger();
    let store = await Store.open(dir, logger);
    const session = store.currentSession();
    assert.equal(session.name, 'session 1');
    assert.equal(session.current, true);
    for (let n = 0; n < 50; n++) {
      const flow = makeFlow(session.id, n);
      const findings = n % 5 === 0 ? [makeFinding(flow, 'imei', 0), makeFinding(flow, 'imei', 1), makeFinding(flow, 'email', 2)] : [];
      const decoded = n % 2 === 0 ? { response: Buffer.from(`decoded ${n} ✓`) } : undefined;
      store.addFlow(captured(flow, binaryBody(n, 100 + n), binaryBody(n + 1000, 1000 + n)), findings, decoded);
    }
    store.addEvent(session.id, { type: 'tls-failure', time: 1, host: 'pinned.example.com', cause: 'cert-rejected' });
    store.addEvent(session.id, { type: 'marker', time: 2, text: 'opened the app' });

    // Readable before it is on disk.
    assert.equal(store.getFlow('flow-000003')?.flow.request.url, makeFlow(session.id, 3).request.url);
    assert.deepEqual(await store.readBody('flow-000003', 'request'), binaryBody(3, 103));
    await store.close();

    const files = await readdir(join(dir, 'sessions', session.id));
    assert.deepEqual(files.sort(), ['bodies.bin', 'journal.ndjson']);

    store = await Store.open(dir, logger);
    assert.equal(store.currentSession().id, session.id, 'the current session is reused');
    const info = store.findSession(session.id)!;
    assert.equal(info.flowCount, 50);
    assert.equal(info.findingCount, 30);
    for (let n = 0; n < 50; n++) {
      const id = `flow-${String(n).padStart(6, '0')}`;
      const got = store.getFlow(id);
      assert.ok(got, id);
      assert.deepEqual(got.flow, makeFlow(session.id, n));
      assert.equal(got.findings.length, n % 5 === 0 ? 3 : 0);
      assert.deepEqual(await store.readBody(id, 'request'), binaryBody(n, 100 + n));
      assert.deepEqual(await store.readBody(id, 'response'), binaryBody(n + 1000, 1000 + n));
      const decoded = await store.readBody(id, 'response', 'decoded');
      assert.deepEqual(decoded, n % 2 === 0 ? Buffer.from(`decoded ${n} ✓`) : binaryBody(n + 1000, 1000 + n), 'decoded falls back to raw');
    }
    assert.deepEqual(await store.readBody('flow-000000', 'request', 'decoded'), binaryBody(0, 100));
    assert.equal(await store.readBody('no-such-flow', 'request'), undefined);
    const findings = store.findings(session.id);
    assert.equal(findings.length, 30);
    assert.deepEqual(findings[0], makeFinding(makeFlow(session.id, 0), 'imei', 0));
    assert.deepEqual(store.events(session.id), [
      { type: 'tls-failure', time: 1, host: 'pinned.example.com', cause: 'cert-rejected' },
      { type: 'marker', time: 2, text: 'opened the app' },
    ]);
    const summary = store.listFlows(session.id, { limit: 1 }).flows[0]!;
    assert.deepEqual(summary, {
      id: 'flow-000000',
      sessionId: session.id,
      kind: 'exchange',
      device: '192.168.1.23',
      startedAt: 1_700_000_000_000,
      scheme: 'https',
      method: 'POST',
      host: 'api0.example.com',
      port: 443,
      path: '/v1/items/0?imei=865432100123457&t=0',
      status: 404,
      requestSize: 64,
      responseSize: 256,
      durationMs: 29,
      findingKinds: ['imei', 'email'],
    });
    await store.close();
    assert.equal(logger.lines.filter((l) => l.level === 'warn' || l.level === 'error').length, 0, JSON.stringify(logger.lines));
  });

  it('updateFlow appends a newer record; the latest wins, bodies and findings carry over', async () => {
    let store = await Store.open(dir, memoryLogger());
    const sid = store.currentSession().id;
    const flow = makeFlow(sid, 1, { kind: 'exchange' });
    store.addFlow(captured(flow, Buffer.from('req'), Buffer.from('res')), [makeFinding(flow, 'imei')]);
    await store.flush();
    const later = {
      ...flow,
      webSocket: { messages: [{ direction: 'sent' as const, time: 5, size: 2, opcode: 'text' as const, data: 'hi', truncated: false }] },
    };
    store.updateFlow(later);
    assert.deepEqual(store.getFlow(flow.id)?.flow, later);
    await store.close();

    store = await Store.open(dir, memoryLogger());
    assert.equal(store.listFlows(sid).total, 1);
    const got = store.getFlow(flow.id)!;
    assert.deepEqual(got.flow, later);
    assert.equal(got.findings.length, 1, 'findings carried over');
    assert.deepEqual(await store.readBody(flow.id, 'response'), Buffer.from('res'));
    store.updateFlow(later, [makeFinding(flow, 'email'), makeFinding(flow, 'imsi', 1)]);
    assert.deepEqual(store.listFlows(sid).flows[0]!.findingKinds, ['email', 'imsi']);
    assert.equal(store.currentSession().findingCount, 2);
    const all = [];
    for await (const item of store.iterateFlows(sid)) all.push(item);
    assert.equal(all.length, 1);
    assert.equal(all[0]!.findings.length, 2);
    await store.close();
  });

  it('lists flows by host and free text, with offset and limit', async () => {
    const store = await Store.open(dir, memoryLogger());
    const sid = store.currentSession().id;
    for (let n = 0; n < 1500; n++) store.addFlow(captured(makeFlow(sid, n)), []);
    assert.equal(store.listFlows(sid).total, 1500);
    assert.equal(store.listFlows(sid).flows.length, 100, 'default limit');
    assert.equal(store.listFlows(sid, { limit: 5000 }).flows.length, 1000, 'max limit');
    assert.deepEqual(
      store.listFlows(sid, { offset: 1498 }).flows.map((f) => f.id),
      ['flow-001498', 'flow-001499'],
    );
    const byHost = store.listFlows(sid, { host: 'API3.example.com', limit: 3 });
    assert.equal(byHost.total, Math.ceil((1500 - 3) / 7));
    assert.deepEqual(byHost.flows.map((f) => f.id), ['flow-000003', 'flow-000010', 'flow-000017']);
    assert.equal(store.listFlows(sid, { q: '404' }).total, 150 + 2, 'status 404, and /items/404 and /items/1404');
    assert.equal(store.listFlows(sid, { q: 'post' }).total, 500, 'method');
    assert.equal(store.listFlows(sid, { q: 'api1.example.com/v1/items/1?' }).total, 1, 'url');
    const count = (pred: (n: number) => boolean) => Array.from({ length: 1500 }, (_, n) => n).filter(pred).length;
    assert.equal(
      store.listFlows(sid, { q: 'https://api2.example.com/v1/items/1' }).total,
      count((n) => n % 7 === 2 && String(n).startsWith('1')),
    );
    assert.equal(
      store.listFlows(sid, { host: 'api2.example.com', q: 'items/10' }).total,
      count((n) => n % 7 === 2 && String(n).startsWith('10')),
    );
    assert.deepEqual(store.listFlows('nope'), { total: 0, flows: [] });
    await store.close();
  });

  it('iterates a session in order, reading records from the journal', async () => {
    let store = await Store.open(dir, memoryLogger());
    const sid = store.currentSession().id;
    for (let n = 0; n < 3000; n++) store.addFlow(captured(makeFlow(sid, n)), []);
    await store.close();
    store = await Store.open(dir, memoryLogger());
    store.addFlow(captured(makeFlow(sid, 3000)), []); // one still queued
    let n = 0;
    for await (const { flow } of store.iterateFlows(sid)) {
      assert.equal(flow.id, `flow-${String(n).padStart(6, '0')}`);
      n++;
    }
    assert.equal(n, 3001);
    await store.close();
  });
});

describe('Store sessions', () => {
  it('creates, ends, finds by id, name and latest, and persists', async () => {
    let store = await Store.open(dir, memoryLogger());
    const first = store.currentSession();
    assert.match(first.id, /^\d{8}-\d{6}-\d{3}(-\d+)?$/);
    const second = store.startSession('wechat login');
    assert.notEqual(second.id, first.id);
    assert.equal(second.current, true);
    const third = store.startSession('wechat login');
    assert.equal(third.name, 'wechat login', 'a given name is kept as given');
    const list = store.listSessions();
    assert.deepEqual(list.map((s) => s.current), [false, false, true]);
    assert.ok(list[0]!.endedAt !== undefined && list[1]!.endedAt !== undefined);
    assert.equal(list[2]!.endedAt, undefined);
    assert.equal(store.findSession('wechat login')?.id, third.id, 'the newest of that name');
    assert.equal(store.findSession('latest')?.id, third.id);
    assert.equal(store.findSession(first.id)?.name, 'session 1');
    assert.equal(store.findSession('nope'), undefined);
    const defaulted = store.startSession();
    assert.equal(defaulted.name, 'session 4');
    store.addFlow(captured(makeFlow(second.id, 1)), []); // to an ended session, by its sessionId
    store.addFlow(captured(makeFlow('unknown-session', 2)), []); // unknown: kept in the current one
    await store.close();

    store = await Store.open(dir, memoryLogger());
    assert.equal(store.currentSession().id, defaulted.id);
    assert.deepEqual(store.listSessions().map((s) => [s.name, s.flowCount]), [
      ['session 1', 0],
      ['wechat login', 1],
      ['wechat login', 0],
      ['session 4', 1],
    ]);
    assert.equal(store.getFlow('flow-000002')?.flow.sessionId, defaulted.id);
    await store.close();
  });

  it('names the first session from the options', async () => {
    const store = await Store.open(dir, memoryLogger(), { sessionName: 'redmi run' });
    assert.equal(store.currentSession().name, 'redmi run');
    await store.close();
  });

  it('adds back a session folder missing from the catalog', async () => {
    let store = await Store.open(dir, memoryLogger());
    const sid = store.currentSession().id;
    store.addFlow(captured(makeFlow(sid, 1)), []);
    await store.close();
    await rm(join(dir, 'catalog.json'));
    const logger = memoryLogger();
    store = await Store.open(dir, logger);
    const found = store.findSession(sid);
    assert.equal(found?.flowCount, 1);
    assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes('missing from the catalog')));
    await store.close();
  });
});

describe('Store devices and catalog', () => {
  it('keeps devices with first and last seen', async () => {
    let store = await Store.open(dir, memoryLogger());
    store.upsertDevice('192.168.1.23', 1000);
    store.upsertDevice('192.168.1.23', 3000);
    store.upsertDevice('192.168.1.23', 2000);
    store.upsertDevice('::1', 500);
    store.setSetting('theme', 'dark');
    await store.close();
    store = await Store.open(dir, memoryLogger());
    assert.deepEqual(store.listDevices(), [
      { address: '192.168.1.23', firstSeen: 1000, lastSeen: 3000 },
      { address: '::1', firstSeen: 500, lastSeen: 500 },
    ]);
    assert.equal(store.getSetting('theme'), 'dark');
    const catalog = JSON.parse(await readFile(join(dir, 'catalog.json'), 'utf8'));
    assert.deepEqual(Object.keys(catalog).sort(), ['devices', 'sessions', 'settings', 'version']);
    await store.close();
  });

  it('writes a completed flow within a second without flush', async () => {
    const store = await Store.open(dir, memoryLogger());
    const sid = store.currentSession().id;
    store.addFlow(captured(makeFlow(sid, 1), Buffer.from('abc')), []);
    await new Promise((r) => setTimeout(r, 400));
    const journal = await readFile(join(dir, 'sessions', sid, 'journal.ndjson'), 'utf8');
    assert.equal(journal.trim().split('\n').length, 1);
    assert.equal((await stat(join(dir, 'sessions', sid, 'bodies.bin'))).size, 3);
    await store.close();
  });
});
