// Detection through the running proxy: what a phone sends, hashed or plain, over TLS or not, becomes findings in
// the API with the right kind, where, encodings and plaintext flag; responses are context, not alerts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js';
import { api, curl, eventually, startTestPhonehome, type TestPhonehome } from '../helpers/test-phonehome.js';
import type { Finding } from '../../src/types/index.js';

const IMEI = '865432100123457';
const PHONE = '+8613812345678';

describe('detection through the proxy', () => {
  let origin: TestOrigin;
  let ph: TestPhonehome;

  before(async () => {
    origin = await startOrigin();
    const dir = mkdtempSync(join(tmpdir(), 'phonehome-profile-'));
    const profile = join(dir, 'redmi.json');
    writeFileSync(profile, JSON.stringify({ name: 'Redmi 1S test unit', imei: [IMEI], phoneNumbers: [PHONE], carrier: ['China Unicom'], sms: ['Meet me at the station at nine tomorrow'] }));
    ph = await startTestPhonehome(origin, { profileFiles: [profile] });
  });
  after(async () => {
    await ph.stop();
    await origin.close();
  });

  const findingsWhere = (predicate: (f: Finding) => boolean) =>
    eventually(async () => {
      const all = (await api<Finding[]>(ph, '/api/findings')).body;
      const hits = all.filter(predicate);
      return hits.length > 0 ? hits : undefined;
    });

  it('a SHA-1 hashed IMEI in a JSON body over HTTPS', async () => {
    const sha1 = createHash('sha1').update(IMEI).digest('hex');
    const r = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, '-H', 'content-type: application/json', '-d', JSON.stringify({ dev: { ii: sha1 } }), 'https://api.xiaomi.test/echo?hashed=1']);
    assert.equal(r.code, 0, r.stderr);
    const [finding] = await findingsWhere((f) => f.kind === 'imei' && f.encodings.includes('sha1-hex'));
    assert.equal(finding!.value, IMEI);
    assert.equal(finding!.plaintext, false);
    assert.equal(finding!.confidence, 'high');
    assert.equal(finding!.source, 'profile');
    assert.equal(finding!.host, 'api.xiaomi.test');
    assert.match(finding!.where, /^body:.*ii$/);
    assert.ok(finding!.flowId);
  });

  it('a plain phone number in a query over HTTP is a plaintext finding', async () => {
    const r = await curl(['-x', ph.proxyUrl, 'http://api.example.test/echo?tel=13812345678&carrier=China%20Unicom']);
    assert.equal(r.code, 0, r.stderr);
    const phone = await findingsWhere((f) => f.kind === 'phone_number' && f.where === 'query:tel');
    assert.equal(phone[0]!.plaintext, true);
    assert.deepEqual(phone[0]!.encodings, []);
    const carrier = await findingsWhere((f) => f.kind === 'carrier' && f.where === 'query:carrier');
    assert.equal(carrier[0]!.plaintext, true);
  });

  it('SMS text inside a gzip request body, base64 in a JSON field', async () => {
    const inner = Buffer.from('Meet me at the station at nine tomorrow').toString('base64');
    const body = zlib.gzipSync(JSON.stringify({ msgs: [{ b: inner }] }));
    const file = join(tmpdir(), `phonehome-sms-${process.pid}.gz`);
    writeFileSync(file, body);
    const r = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, '-H', 'content-encoding: gzip', '-H', 'content-type: application/json', '--data-binary', `@${file}`, 'https://api.xiaomi.test/echo?sms=1']);
    assert.equal(r.code, 0, r.stderr);
    const [sms] = await findingsWhere((f) => f.kind === 'sms_text');
    assert.equal(sms!.encodings[0], 'gzip');
    assert.ok(sms!.encodings.includes('base64'), sms!.encodings.join(','));
    // The decoded layers the dashboard shows: the base64 leaf, decoded, with its chain.
    const layers = (await api<{ where: string; encodings: string[]; text: string }[]>(ph, `/api/flows/${sms!.flowId}/layers`)).body;
    const decoded = layers.find((l) => l.text === 'Meet me at the station at nine tomorrow');
    assert.ok(decoded, JSON.stringify(layers));
    assert.deepEqual(decoded.encodings.slice(0, 1), ['gzip']);
    assert.ok(decoded.encodings.includes('base64'));
  });

  it('an identifier only in a response is not an alert', async () => {
    const before = (await api<Finding[]>(ph, '/api/findings')).body.length;
    const r = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, 'https://api.xiaomi.test/gzip']);
    assert.equal(r.code, 0, r.stderr);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The /gzip response carries the profile's IMEI in gzip'd JSON; the GET that fetched it carries nothing.
    const findings = (await api<Finding[]>(ph, '/api/findings')).body;
    assert.equal(findings.length, before);
  });

  it('hosts show the kinds sent to them and whether they went in the clear', async () => {
    const rows = await eventually(async () => {
      const list = (await api<{ host: string; kinds: string[]; plaintextKinds: string[] }[]>(ph, '/api/hosts')).body;
      const plain = list.find((r) => r.host === 'api.example.test');
      return plain && plain.plaintextKinds.includes('phone_number') ? list : undefined;
    });
    const tlsHost = rows.find((r) => r.host === 'api.xiaomi.test')!;
    assert.ok(tlsHost.kinds.includes('imei'));
    assert.ok(!tlsHost.plaintextKinds.includes('imei'));
  });

  it('a redacted export through the API masks profile values even where they were no finding (a response)', async () => {
    // A fresh session with one flow whose RESPONSE holds the profile's IMEI: no finding names it (responses are
    // context), so only the profile can tell the redaction what to mask.
    const session = (await api<{ id: string }>(ph, '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'redaction' }) })).body;
    assert.equal((await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, 'https://api.xiaomi.test/gzip'])).code, 0);
    await eventually(async () => ((await api<{ total: number }>(ph, `/api/flows?session=${session.id}`)).body.total === 1 ? true : undefined));
    assert.deepEqual((await api<unknown[]>(ph, `/api/findings?session=${session.id}`)).body, []);
    const response = await fetch(`${ph.dashboard}/api/sessions/${session.id}/export?format=har&redact=1`, { headers: { authorization: 'Bearer test-token-0123456789abcdef' } });
    const har = await response.text();
    assert.equal(response.status, 200);
    const texts = [har, ...[...har.matchAll(/"text":"([A-Za-z0-9+/=]{16,})"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('latin1'))];
    for (const text of texts) assert.ok(!text.includes(IMEI), 'the IMEI is masked everywhere');
    assert.match(har, /3457/, 'masking keeps the last 4 characters');
  });
});
