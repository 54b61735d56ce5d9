// The page's live path on its own: a DashboardServer (with its LiveStream) over a real store, fed the way the wiring
// will feed it (store.addFlow, then live.flowAdded), watched in Chromium. Shows that a late page gets the snapshot,
// that pushed flows, host rows, TLS failures and a session change reach the open page well within a second, and
// that a resync request reloads over the HTTP API.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { HostTable } from '../../src/hosts/host-table.js';
import { DashboardServer } from '../../src/server/dashboard-server.js';
import { toFlowSummary } from '../../src/store/flow-summary.js';
import { Store } from '../../src/store/index.js';
import type { Finding, Flow } from '../../src/types/index.js';
import { quietLogger } from '../helpers/test-phonehome.js';
import { captured, makeFinding, makeFlow } from '../unit/store/make-flow.js';
import { launchBrowser, screenshot, skipReason, type PageWindow } from './browser.js';

const TOKEN = 'live-dashboard-token-42';
const skip = skipReason();

describe('live updates in the page (DashboardServer + LiveStream, no proxy)', { skip }, () => {
  let dir: string;
  let store: Store;
  let dashboard: DashboardServer;
  let base: string;
  let browser: Browser;
  let page: Page;
  const tables = new Map<string, HostTable>();
  const table = (sid: string) => tables.get(sid) ?? tables.set(sid, new HostTable()).get(sid)!;
  let n = 0;

  /** What the wiring does for one analysed flow. */
  const addFlow = (over: Partial<Flow> = {}, kinds: Finding['kind'][] = []) => {
    const sid = store.currentSession().id;
    const flow = makeFlow(sid, n++, { startedAt: Date.now(), ...over });
    const findings = kinds.map((k, i) => makeFinding(flow, k, i));
    store.addFlow(captured(flow), findings);
    table(sid).addFlow(flow, findings);
    dashboard.live.flowAdded(toFlowSummary(flow, findings), findings);
    return flow;
  };
  const counts = () => page.evaluate('window.phonehome.counts()') as Promise<ReturnType<PageWindow['phonehome']['counts']>>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'phonehome-live-dash-'));
    store = await Store.open(dir, quietLogger);
    dashboard = new DashboardServer({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      ca: { certPem: 'x', certDer: Buffer.from('x'), fingerprintSha256: 'AA:BB' },
      setup: () => ({ proxyAddresses: ['127.0.0.1:8080'], fingerprintSha256: 'AA:BB' }),
      webRoot: join(process.cwd(), 'web', 'dist'),
      logger: quietLogger,
      capture: { paused: false, setPaused() {} },
      profiles: { list: () => [], save: () => Promise.reject(new Error('not in this test')) },
      importHar: () => {
        throw new Error('not in this test');
      },
      store,
      version: 'test',
      hostsOf: async (sid) => table(sid).rows(),
      startSession: (name) => {
        const s = store.startSession(name);
        dashboard.live.sessionChanged(s);
        return s;
      },
    });
    const address = await dashboard.start();
    base = `http://127.0.0.1:${address.port}`;
    // Flows from before the page opens come with the snapshot.
    for (let i = 0; i < 30; i++) addFlow({ host: 'before.example.com' }, i === 0 ? ['imei'] : []);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(`${base}/?token=${TOKEN}#/flows`);
  });
  after(async () => {
    await browser?.close();
    await dashboard?.stop();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a late page gets the snapshot: flows, hosts, findings', async () => {
    await page.waitForFunction(() => (window as unknown as PageWindow).phonehome.counts().flows === 30);
    const c = await counts();
    assert.equal(c.hosts, 1);
    assert.equal(c.findings, 1);
    assert.equal(c.link, 'live');
  });

  it('a pushed flow shows in the list in well under a second, host row included', async () => {
    const started = Date.now();
    addFlow({ host: 'pushed.example.cn', scheme: 'http' }, ['imsi']);
    await page.waitForSelector('.flow-row:has-text("pushed.example.cn")', { timeout: 5000 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    const c = await counts();
    assert.notEqual(c.lastLiveAt, null, 'it came by push, not by the poll');
    assert.equal(c.hosts, 2);
    assert.equal(c.findings, 2);
  });

  it('a burst of 500 flows arrives complete, in a few batches', async () => {
    for (let i = 0; i < 500; i++) addFlow({ host: `burst${i % 5}.example.com` });
    await page.waitForFunction(() => (window as unknown as PageWindow).phonehome.counts().flows === 531, undefined, { timeout: 5000 });
    assert.equal((await counts()).hosts, 7);
    await screenshot(page, 'live-burst');
  });

  it('a flow whose batch never came is fetched anyway, while batches keep coming', async () => {
    // Stored, but not pushed (as if its batch was lost in a reconnect).
    const sid = store.currentSession().id;
    const silent = makeFlow(sid, n++, { host: 'silent.example.com', startedAt: Date.now() });
    store.addFlow(captured(silent), []);
    table(sid).addFlow(silent, []);
    const ticker = setInterval(() => addFlow({ host: 'ticker.example.com' }), 400);
    try {
      await page.waitForSelector('.flow-row:has-text("silent.example.com")', { timeout: 8000 });
    } finally {
      clearInterval(ticker);
    }
    const c = await counts();
    const total = store.listFlows(sid, { limit: 0 }).total;
    await page.waitForFunction((t) => (window as unknown as PageWindow).phonehome.counts().flows === t, total, { timeout: 5000 });
    assert.ok(c.flows <= total);
  });

  it('a TLS failure pushed live shows on the overview', async () => {
    const sid = store.currentSession().id;
    const failure = { host: 'pinned.example.com', port: 443, device: '192.168.1.23', cause: 'cert-rejected', message: 'unknown ca', time: Date.now() };
    store.addEvent(sid, { type: 'tls-failure', ...failure });
    table(sid).addTlsFailure(failure);
    dashboard.live.tlsFailure(failure);
    await page.goto(`${base}/#/overview`);
    await page.waitForSelector('[data-testid="tls-failures"] li:has-text("pinned.example.com")', { timeout: 5000 });
  });

  it('a new session started elsewhere switches the page to it', async () => {
    const response = await fetch(`${base}/api/sessions`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'second run' }) });
    assert.equal(response.status, 201);
    await page.waitForSelector('.session-name:has-text("second run")', { timeout: 5000 });
    assert.equal((await counts()).flows, 0);
    addFlow({ host: 'after.example.com' });
    await page.goto(`${base}/#/flows`);
    await page.waitForSelector('.flow-row:has-text("after.example.com")', { timeout: 5000 });
  });
});
