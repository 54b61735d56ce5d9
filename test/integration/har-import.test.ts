// `phonehome import` through the built CLI: a HAR written the way Chrome exports it (BOM, HTTP/2 pseudo-headers,
// form params, a binary body as base64 with _postDataEncoding, HTTP Toolkit's _content, a failed request) becomes a
// new session whose findings match `phonehome scan` on the same file, with bodies kept byte-exact.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { finished } from 'node:stream/promises';
import { Store } from '../../src/store/index.js';
import { writeHar } from '../../src/export/har-writer.js';
import type { Finding, Flow } from '../../src/types/index.js';
import { runCli } from '../helpers/run-cli.js';
import { quietLogger } from '../helpers/test-phonehome.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const HAR = join(FIXTURES, 'chrome-export.har');
const PROFILE = join(FIXTURES, 'import-profile.json');

async function readSession(dataDir: string, id: string): Promise<{ name: string; flows: { flow: Flow; findings: Finding[]; request: Buffer; response: Buffer }[] }> {
  const store = await Store.open(dataDir, quietLogger, { readOnly: true });
  try {
    const session = store.findSession(id);
    assert.ok(session, `session ${id} is in the catalog`);
    const flows = [];
    for await (const { flow, findings } of store.iterateFlows(id)) {
      flows.push({ flow, findings, request: (await store.readBody(flow.id, 'request'))!, response: (await store.readBody(flow.id, 'response'))! });
    }
    return { name: session.name, flows };
  } finally {
    await store.close();
  }
}

const key = (f: Pick<Finding, 'kind' | 'value' | 'where' | 'encodings' | 'confidence' | 'plaintext'>) =>
  `${f.kind}|${f.value}|${f.where}|${f.encodings.join('>')}|${f.confidence}|${f.plaintext}`;

