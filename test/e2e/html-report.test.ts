// The HTML report (`phonehome export --format html`): one self-contained file with no script and no external
// request, every captured text escaped; Chromium opens it with no request beyond the file, no console error (the CSP
// allows its one stylesheet by hash), and prints it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { analyseFlow } from '../../src/app/flow-analysis.js';
import { loadProfiles } from '../../src/app/phonehome-app.js';
import { Store } from '../../src/store/index.js';
import { makeFlow } from '../unit/store/make-flow.js';
import { launchBrowser, skipReason } from './browser.js';
import { runCli } from '../helpers/run-cli.js';
import { quietLogger } from '../helpers/test-phonehome.js';

const PROFILE = join(import.meta.dirname, '../fixtures/import-profile.json');
const HOSTILE = `"><script>alert(1)</script><img src=http://127.0.0.1:9/x onerror=alert(2)>`;

describe('HTML report', () => {
  let root: string;
  let dataDir: string;
  let report: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'phonehome-report-'));
    dataDir = join(root, 'data');
    const profiles = await loadProfiles([PROFILE]);
    const store = await Store.open(dataDir, quietLogger, { sessionName: `report <b>session</b>` });
    const sessionId = store.currentSession().id;
    const requests: { url: string; scheme: 'http' | 'https'; body: string; headers: [string, string][] }[] = [
      { url: `http://tracker.example.test/c?imei=865432100123457&q=${encodeURIComponent(HOSTILE)}`, scheme: 'http', body: '', headers: [['X-Note', HOSTILE]] },
      { url: 'https://api.xiaomi.test/v1/u', scheme: 'https', body: JSON.stringify({ email: 'tester@example.org', note: HOSTILE }), headers: [['Content-Type', 'application/json']] },
      { url: 'https://api.xiaomi.test/v1/h', scheme: 'https', body: `aid=9f1c2d3e4a5b6c7d&x=${encodeURIComponent(HOSTILE)}`, headers: [['Content-Type', 'application/x-www-form-urlencoded']] },
      { url: 'https://quietLogger.example.test/ok', scheme: 'https', body: '', headers: [] },
    ];
    requests.forEach((r, n) => {
      const host = new URL(r.url).hostname;
      const flow = makeFlow(sessionId, n, { id: `report-${n}`, host, scheme: r.scheme, port: r.scheme === 'http' ? 80 : 443 });
      flow.request.url = r.url;
      flow.request.method = r.body ? 'POST' : 'GET';
      flow.request.headers = [['Host', host], ...r.headers];
      const body = Buffer.from(r.body);
      flow.request.body = { size: body.length, captured: body.length, truncated: false };
      flow.response!.body = { size: 0, captured: 0, truncated: false };
      flow.response!.headers = [];
      const captured = { flow, requestBody: body, responseBody: Buffer.alloc(0) };
      const analysis = analyseFlow(captured, profiles, 1 << 20);
      store.addFlow(captured, analysis.findings, analysis.decoded);
    });
    await store.close();
    report = join(root, 'report.html');
    const result = await runCli(['export', '--data', dataDir, '--format', 'html', '--out', report]);
    assert.equal(result.code, 0, result.err);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is one file with no script, no external reference, a strict CSP, and every captured text escaped', () => {
    const html = readFileSync(report, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[A-Za-z0-9+/=]+&#39;/);
    assert.doesNotMatch(html, /<script|<img|<iframe|<link|<object|<embed/i);
    // Real tags are the only literal '<' (captured text is escaped): none loads anything or handles an event.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    assert.ok(tags.length > 50);
    for (const tag of tags) {
      assert.doesNotMatch(tag, /\s(src|href|action|srcset|xlink:href|style)=/i, tag);
      assert.doesNotMatch(tag, /\son[a-z]+=/i, tag);
    }
    const allowed = new Set(['br', 'circle', 'code', 'g', 'h1', 'h2', 'h3', 'html', 'line', 'mark', 'meta', 'p', 'pre', 'section', 'span', 'strong', 'style', 'svg', 'table', 'tbody', 'td', 'text', 'th', 'thead', 'title', 'tr', 'head', 'body']);
    for (const tag of tags) assert.ok(allowed.has(/^<([a-z0-9]+)/i.exec(tag)![1]!.toLowerCase()), `unexpected element ${tag}`);
    assert.ok(html.includes('&#60;script&#62;alert(1)&#60;/script&#62;'), 'hostile text is shown, escaped');
    assert.ok(html.includes('report &#60;b&#62;session&#60;/b&#62;'));
    assert.ok(html.includes('<mark>865432100123457</mark>'), 'the IMEI is highlighted in its evidence excerpt');
    assert.ok(html.includes('<mark>tester@example.org</mark>'));
  });

  it('opens in Chromium with no request beyond the file and no console error, and prints', { skip: skipReason() }, async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      context.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('dialog', (d) => {
        errors.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      const url = pathToFileURL(report).href;
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForTimeout(300);
      assert.deepEqual(requests, [url]);
      assert.deepEqual(errors, []);
      assert.equal(await page.title(), 'phonehome report: report <b>session</b>');
      const facts = await page.evaluate(() => ({
        scripts: document.querySelectorAll('script, img, iframe').length,
        hosts: [...document.querySelectorAll('h2')].map((h) => h.textContent),
        marks: document.querySelectorAll('mark').length,
        markers: document.querySelectorAll('svg circle').length,
        styled: getComputedStyle(document.querySelector('mark')!).backgroundColor,
      }));
      assert.equal(facts.scripts, 0);
      assert.deepEqual(facts.hosts, ['Hosts', 'Which identifiers went where, and how', 'Timeline', 'Evidence']);
      assert.ok(facts.marks >= 3, `${facts.marks} highlighted identifiers`);
      assert.ok(facts.markers >= 3, `${facts.markers} timeline markers`);
      assert.equal(facts.styled, 'rgb(255, 211, 61)', 'the stylesheet applied under the CSP');
      const pdf = await page.pdf({ format: 'A4' });
      assert.ok(pdf.length > 10_000, 'it prints');
    } finally {
      await browser.close();
    }
  });
});
