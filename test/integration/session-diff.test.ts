// `phonehome diff A B` through the built CLI on two crafted sessions ("before" and "after" a vendor update):
// hosts appeared and disappeared, kinds added and removed, plain HTTP → TLS, plain → hashed, volumes; --json and the
// table; next to a store open for writing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Store } from '../../src/store/index.js';
import type { SessionDiff } from '../../src/export/session-diff.js';
import type { Finding, FindingKind, Flow } from '../../src/types/index.js';
import { captured, makeFlow } from '../unit/store/make-flow.js';
import { runCli } from '../helpers/run-cli.js';
import { quietLogger } from '../helpers/test-phonehome.js';

let counter = 0;
function add(store: Store, sessionId: string, host: string, scheme: 'http' | 'https', kinds: [FindingKind, string[], Finding['confidence']?][], up = 100, down = 1000): void {
  const n = counter++;
  const flow: Flow = makeFlow(sessionId, n, { id: `diff-flow-${n}`, host, scheme, port: scheme === 'http' ? 80 : 443 });
  flow.request.url = `${scheme}://${host}/x`;
  flow.request.body = { size: up, captured: 0, truncated: up > 0 };
  flow.response!.body = { size: down, captured: 0, truncated: down > 0 };
  const findings: Finding[] = kinds.map(([kind, encodings, confidence], i) => ({
    id: `${flow.id}.${i}`,
    flowId: flow.id,
    kind,
    value: `${kind}-value`,
    where: 'body',
    encodings,
    confidence: confidence ?? 'high',
    source: 'profile',
    host,
    plaintext: scheme === 'http',
    time: flow.startedAt,
  }));
  store.addFlow(captured(flow), findings);
}

describe('phonehome diff (the built CLI)', () => {
  let root: string;
  let dataDir: string;
  let store: Store;
  let beforeId: string;
  let afterId: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'phonehome-diff-'));
    dataDir = join(root, 'data');
    store = await Store.open(dataDir, quietLogger);
    beforeId = store.startSession('before update').id;
    add(store, beforeId, 'tracker.example.com', 'http', [['phone_number', []], ['imei', ['base64']]]);
    add(store, beforeId, 'tracker.example.com', 'http', [['phone_number', ['url']]]);
    add(store, beforeId, 'api.xiaomi.com', 'https', [['imei', []], ['email', []]]);
    add(store, beforeId, 'old.example.com', 'https', [['android_id', []]]);
    afterId = store.startSession('after update').id;
    add(store, afterId, 'tracker.example.com', 'https', [['phone_number', ['sha1-hex']], ['imei', ['base64']]], 50, 500);
    add(store, afterId, 'api.xiaomi.com', 'https', [['imei', []], ['advertising_id', []], ['serial_number', [], 'low']]);
    add(store, afterId, 'new.example.com', 'http', [['imei', ['md5-hex']]]);
    await store.flush();
  });
  after(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('--json says what changed, host by host', async () => {
    const result = await runCli(['diff', 'before update', 'after update', '--data', dataDir, '--json']);
    assert.equal(result.code, 0, result.err);
    const diff = JSON.parse(result.out) as SessionDiff;
    assert.equal(diff.a.id, beforeId);
    assert.equal(diff.b.id, afterId);
    assert.deepEqual(diff.hostsAppeared, ['new.example.com']);
    assert.deepEqual(diff.hostsDisappeared, ['old.example.com']);
    const host = (name: string) => diff.hosts.find((h) => h.host === name)!;
    const tracker = host('tracker.example.com');
    assert.equal(tracker.change, 'changed');
    assert.deepEqual(tracker.transport, { a: 'http', b: 'https' });
    assert.deepEqual(tracker.plaintextToTls, ['imei', 'phone_number']);
    assert.deepEqual(tracker.plainToHashed, ['phone_number'], 'base64 is an encoding, not a hash');
    assert.deepEqual(tracker.requests, { a: 2, b: 1 });
    assert.deepEqual(tracker.bytesUp, { a: 200, b: 50 });
    assert.deepEqual(tracker.bytesDown, { a: 2000, b: 500 });
    const xiaomi = host('api.xiaomi.com');
    assert.equal(xiaomi.change, 'changed');
    assert.deepEqual(xiaomi.kindsAdded, ['advertising_id'], 'a low-confidence hint is not an identifier sent');
    assert.deepEqual(xiaomi.kindsRemoved, ['email']);
    assert.deepEqual(xiaomi.plainToHashed, []);
    const fresh = host('new.example.com');
    assert.equal(fresh.change, 'appeared');
    assert.deepEqual(fresh.kindsAdded, ['imei']);
    assert.deepEqual(fresh.transport, { a: 'none', b: 'http' });
    assert.deepEqual(host('old.example.com').kindsRemoved, ['android_id']);
    assert.deepEqual(diff.totals.requests, { a: 4, b: 3 });
    assert.deepEqual(diff.totals.plaintextRequests, { a: 2, b: 1 });
    assert.deepEqual(diff.hosts.map((h) => h.change), ['appeared', 'disappeared', 'changed', 'changed']);
  });

  it('prints a readable table; sessions by id work too; the reverse diff mirrors it', async () => {
    const result = await runCli(['diff', beforeId, afterId, '--data', dataDir]);
    assert.equal(result.code, 0, result.err);
    const lines = result.out.split('\n');
    assert.match(lines[0]!, /^A: before update \(\S+\): 4 flows, 6 findings$/);
    assert.match(lines[2]!, /^hosts: 3 \(1 appeared, 1 disappeared\); requests 4 → 3 \(plain HTTP 2 → 1\)/);
    const row = (host: string) => lines.find((l) => l.startsWith(`${host} `)) ?? '';
    assert.match(row('new.example.com'), /appeared .* 0 → 1 .* none → http +\+imei$/);
    assert.match(row('old.example.com'), /disappeared .* -android_id$/);
    assert.match(row('tracker.example.com'), /http → https +imei http→tls, phone_number http→tls, phone_number plain→hashed$/);
    assert.match(row('api.xiaomi.com'), /\+advertising_id, -email$/);
    const reverse = JSON.parse((await runCli(['diff', 'after update', 'before update', '--data', dataDir, '--json'])).out) as SessionDiff;
    const tracker = reverse.hosts.find((h) => h.host === 'tracker.example.com')!;
    assert.deepEqual(tracker.tlsToPlaintext, ['imei', 'phone_number']);
    assert.deepEqual(tracker.hashedToPlain, ['phone_number']);
    assert.deepEqual(reverse.hostsAppeared, ['old.example.com']);
  });

  it('refuses an unknown session or a wrong number of them with exit code 2', async () => {
    const unknown = await runCli(['diff', 'before update', 'nope', '--data', dataDir]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^phonehome diff: no session "nope"/);
    const one = await runCli(['diff', 'before update', '--data', dataDir]);
    assert.equal(one.code, 2);
    assert.match(one.err, /two sessions are needed, got 1/);
  });
});
