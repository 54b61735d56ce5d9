// `phonehome export` through the built CLI (HAR, lossless JSON, CSV), next to a store that is open for writing, and
// the same formats from GET /api/sessions/:id/export.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { Store } from '../../src/store/index.js';
import { csvField, CSV_COLUMNS } from '../../src/export/csv-writer.js';
import type { Finding, Flow } from '../../src/types/index.js';
import { binaryBody, captured, makeFinding, makeFlow } from '../unit/store/make-flow.js';
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js';
import { startTestPhonehome, TEST_TOKEN, type TestPhonehome, quietLogger } from '../helpers/test-phonehome.js';
import { runCli } from '../helpers/run-cli.js';

/** RFC 4180 parser for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  assert.equal(field, '', 'the file ends with CRLF');
  return rows;
}

interface Seeded {
  flow: Flow;
  findings: Finding[];
  request: Buffer;
  response: Buffer;
  responseDecoded?: Buffer;
}

/** A session with binary bodies, a gzip response with its decoded copy, awkward CSV text and an event. */
function seed(store: Store): { sessionId: string; flows: Seeded[] } {
  const session = store.startSession('export test');
  const flows: Seeded[] = [];
  for (let n = 0; n < 6; n++) {
    const flow = makeFlow(session.id, n, { id: `export-flow-${n}` });
    const request = binaryBody(n, 200 + n);
    const decoded = Buffer.from(JSON.stringify({ n, text: 'ünïcode ✓' }));
    const response = gzipSync(decoded);
    flow.request.body = { size: request.length, captured: request.length, truncated: false };
    flow.response!.body = { size: response.length, captured: response.length, truncated: false, contentEncoding: 'gzip', decodedSize: decoded.length };
    if (n === 1) {
      flow.scheme = 'http';
      flow.request.url = 'http://api1.example.com/a,b?q="quoted",x=1&line=1%0A2';
    }
    const findings = n === 3 ? [] : [makeFinding(flow, 'imei', 0), { ...makeFinding(flow, 'custom', 1), where: '=cmd|calc', encodings: ['base64', 'sha1-hex'] }];
    store.addFlow(captured(flow, request, response), findings, { response: decoded });
    flows.push({ flow, findings, request, response, responseDecoded: decoded });
  }
  store.addEvent(session.id, { type: 'tls-failure', time: 1_700_000_000_500, host: 'pinned.test', cause: 'cert-rejected' });
  return { sessionId: session.id, flows };
}

