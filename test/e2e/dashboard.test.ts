// The dashboard in Debian's Chromium against a real phonehome: real traffic from curl through the real proxy to a
// local origin, then the views, filters, detail, setup, sessions and hostile content. Screenshots of each view go
// to test-results/e2e/.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { WebSocket } from 'ws';
import { connectTunnel, rawExchange } from '../helpers/proxy-clients.js';
import { curl, TEST_TOKEN } from '../helpers/test-phonehome.js';
import { openDashboard, phoneCurl, screenshot, skipReason, type DashboardHarness, type PageWindow } from './browser.js';

const skip = skipReason();
const IMEI = '865432100123457';
if (skip) console.log(`# SKIP dashboard e2e: ${skip}`);

describe('dashboard in Chromium with real traffic', { skip }, () => {
  let h: DashboardHarness;

  before(async () => {
    const profile = join(mkdtempSync(join(tmpdir(), 'phonehome-e2e-profile-')), 'phone.json');
    writeFileSync(profile, JSON.stringify({ name: 'Redmi test unit', imei: [IMEI] }));
    h = await openDashboard({ profileFiles: [profile] });
    const { ph } = h;
    const sends: string[][] = [
      ['https://api.xiaomi.test/v2/device/register', '-H', 'content-type: application/json', '--data', '{"android_id":"9f1c2d3e4a5b6c7d","email":"tester@example.com","mac":"02:00:00:44:55:66"}'],
      ['https://api.xiaomi.test/config?lang=en'],
      ['http://api.example.test/report?tel=%2B8613812345678'],
      ['https://api.example.test/gzip'],
      ['https://other.test/ping'],
      ['https://api.xiaomi.test/stats/collect', '-H', 'content-type: application/json', '--data', JSON.stringify({ did: createHash('sha1').update(IMEI).digest('hex'), v: 3 })],
    ];
    for (const args of sends) {
      const result = await phoneCurl(ph, args);
      assert.equal(result.code, 0, `curl ${args[0]}: ${result.stderr}`);
    }
    // A client that does not trust phonehome's CA (as a pinning app): the handshake fails and is recorded.
    const refused = await curl(['-x', ph.proxyUrl, 'https://pinned.test/']);
    assert.notEqual(refused.code, 0);
  });
  after(async () => {
    await h?.close();
  });

  const counts = async () => (await h.page.evaluate('window.phonehome.counts()')) as ReturnType<PageWindow['phonehome']['counts']>;

  it('the token leaves the address bar and the page loads', async () => {
    assert.ok(!h.page.url().includes('token'), `token still in ${h.page.url()}`);
    await h.page.waitForSelector('nav[aria-label="Views"]');
  });

  it('without the token the page says what to do, and the API refuses', async () => {
    const other = await h.browser.newContext();
    const page = await other.newPage();
    const response = await page.goto(`${h.ph.dashboard}/`);
    assert.equal(response?.status(), 401);
    assert.match((await page.textContent('h1')) ?? '', /token/);
    const api = await page.goto(`${h.ph.dashboard}/api/flows`);
    assert.equal(api?.status(), 401);
    await other.close();
  });

  it('traffic shows in Hosts: one row per host with country, transport and identifier badges', async () => {
    const { page, ph } = h;
    await page.goto(`${ph.dashboard}/#/hosts`);
    await page.waitForSelector('tr[data-host="api.xiaomi.test"]', { timeout: 15_000 });
    await page.waitForSelector('tr[data-host="api.example.test"]');
    await page.waitForSelector('tr[data-host="other.test"]');
    const plainRow = await page.textContent('tr[data-host="api.example.test"]');
    assert.match(plainRow ?? '', /Plain HTTP/);
    assert.match(plainRow ?? '', /This machine|loopback|LO/i);
    const tlsRow = await page.textContent('tr[data-host="api.xiaomi.test"]');
    assert.match(tlsRow ?? '', /TLS/);
    assert.ok(await page.$('tr[data-host="api.xiaomi.test"] [data-kind="email"]'), 'the e-mail badge shows on the host that received it');
    assert.equal(await page.getAttribute('table[aria-label="Hosts"]', 'role'), 'grid');
    await page.waitForSelector('tr[data-host="pinned.test"]:has-text("Likely pinned")');
    await screenshot(page, 'hosts');

    // Sorting by host name puts the rows in order.
    await page.click('th >> text=Host');
    const order = await page.$$eval('tr[data-host]', (rows) => rows.map((r) => r.getAttribute('data-host')));
    assert.deepEqual(order, [...order].sort());
  });

  it('keyboard in Hosts: j/k move, Enter opens the host', async () => {
    const { page } = h;
    await page.click('h1');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.waitForSelector('tr[data-host][aria-selected="true"]');
    const chosen = await page.getAttribute('tr[data-host][aria-selected="true"]', 'data-host');
    const order = await page.$$eval('tr[data-host]', (rows) => rows.map((r) => r.getAttribute('data-host')));
    assert.equal(chosen, order[1]);
    await page.keyboard.press('k');
    await page.waitForSelector(`tr[data-host="${order[0]}"][aria-selected="true"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.host-banner');
    assert.match(decodeURIComponent(page.url()), new RegExp(`host:=${order[0]!.replace(/\./g, '\\.')}`));
    await page.goBack();
    await page.waitForSelector('tr[data-host="api.xiaomi.test"]');
    // "/" filters the hosts, Esc clears.
    await page.keyboard.press('/');
    await page.keyboard.type('xiaomi');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-host]').length === 1);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-host]').length > 1);
  });

  it('clicking a host opens its flows', async () => {
    const { page } = h;
    await page.click('tr[data-host="api.xiaomi.test"] td:nth-child(3)');
    await page.waitForSelector('.host-banner');
    await page.waitForSelector('.flow-row');
    const hosts = await page.$$eval('.flow-row .fc-host', (cells) => cells.map((c) => c.textContent));
    assert.ok(hosts.length >= 2, `expected the host's flows, got ${hosts.length}`);
    assert.ok(hosts.every((x) => x === 'api.xiaomi.test'), hosts.join(','));
    assert.match(page.url(), /#\/flows\?filter=host%3A%3Dapi\.xiaomi\.test/);
    await screenshot(page, 'host-flows');
  });

  it('the flow list shows every flow; filters narrow it', async () => {
    const { page, ph } = h;
    await page.goto(`${ph.dashboard}/#/flows`);
    await page.waitForFunction((n) => (window as unknown as PageWindow).phonehome.counts().flows >= n, 5, { timeout: 15_000 });
    assert.equal(await page.getAttribute('.flow-grid', 'role'), 'grid');
    const shown = () => page.$$eval('.flow-row', (rows) => rows.map((r) => ({ host: r.querySelector('.fc-host')?.textContent, method: r.querySelector('.fc-method')?.textContent, plain: !!r.querySelector('.transport.plain') })));

    const typeFilter = async (text: string) => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('/');
      await page.keyboard.press('Control+A');
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
      await page.waitForFunction((part) => location.hash.includes(part), encodeURIComponent(text).replace(/%20/g, '+').slice(0, 10));
    };

    await typeFilter('method:POST');
    await page.waitForFunction(() => document.querySelectorAll('.flow-row').length === 2);
    assert.deepEqual((await shown()).map((r) => r.method), ['POST', 'POST']);

    await typeFilter('plaintext');
    await page.waitForFunction(() => document.querySelectorAll('.flow-row').length === 1);
    const plain = await shown();
    assert.ok(plain.every((r) => r.plain && r.host === 'api.example.test'), JSON.stringify(plain));

    await typeFilter('host:xiaomi -method:POST');
    await page.waitForFunction(() => document.querySelectorAll('.flow-row').length === 1);
    assert.deepEqual((await shown()).map((r) => `${r.method} ${r.host}`), ['GET api.xiaomi.test']);

    await typeFilter('kind:email');
    await page.waitForFunction(() => document.querySelectorAll('.flow-row').length === 1);

    await typeFilter('nosuchthing');
    await page.waitForSelector('text=No flow matches this filter');
    await screenshot(page, 'flows-filter-empty');

    await typeFilter('bogus:1');
    await page.waitForSelector('.filter-problems');

    // Esc (outside the box) clears the filter.
    await page.click('h1, .flow-head');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelectorAll('.flow-row').length >= 5);
    await screenshot(page, 'flows');
  });

  it('j/k move through flows and open the detail; findings are highlighted in place; copy as cURL', async () => {
    const { page, ph, context } = h;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ph.dashboard });
    await page.goto(`${ph.dashboard}/#/flows`);
    await page.waitForSelector('.flow-row');
    await page.click('.flow-head');
    await page.keyboard.press('j');
    await page.waitForSelector('aside.detail');
    const first = await page.getAttribute('aside.detail', 'data-flow-id');
    await page.keyboard.press('j');
    await page.waitForFunction((id) => document.querySelector('aside.detail')?.getAttribute('data-flow-id') !== id, first);
    await page.keyboard.press('Escape');
    await page.waitForSelector('aside.detail', { state: 'detached' });

    await page.click('.flow-row:has-text("/v2/device/register")');
    await page.waitForSelector('.finding-item');
    await page.waitForSelector('mark.hit[data-kind="email"]');
    const marked = await page.$$eval('mark.hit', (marks) => marks.map((m) => m.textContent));
    assert.ok(marked.includes('tester@example.com'), marked.join(','));
    await screenshot(page, 'flow-detail');

    await page.click('button[data-copy="Copy as cURL"]');
    await page.waitForSelector('text=✓ Copied');
    const copied = String(await page.evaluate('navigator.clipboard.readText()'));
    assert.match(copied, /^curl -X 'POST' 'https:\/\/api\.xiaomi\.test\/v2\/device\/register'/);
    assert.match(copied, /--data-binary '\{"android_id":"9f1c2d3e4a5b6c7d"/);
  });

  it('a SHA-1-hashed IMEI is found and highlighted in place, with its encoding chain', async () => {
    const { page, ph } = h;
    const sha1 = createHash('sha1').update(IMEI).digest('hex');
    await page.goto(`${ph.dashboard}/#/flows?filter=kind:imei path:/stats`);
    await page.waitForSelector('.flow-row', { timeout: 15_000 });
    await page.click('.flow-row');
    await page.waitForSelector('.finding-item [data-kind="imei"]');
    const item = (await page.textContent('.finding-item:has([data-kind="imei"])')) ?? '';
    assert.match(item, new RegExp(IMEI));
    assert.match(item, /sha1/i);
    await page.waitForSelector(`mark.hit[data-kind="imei"]:has-text("${sha1}")`);
    await screenshot(page, 'flow-detail-hashed-imei');
    // The decoded-layers tab renders what detection walked through (here: nothing encoded but JSON).
    await page.click('[role=tab]:has-text("Decoded layers")');
    await page.waitForSelector('[role=tabpanel][aria-label="Decoded layers"] :is(.decoded-layers, p.muted)');
  });

  it('the response tab shows a gzip body decoded', async () => {
    const { page, ph } = h;
    await page.goto(`${ph.dashboard}/#/flows?filter=path:/gzip`);
    await page.waitForSelector('.flow-row');
    await page.click('.flow-row');
    await page.click('[role=tab]:has-text("Response")');
    await page.waitForSelector('pre.code-block:has-text("865432100123457")');
    assert.ok(await page.$('.segmented button:has-text("Raw")'), 'a raw/decoded switch for an encoded body');
  });

  it('a WebSocket shows its messages in the detail', async () => {
    const { page, ph } = h;
    const socket = await connectTunnel(ph.running.proxyAddress.port, 'ws.test:443');
    const ca = readFileSync(ph.caFile, 'utf8');
    const ws = new WebSocket('wss://ws.test/chat', { createConnection: () => tls.connect({ socket, servername: 'ws.test', ca }) } as never);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => ws.send('hello <b>phone</b>'));
      ws.once('message', () => resolve());
      ws.once('error', reject);
    });
    ws.close();
    await page.goto(`${ph.dashboard}/#/flows?filter=host:=ws.test`);
    await page.waitForSelector('.flow-row', { timeout: 15_000 });
    await page.click('.flow-row');
    await page.click('[role=tab]:has-text("Messages")');
    await page.waitForSelector('.ws-message.ws-sent pre:has-text("hello <b>phone</b>")');
    await page.waitForSelector('.ws-message.ws-received pre:has-text("echo:hello <b>phone</b>")');
    assert.equal(await page.$$eval('.ws-message b', (b) => b.length), 0, 'message markup stays text');
    await screenshot(page, 'websocket');
  });

  it('live push: a new flow reaches the open page within a second (when the wiring feeds the live stream)', async (t) => {
    const { page, ph } = h;
    await page.goto(`${ph.dashboard}/#/flows`);
    await page.waitForSelector('.flow-row');
    const before = (await counts()).flows;
    const sent = Date.now();
    const result = await phoneCurl(ph, ['https://api.example.test/live-push-check']);
    assert.equal(result.code, 0, result.stderr);
    try {
      await page.waitForSelector('.flow-row:has-text("/live-push-check")', { timeout: 15_000 });
    } catch (error) {
      const api = await (await fetch(`${ph.dashboard}/api/flows?q=live-push-check`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).text();
      throw new Error(`${(error as Error).message}\npage: ${JSON.stringify(await counts())} url ${page.url()}\nAPI: ${api}`, { cause: error });
    }
    const elapsed = Date.now() - sent;
    const c = await counts();
    assert.equal(c.flows, before + 1);
    if (c.lastLiveAt === null) {
      t.skip(`live push is not wired into the app yet: the flow arrived by the 2 s poll after ${elapsed} ms`);
      return;
    }
    assert.ok(elapsed < 1500, `pushed flow took ${elapsed} ms`);
  });

  it('overview and findings summarise what left the phone', async () => {
    const { page, ph } = h;
    await page.goto(`${ph.dashboard}/#/overview`);
    await page.waitForSelector('.stat-card');
    await page.waitForFunction(() => (window as unknown as PageWindow).phonehome.counts().findings > 0);
    await page.waitForSelector('[data-testid="tls-failures"] li:has-text("pinned.test")');
    await screenshot(page, 'overview');
    await page.goto(`${ph.dashboard}/#/findings`);
    await page.waitForSelector('.finding-group');
    assert.ok(await page.$('.finding-group [data-kind="email"]'));
    await screenshot(page, 'findings');
  });

  it('setup shows the proxy address, a QR code with it and the CA URL, a connected device, and downloads the CA', async () => {
    const { page, ph } = h;
    await page.goto(`${ph.dashboard}/#/setup`);
    await page.waitForSelector('svg.qr');
    const qrText = await page.getAttribute('svg.qr', 'data-qr-text');
    const port = new URL(ph.proxyUrl).port;
    assert.match(qrText ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(qrText ?? '', /http:\/\/phonehome\.setup\/ca\.crt/);
    assert.ok(((await page.$$eval('svg.qr path', (p) => p[0]?.getAttribute('d')?.length ?? 0)) as number) > 500, 'the QR has modules');
    await page.waitForSelector('[data-testid="device-status"].connected');
    await page.waitForSelector('table[aria-label="Devices"] tr[data-device="127.0.0.1"]');
    // The profile that applies to it (this one names no device, so it applies to every device).
    await page.waitForSelector('tr[data-device="127.0.0.1"] [data-testid="device-profiles"]:has-text("Redmi test unit")');
    // The tester names the phone in place.
    await page.click('button[aria-label="Label device 127.0.0.1"]');
    await page.fill('input[aria-label="Label for 127.0.0.1"]', 'Redmi 1S test unit');
    await page.click('tr[data-device="127.0.0.1"] button:has-text("Save")');
    await page.waitForSelector('tr[data-device="127.0.0.1"]:has-text("Redmi 1S test unit")');
    // The profile editor refuses a bad value with its field, then saves a good one.
    await page.selectOption('select[aria-label="Profile"]', 'new');
    await page.fill('.profile-field:has-text("Name") input', 'Second phone');
    await page.fill('.profile-field:has-text("MAC addresses") input', '0c:1d:af');
    await page.click('button:has-text("Create profile")');
    await page.waitForSelector('.profile-editor [role="alert"]:has-text("macAddresses")');
    assert.equal(await page.getAttribute('.profile-field:has-text("MAC addresses") input', 'aria-invalid'), 'true');
    await page.fill('.profile-field:has-text("MAC addresses") input', '0c:1d:af:43:ef:01');
    await page.click('button:has-text("Create profile")');
    await page.waitForSelector('.profile-editor [role="status"]:has-text("Saved to")');
    assert.equal(await page.textContent('[data-testid="proxy-port"]'), port);
    await screenshot(page, 'setup');
    await page.locator('.profile-editor').scrollIntoViewIfNeeded();
    await screenshot(page, 'profile-editor');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="ca-crt"]')]);
    const path = await download.path();
    const der = readFileSync(path);
    const pem = readFileSync(ph.caFile, 'utf8');
    const expected = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    assert.ok(der.equals(expected), 'ca.crt is the CA in DER');
  });

  it('hostile content in host, path, headers and body renders as text and runs nothing', async () => {
    const { page, ph } = h;
    const img = '<img src=x onerror="window.__pwned=1">';
    const script = '<script>window.__pwned=2</script>';
    const result = await phoneCurl(ph, [
      '--path-as-is',
      `http://api.example.test/xss/${encodeURIComponent(img)}?q=${encodeURIComponent(script)}`,
      '-H', `X-Evil: ${img}${script}`,
      '-H', 'content-type: text/html',
      '--data-binary', `${img}${script}`,
    ]);
    assert.equal(result.code, 0, result.stderr);
    // A host name made of markup: the proxy refuses it in a request line, but a TLS ClientHello can carry it as SNI,
    // and the refused handshake becomes a TLS failure for that "host" (Hosts view, Overview).
    const port = Number(new URL(ph.proxyUrl).port);
    await rawExchange(port, `GET http://<img/src=x/onerror=window.__pwned=3>/ HTTP/1.1\r\nHost: <img/src=x/onerror=window.__pwned=3>\r\nConnection: close\r\n\r\n`, 3000);
    const evilHost = '<img src=x onerror="window.__pwned=4">';
    const raw = await connectTunnel(port, 'api.example.test:443');
    await new Promise<void>((resolve) => {
      const t = tls.connect({ socket: raw, servername: evilHost, rejectUnauthorized: false }, () => resolve());
      t.once('error', () => resolve());
      t.once('close', () => resolve());
    });

    await page.goto(`${ph.dashboard}/#/flows?filter=xss`);
    await page.waitForSelector('.flow-row', { timeout: 15_000 });
    await page.click('.flow-row');
    await page.waitForSelector('pre.code-block');
    await page.goto(`${ph.dashboard}/#/flows`);
    await page.waitForSelector('.flow-row');
    await page.goto(`${ph.dashboard}/#/hosts`);
    await page.waitForFunction((host) => [...document.querySelectorAll('tr[data-host]')].some((r) => r.getAttribute('data-host') === host), evilHost, { timeout: 15_000 });
    const hostCells = await page.$$eval('td.host-cell', (cells) => cells.map((c) => c.textContent ?? ''));
    assert.ok(hostCells.some((t) => t.includes(evilHost)), 'the markup host shows as text in Hosts');
    assert.equal(await page.$$eval('img', (i) => i.length), 0);
    await screenshot(page, 'xss-hosts');
    await page.goto(`${ph.dashboard}/#/overview`);
    await page.waitForSelector('[data-testid="tls-failures"]');
    assert.match((await page.textContent('[data-testid="tls-failures"]')) ?? '', /<img src=x onerror=/);
    await page.goto(`${ph.dashboard}/#/flows?filter=xss`);
    await page.click('.flow-row');
    await page.waitForSelector('pre.code-block');
    await screenshot(page, 'xss-detail');

    const state = (await page.evaluate(`({
      pwned: window.__pwned ?? null,
      imgs: document.querySelectorAll('img').length,
      scripts: [...document.querySelectorAll('script')].map((s) => s.src || 'inline'),
      body: document.querySelector('pre.code-block')?.textContent ?? '',
      header: [...document.querySelectorAll('.kv-table td')].map((td) => td.textContent).join('\\n'),
    })`)) as { pwned: number | null; imgs: number; scripts: string[]; body: string; header: string };
    assert.equal(state.pwned, null, 'no payload ran');
    assert.equal(state.imgs, 0, 'no <img> element was created from captured content');
    assert.ok(state.scripts.every((s) => s !== 'inline' && s.includes('/assets/')), `unexpected scripts: ${state.scripts.join(', ')}`);
    assert.ok(state.body.includes(img) && state.body.includes(script), 'the body shows the markup as text');
    assert.ok(state.header.includes(img), 'the header shows the markup as text');
    const csp = h.pageErrors.filter((e) => /Content Security Policy|inline/i.test(e));
    assert.deepEqual(csp, [], 'nothing even tried to run (no CSP violation)');
  });

  it('a new session starts from the Sessions view and becomes the one on screen', async () => {
    const { page, ph } = h;
    await page.goto(`${ph.dashboard}/#/sessions`);
    await page.waitForSelector('tr[data-session]');
    await page.fill('#session-name', 'after factory reset');
    await page.click('button:has-text("Start new session")');
    await page.waitForSelector('tr[data-session="after factory reset"]:has-text("recording")');
    await page.waitForSelector('.session-name:has-text("after factory reset")');
    const c = await counts();
    assert.equal(c.flows, 0, 'the new session starts empty');
    // A marker on the new session's timeline, and recording paused then resumed (the phone stays online).
    await page.fill('#marker-text', 'factory reset done');
    await page.click('button:has-text("Add marker")');
    await page.waitForSelector('.marker-timeline li:has-text("factory reset done")');
    await page.click('button:has-text("Pause recording")');
    await page.waitForSelector('[data-testid="capture-state"]:has-text("paused")');
    await page.waitForSelector('.capture-alert:has-text("Recording is paused")', { timeout: 10_000 });
    await page.click('button:has-text("Resume recording")');
    await page.waitForSelector('[data-testid="capture-state"]:has-text("on")');
    await page.waitForSelector('.capture-alert', { state: 'detached', timeout: 10_000 });
    await screenshot(page, 'sessions');
    // Traffic after the switch lands in the new session.
    await phoneCurl(ph, ['https://other.test/after-reset']);
    await page.goto(`${ph.dashboard}/#/flows`);
    await page.waitForSelector('.flow-row:has-text("/after-reset")', { timeout: 15_000 });
    assert.equal((await counts()).flows, 1);
    // The overview's timeline shows the flows with the marker set before them.
    await page.goto(`${ph.dashboard}/#/overview`);
    await page.waitForSelector('.timeline-marker-label:has-text("factory reset done")');
    await page.waitForSelector('.session-timeline rect.timeline-bar');
    await screenshot(page, 'overview-timeline');

    // Each session exports as HAR from its row.
    await page.goto(`${ph.dashboard}/#/sessions`);
    await page.waitForSelector('tr[data-session="session 1"]');
    const [har] = await Promise.all([page.waitForEvent('download'), page.click('tr[data-session="session 1"] a:has-text("HAR")')]);
    const log = JSON.parse(readFileSync(await har.path(), 'utf8')) as { log: { entries: unknown[] } };
    assert.ok(log.log.entries.length >= 5, `HAR has ${log.log.entries.length} entries`);
    // … and as an HTML report, from the row's menu.
    await page.click('tr[data-session="session 1"] summary:has-text("More")');
    const [report] = await Promise.all([page.waitForEvent('download'), page.click('tr[data-session="session 1"] a:has-text("HTML report")')]);
    assert.match(readFileSync(await report.path(), 'utf8'), /<!doctype html>/i);
    // Before/after: the new session lost the hosts session 1 talked to.
    assert.equal(await page.inputValue('select[aria-label="Before"] >> xpath=.'), (await page.$eval('tr[data-session="session 1"] .mono', (e) => e.textContent ?? '')).trim());
    await page.click('button:has-text("Compare")');
    await page.waitForSelector('[data-testid="diff-summary"]');
    await page.waitForSelector('tr[data-diff-host="api.xiaomi.test"]:has-text("disappeared")');
    // A HAR from another tool, uploaded, becomes a session of its own and opens on screen.
    await page.setInputFiles('input[aria-label="HAR file to import"]', join(process.cwd(), 'test', 'fixtures', 'chrome-export.har'));
    await page.waitForSelector('.har-import [role="status"]:has-text("Imported 5 entries")');
    await page.waitForSelector('.session-name:has-text("import of chrome-export.har")');

    // The earlier session can still be opened.
    await page.goto(`${ph.dashboard}/#/sessions`);
    await page.click('tr[data-session="session 1"] button:has-text("Open")');
    await page.waitForSelector('.session-name:has-text("session 1")');
    await page.waitForSelector('tr[data-session="session 1"].active');
    assert.ok((await counts()).flows >= 5);
  });

  it('from an older session, one click goes back to the live one', async () => {
    const { page, ph } = h;
    await page.goto(`${ph.dashboard}/#/flows`);
    await page.click('button.back-live');
    await page.waitForSelector('.session-name:has-text("after factory reset")');
    await page.waitForSelector('.flow-row:has-text("/after-reset")');
    // and back to session 1 for the views below
    await page.goto(`${ph.dashboard}/#/sessions`);
    await page.click('tr[data-session="session 1"] button:has-text("Open")');
    await page.waitForSelector('.session-name:has-text("session 1")');
  });

  it('dark mode follows the system (screenshots of each view)', async () => {
    const { page, ph } = h;
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const view of ['overview', 'hosts', 'findings', 'setup', 'sessions']) {
      await page.goto(`${ph.dashboard}/#/${view}`);
      await page.waitForSelector('h1');
      await page.waitForTimeout(150);
      await screenshot(page, `dark-${view}`);
    }
    const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(background, 'rgb(13, 17, 23)');
    await page.goto(`${ph.dashboard}/#/flows?filter=kind:imei`);
    await page.waitForSelector('.flow-row');
    await page.click('.flow-row');
    await page.waitForSelector('mark.hit');
    await screenshot(page, 'dark-flow-detail');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('no errors in the page console', () => {
    const unexpected = h.pageErrors.filter((e) => !/Failed to load resource/.test(e));
    assert.deepEqual(unexpected, []);
  });
});
