// Round trip: a session analysed like a live one, exported as HAR by the built CLI, then `phonehome scan` over that
// HAR finds the same findings, entry by entry; binary request bodies come back byte-exact (via `phonehome import`).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { analyseFlow } from '../../src/app/flow-analysis.js';
import { loadProfiles } from '../../src/app/phonehome-app.js';
import { Store } from '../../src/store/index.js';
import type { Finding } from '../../src/types/index.js';
import { makeFlow } from '../unit/store/make-flow.js';
import { runCli } from '../helpers/run-cli.js';
import { quietLogger } from '../helpers/test-phonehome.js';

const PROFILE = join(import.meta.dirname, '../fixtures/import-profile.json');

const key = (f: Finding) => `${f.kind}|${f.value}|${f.where}|${f.encodings.join('>')}|${f.confidence}|${f.plaintext}`;

describe('HAR export → scan round trip', () => {
  let root: string;
  let dataDir: string;
  let stored: { findings: Finding[]; request: Buffer }[];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'phonehome-roundtrip-'));
    dataDir = join(root, 'data');
    const profiles = await loadProfiles([PROFILE]);
    const store = await Store.open(dataDir, quietLogger, { sessionName: 'round trip' });
    const sessionId = store.currentSession().id;
    const bodies: { body: Buffer; headers: [string, string][] }[] = [
      // Binary (not UTF-8) with the IMEI inside: travels in the HAR as base64.
      { body: Buffer.concat([Buffer.from([0x08, 0x96, 0x01, 0xff, 0xfe]), Buffer.from('865432100123457'), Buffer.from([0x80, 0x00, 0xc3])]), headers: [['Content-Type', 'application/x-protobuf']] },
      // gzip on the wire (content-encoding): base64 in the HAR, inflated by the detector.
      { body: gzipSync(JSON.stringify({ email: 'tester@example.org' })), headers: [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']] },
      { body: Buffer.from('aid=9f1c2d3e4a5b6c7d&tel=%2B8613812345678'), headers: [['Content-Type', 'application/x-www-form-urlencoded']] },
    ];
    stored = [];
    bodies.forEach(({ body, headers }, n) => {
      const flow = makeFlow(sessionId, n, { id: `rt-${n}`, host: 'api.example.test' });
      flow.request.url = `https://api.example.test/v1/${n}`;
      flow.request.method = 'POST';
      flow.request.headers = [['Host', 'api.example.test'], ...headers];
      flow.request.body = { size: body.length, captured: body.length, truncated: false, ...(headers.some(([h]) => h === 'Content-Encoding') ? { contentEncoding: 'gzip' } : {}) };
      flow.response!.headers = [];
      flow.response!.body = { size: 0, captured: 0, truncated: false };
      const captured = { flow, requestBody: body, responseBody: Buffer.alloc(0) };
      const analysis = analyseFlow(captured, profiles, 1 << 20);
      assert.ok(analysis.findings.length > 0, `flow ${n} has findings`);
      store.addFlow(captured, analysis.findings, analysis.decoded);
      stored.push({ findings: analysis.findings, request: body });
    });
    await store.close();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('scan over the exported HAR finds what the session holds, entry by entry', async () => {
    const har = join(root, 'session.har');
    assert.equal((await runCli(['export', '--data', dataDir, '--format', 'har', '--out', har])).code, 0);
    const doc = JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: { request: { postData?: { text: string; _postDataEncoding?: string } } }[] } };
    assert.equal(doc.log.entries[0]!.request.postData!._postDataEncoding, 'base64', 'the binary body says it is base64');
    assert.deepEqual(Buffer.from(doc.log.entries[0]!.request.postData!.text, 'base64'), stored[0]!.request);
    const scan = await runCli(['scan', har, '--profile', PROFILE, '--json']);
    assert.equal(scan.code, 0, scan.out);
    const scanned = (JSON.parse(scan.out) as { findings: Finding[] }).findings;
    stored.forEach((s, entry) => {
      assert.deepEqual(scanned.filter((f) => f.entry === entry).map(key).sort(), s.findings.map(key).sort(), `entry ${entry}`);
    });
  });
});