describe('phonehome export (the built CLI)', () => {
  let root: string;
  let dataDir: string;
  let writer: Store;
  let seeded: ReturnType<typeof seed>;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'phonehome-export-'));
    dataDir = join(root, 'data');
    // The store stays open for writing (holding the data lock), as a running capture would.
    writer = await Store.open(dataDir, quietLogger);
    seeded = seed(writer);
    await writer.flush();
  });
  after(async () => {
    await writer.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('JSON holds everything, lossless: session, flows, findings, every body byte-exact, events, devices', async () => {
    const file = join(root, 'session.json');
    const result = await runCli(['export', '--data', dataDir, '--session', 'latest', '--format', 'json', '--out', file]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^exported session \S+ \(6 flows, 10 findings\) as json to /);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      format: string;
      redacted: boolean;
      session: { id: string; name: string };
      flows: { flow: Flow; findings: Finding[]; bodies: Record<string, string> }[];
      events: { type: string }[];
      devices: { address: string }[];
    };
    assert.equal(doc.format, 'phonehome-session');
    assert.equal(doc.redacted, false);
    assert.equal(doc.session.id, seeded.sessionId);
    assert.equal(doc.session.name, 'export test');
    assert.equal(doc.flows.length, seeded.flows.length);
    doc.flows.forEach((got, i) => {
      const want = seeded.flows[i]!;
      assert.deepEqual(got.flow, want.flow);
      assert.deepEqual(got.findings, want.findings);
      assert.deepEqual(Buffer.from(got.bodies.request!, 'base64'), want.request);
      assert.deepEqual(Buffer.from(got.bodies.response!, 'base64'), want.response);
      assert.deepEqual(Buffer.from(got.bodies.responseDecoded!, 'base64'), want.responseDecoded);
    });
    assert.deepEqual(doc.events.map((e) => e.type), ['tls-failure']);
    assert.deepEqual(doc.devices, []);
  });

  it('CSV has one properly quoted row per finding with the contract columns', async () => {
    const file = join(root, 'findings.csv');
    const result = await runCli(['export', '--data', dataDir, '--session', seeded.sessionId, '--format', 'csv', '--out', file]);
    assert.equal(result.code, 0, result.err);
    const rows = parseCsv(readFileSync(file, 'utf8'));
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    const findings = seeded.flows.flatMap((s) => s.findings.map((f) => ({ f, flow: s.flow })));
    assert.equal(rows.length - 1, findings.length);
    findings.forEach(({ f, flow }, i) => {
      assert.deepEqual(rows[i + 1], [
        new Date(f.time!).toISOString(),
        flow.device,
        f.host,
        'US',
        f.kind,
        f.where.startsWith('=') ? `'${f.where}` : f.where,
        f.encodings.join('>'),
        String(f.plaintext),
        f.confidence,
        flow.request.url,
      ]);
    });
    assert.ok(rows.some((r) => r[9] === 'http://api1.example.com/a,b?q="quoted",x=1&line=1%0A2'));
  });

  it('HAR is the HAR writer output: version 1.2, one entry per flow, bodies as text or base64', async () => {
    const file = join(root, 'session.har');
    const result = await runCli(['export', '--data', dataDir, '--session', 'export test', '--format', 'har', '--out', file]);
    assert.equal(result.code, 0, result.err);
    const har = JSON.parse(readFileSync(file, 'utf8')) as { log: { version: string; entries: { response: { content: { text: string } }; _postDataEncoding?: string; request: { postData?: { text: string } } }[] } };
    assert.equal(har.log.version, '1.2');
    assert.equal(har.log.entries.length, 6);
    assert.equal(har.log.entries[0]!.response.content.text, seeded.flows[0]!.responseDecoded!.toString('utf8'));
  });

  it('refuses bad arguments with one line and exit code 2, leaving no file behind', async () => {
    const file = join(root, 'never.out');
    for (const [args, message] of [
      [['--format', 'xml', '--out', file], /unknown format "xml"; available: har, json, csv, html/],
      [['--format', 'csv'], /--out FILE is required/],
      [['--session', 'no such session', '--format', 'csv', '--out', file], /no session "no such session"/],
      [['--bogus'], /Unknown option '--bogus'/],
    ] as const) {
      const result = await runCli(['export', '--data', dataDir, ...args]);
      assert.equal(result.code, 2, result.err);
      assert.match(result.err, message);
    }
    const nowhere = await runCli(['export', '--data', dataDir, '--format', 'json', '--out', join(root, 'no-such-dir', 'x.json')]);
    assert.equal(nowhere.code, 2, nowhere.err);
    assert.match(nowhere.err, /^phonehome export: cannot write .*x\.json: ENOENT/);
    const missing = await runCli(['export', '--data', join(root, 'nothing-here'), '--out', file]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /phonehome export: data folder .* is not usable/);
    assert.equal(existsSync(file), false);
    assert.deepEqual(readdirSync(root).filter((n) => n.includes('.partial-')), []);
  });

  it('csvField quotes commas, quotes and line breaks and defuses formulas', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('1\r\n2'), '"1\r\n2"');
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField(''), '');
  });
});

describe('GET /api/sessions/:id/export', () => {
  let origin: TestOrigin;
  let ph: TestPhonehome;
  let sessionId: string;

  before(async () => {
    origin = await startOrigin();
    ph = await startTestPhonehome(origin);
    sessionId = seed(ph.running.store).sessionId;
    await ph.running.store.flush();
  });
  after(async () => {
    await ph.stop();
    await origin.close();
  });

  const get = (path: string) => fetch(`${ph.dashboard}${path}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });

  it('serves json and csv as attachments, redacts with redact=1, and says which formats exist', async () => {
    const json = await get(`/api/sessions/${sessionId}/export?format=json`);
    assert.equal(json.status, 200);
    assert.match(json.headers.get('content-disposition') ?? '', /attachment; filename="phonehome-export_test\.json"/);
    const doc = (await json.json()) as { flows: unknown[]; session: { id: string } };
    assert.equal(doc.session.id, sessionId);
    assert.equal(doc.flows.length, 6);
    const csv = await get(`/api/sessions/${sessionId}/export?format=csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(parseCsv(await csv.text()).length, 11);
    const har = await get(`/api/sessions/${sessionId}/export`);
    assert.equal(((await har.json()) as { log: { entries: unknown[] } }).log.entries.length, 6);
    for (const format of ['csv', 'json', 'har']) {
      const redacted = await (await get(`/api/sessions/${sessionId}/export?format=${format}&redact=1`)).text();
      assert.ok(redacted.includes('***********3457'), `${format}: the IMEI is masked`);
      assert.ok(!redacted.includes('865432100123457'), `${format}: the IMEI is not left`);
    }
    assert.equal((await get(`/api/sessions/${sessionId}/export?format=csv&redact=yes`)).status, 400);
    const bad = await get(`/api/sessions/${sessionId}/export?format=xml`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /available: har, json, csv, html/);
  });
});