describe('phonehome import (the built CLI)', () => {
  let root: string;
  let dataDir: string;
  let firstId: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'phonehome-import-'));
    dataDir = join(root, 'data');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('imports a Chrome-style HAR into a new session and prints its id', async () => {
    const result = await runCli(['import', HAR, '--data', dataDir, '--profile', PROFILE]);
    assert.equal(result.code, 0, result.err);
    const m = /^imported 5 entries into session (\S+)\n$/.exec(result.out);
    assert.ok(m, `printed line: ${JSON.stringify(result.out)}`);
    firstId = m[1]!;
    const session = await readSession(dataDir, firstId);
    assert.equal(session.name, 'import of chrome-export.har');
    assert.equal(session.flows.length, 5);
    // The import is not the current session: the next live capture must not record into it.
    const store = await Store.open(dataDir, quietLogger, { readOnly: true });
    try {
      assert.notEqual(store.currentSession().id, firstId);
      assert.equal(store.findSession(firstId)?.current, false);
    } finally {
      await store.close();
    }
  });

  it('finds what `phonehome scan` finds in the same file, per entry', async () => {
    const scan = await runCli(['scan', HAR, '--profile', PROFILE, '--json']);
    assert.equal(scan.code, 0, scan.err);
    const scanned = (JSON.parse(scan.out) as { findings: Finding[] }).findings;
    assert.ok(scanned.length >= 6, 'the fixture holds identifiers');
    const { flows } = await readSession(dataDir, firstId);
    flows.forEach(({ findings }, entry) => {
      const expected = scanned.filter((f) => f.entry === entry).map(key).sort();
      assert.deepEqual(findings.map(key).sort(), expected, `entry ${entry}`);
      for (const f of findings) assert.equal(f.flowId, flows[entry]!.flow.id);
    });
    const kinds = new Set(flows.flatMap((f) => f.findings.map((x) => `${x.host}:${x.kind}:${x.plaintext ? 'http' : 'https'}`)));
    for (const want of ['api.xiaomi.test:imei:https', 'tracker.example.test:phone_number:http', 'api.example.test:imei:https', 'api.example.test:email:https']) {
      assert.ok(kinds.has(want), `${want} in ${[...kinds].join(', ')}`);
    }
  });

  it('keeps request and response bodies byte-exact, and the flow facts', async () => {
    const { flows } = await readSession(dataDir, firstId);
    const [config, form, upload, toolkit, failed] = flows;
    // Chrome's HTTP/2 entry: pseudo-headers dropped, scheme/host/port from the URL, bracketed IPv6 unwrapped.
    assert.equal(config!.flow.host, 'api.xiaomi.test');
    assert.equal(config!.flow.port, 443);
    assert.equal(config!.flow.scheme, 'https');
    assert.equal(config!.flow.serverIp, '2001:db8::10');
    assert.ok(config!.flow.request.headers.every(([n]) => !n.startsWith(':')));
    assert.equal(config!.flow.startedAt, Date.parse('2026-11-20T09:15:00.120Z'));
    assert.equal(config!.response.toString('utf8'), '{"ok":true,"region":"cn"}\n');
    assert.equal(config!.flow.response!.body.contentEncoding, undefined, 'HAR content is already decoded');
    assert.equal(form!.flow.scheme, 'http');
    assert.equal(form!.flow.port, 80);
    assert.equal(form!.request.toString('utf8'), 'phone=%2B8613812345678&aid=9f1c2d3e4a5b6c7d&v=1');
    assert.equal(form!.flow.response!.status, 204);
    assert.deepEqual(form!.flow.timings, { connect: 20, tls: -1, send: 0.2, wait: 48.3, receive: 1, total: 80 });
    assert.deepEqual(upload!.request, Buffer.concat([Buffer.from([0, 0xff, 0x10, 0x02]), Buffer.from('imei=865432100123457'), Buffer.from([0x80, 0xfe, 0x00])]));
    assert.deepEqual(upload!.response, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xc0]));
    assert.deepEqual(upload!.flow.timings, { connect: 6, tls: 12, send: 0.5, wait: 10, receive: 3, total: 31.5 });
    assert.deepEqual(JSON.parse(toolkit!.request.toString('utf8')), { user: { email: 'tester@example.org', androidId: '9f1c2d3e4a5b6c7d' } });
    assert.equal(failed!.flow.response, undefined, 'status 0 is no response');
    assert.deepEqual(failed!.flow.error, { code: 'upstream-unreachable', message: 'net::ERR_CONNECTION_REFUSED' });
    assert.equal(failed!.flow.device, 'imported');
  });

  it('imports again as another session with --session, leaving the first untouched', async () => {
    const result = await runCli(['import', HAR, '--data', dataDir, '--session', 'before update', '--profile', PROFILE]);
    assert.equal(result.code, 0, result.err);
    const id = /into session (\S+)/.exec(result.out)![1]!;
    assert.notEqual(id, firstId);
    const second = await readSession(dataDir, id);
    assert.equal(second.name, 'before update');
    assert.equal(second.flows.length, 5);
    assert.equal((await readSession(dataDir, firstId)).flows.length, 5);
  });

  it("round-trips through phonehome's own HAR export: same findings, same binary bodies", async () => {
    const exported = join(root, 'exported.har');
    const store = await Store.open(dataDir, quietLogger, { readOnly: true });
    const out = createWriteStream(exported);
    await writeHar(store, firstId, out, { creatorVersion: 'test' });
    out.end();
    await finished(out);
    await store.close();
    const result = await runCli(['import', exported, '--data', dataDir, '--profile', PROFILE]);
    assert.equal(result.code, 0, result.err);
    const id = /into session (\S+)/.exec(result.out)![1]!;
    const [original, again] = [await readSession(dataDir, firstId), await readSession(dataDir, id)];
    assert.equal(again.flows.length, original.flows.length);
    again.flows.forEach((f, i) => {
      const o = original.flows[i]!;
      assert.deepEqual(f.request, o.request, `request body ${i}`);
      assert.deepEqual(f.response, o.response, `response body ${i}`);
      assert.deepEqual(f.findings.map(key).sort(), o.findings.map(key).sort(), `findings ${i}`);
      assert.equal(f.flow.device, o.flow.device);
      assert.equal(f.flow.startedAt, o.flow.startedAt);
    });
  });

  it("keeps phonehome's own log fields: passed-through tunnels and TLS failures come back in a re-export", async () => {
    const tlsErrors = [{ type: 'tls-failure', time: 1795166100000, host: 'pinned.test', port: 443, device: '10.0.0.2', cause: 'cert-rejected', message: 'unknown ca' }];
    const tunnels = [{ host: 'apple.test', port: 443, sni: 'apple.test', startedDateTime: '2026-11-20T09:00:00.000Z', device: '10.0.0.2', bytesUp: 10, bytesDown: 20, reason: 'likely-pinned' }];
    const source = join(root, 'tunnels.har');
    writeFileSync(source, JSON.stringify({ log: { version: '1.2', creator: { name: 'phonehome', version: '0' }, entries: [], pages: [], _tlsErrors: tlsErrors, _tunnels: tunnels } }));
    const result = await runCli(['import', source, '--data', dataDir]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^imported 0 entries into session \S+\n$/);
    const id = /into session (\S+)/.exec(result.out)![1]!;
    const again = join(root, 'tunnels-again.har');
    assert.equal((await runCli(['export', '--data', dataDir, '--session', id, '--format', 'har', '--out', again])).code, 0);
    const log = (JSON.parse(readFileSync(again, 'utf8')) as { log: { _tlsErrors: unknown[]; _tunnels: unknown[] } }).log;
    assert.deepEqual(log._tlsErrors, tlsErrors);
    assert.deepEqual(log._tunnels, tunnels);
  });

  it('refuses what is not a HAR with one clear line and exit code 2, creating no session', async () => {
    const bad = join(root, 'bad.har');
    writeFileSync(bad, '{"log":{}}');
    const before = readFileSync(join(dataDir, 'catalog.json'), 'utf8');
    const result = await runCli(['import', bad, '--data', dataDir]);
    assert.equal(result.code, 2);
    assert.match(result.err, /^phonehome import: .*bad\.har: not a HAR file: no log\.entries array\n$/);
    assert.equal(readFileSync(join(dataDir, 'catalog.json'), 'utf8'), before);
    const missing = await runCli(['import', join(root, 'nope.har'), '--data', dataDir]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /ENOENT/);
    const usage = await runCli(['import', '--data', dataDir]);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /a HAR file is required/);
  });
});
