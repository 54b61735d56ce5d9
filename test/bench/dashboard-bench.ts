// Dashboard performance in Debian's Chromium (measured, not asserted): a session of 20,000 flows — how soon the page
// is usable and fully loaded, long tasks while scrolling, live ingest at 200 flows/s through the real proxy while
// scrolling, and the tab's JS heap before and after.
// Run: node --import tsx test/bench/dashboard-bench.ts [flows] [ingestSeconds]
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/index.js';
import { launchBrowser, type PageWindow } from '../e2e/browser.js';
import { startOrigin } from '../helpers/test-origin.js';
import { startTestPhonehome, TEST_TOKEN } from '../helpers/test-phonehome.js';
import { captured, makeFinding, makeFlow, memoryLogger } from '../unit/store/make-flow.js';

const FLOWS = Number(process.argv[2] ?? 20_000);
const INGEST_S = Number(process.argv[3] ?? 10);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const dir = await mkdtemp(join(tmpdir(), 'phonehome-dash-bench-'));
const dataDir = join(dir, 'data');
{
  const store = await Store.open(dataDir, memoryLogger());
  const sid = store.currentSession().id;
  for (let n = 0; n < FLOWS; n++) {
    const flow = makeFlow(sid, n, { host: `api${n % 97}.example${n % 5}.com`, startedAt: Date.now() - (FLOWS - n) * 50 });
    store.addFlow(captured(flow), n % 10 === 0 ? [makeFinding(flow, 'imei')] : []);
  }
  await store.flush();
  await store.close();
}
console.log(`session with ${FLOWS} flows written`);

const origin = await startOrigin();
const ph = await startTestPhonehome(origin, { dataDir });
const browser = await launchBrowser();
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
// Long tasks, recorded from the first byte (init scripts are not subject to the page's CSP).
await page.addInitScript(`
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
`);
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
const heap = async () => {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
};
const longTasks = async (since: number) => ((await page.evaluate('window.__longTasks')) as { start: number; ms: number }[]).filter((t) => t.start >= since);
const now = async () => (await page.evaluate('performance.now()')) as number;

const t0 = Date.now();
await page.goto(`${ph.dashboard}/?token=${TEST_TOKEN}#/flows`);
await page.waitForSelector('.flow-row');
const firstRows = Date.now() - t0;
await page.waitForFunction((n) => (window as unknown as PageWindow).phonehome.counts().flows >= n, FLOWS, { timeout: 120_000 });
const allLoaded = Date.now() - t0;
const loadTasks = await longTasks(0);
console.log(`first rows visible: ${firstRows} ms · all ${FLOWS} flows in the page: ${allLoaded} ms · long tasks while loading: ${loadTasks.length} (max ${Math.round(Math.max(0, ...loadTasks.map((t) => t.ms)))} ms)`);
console.log(`JS heap after load: ${mb(await heap())} · rows in the DOM: ${await page.$$eval('.flow-row', (r) => r.length)}`);

async function scrollFor(ms: number): Promise<void> {
  await page.hover('[data-testid="flow-scroll"]');
  const end = Date.now() + ms;
  let down = true;
  while (Date.now() < end) {
    await page.mouse.wheel(0, down ? 2400 : -2400);
    await page.waitForTimeout(16);
    if (Math.random() < 0.05) down = !down;
  }
}

// Scrolling the whole list.
await page.evaluate('document.querySelector("[data-testid=flow-scroll]").scrollTop = 0');
let since = await now();
await scrollFor(3000);
let tasks = await longTasks(since);
console.log(`scrolling 3 s: long tasks ${tasks.length}, over 200 ms: ${tasks.filter((t) => t.ms > 200).length}, max ${Math.round(Math.max(0, ...tasks.map((t) => t.ms)))} ms`);

// Live ingest at 200 flows/s through the proxy while scrolling.
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const proxyPort = Number(new URL(ph.proxyUrl).port);
let sent = 0;
let failed = 0;
const ingest = setInterval(() => {
  for (let i = 0; i < 20; i++) {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, path: `http://api.example.test/small?n=${sent}`, agent, headers: { host: 'api.example.test' } }, (res) => res.resume());
    req.on('error', () => failed++);
    req.end();
    sent++;
  }
}, 100);
const before = ((await page.evaluate('window.phonehome.counts()')) as { flows: number }).flows;
since = await now();
await scrollFor(INGEST_S * 1000);
clearInterval(ingest);
await page.waitForTimeout(2500);
tasks = await longTasks(since);
const after = ((await page.evaluate('window.phonehome.counts()')) as { flows: number; link: string });
console.log(`ingest ${sent} requests in ${INGEST_S} s (${failed} failed) while scrolling: page gained ${after.flows - before} flows (link: ${after.link}); long tasks ${tasks.length}, over 200 ms: ${tasks.filter((t) => t.ms > 200).length}, max ${Math.round(Math.max(0, ...tasks.map((t) => t.ms)))} ms`);
console.log(`JS heap after ingest: ${mb(await heap())}`);

agent.destroy();
await browser.close();
await ph.stop();
await origin.close();
await rm(dir, { recursive: true, force: true });
