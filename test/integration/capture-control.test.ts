// Capture control from the dashboard API: pausing stops recording but never forwarding; markers land on the
// session's timeline; a device can be labelled.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js';
import { api, curl, eventually, startTestPhonehome, type TestPhonehome } from '../helpers/test-phonehome.js';
import type { FlowSummary } from '../../src/types/index.js';

describe('capture control', () => {
  let origin: TestOrigin;
  let ph: TestPhonehome;
  const json = (method: string, body: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  before(async () => {
    origin = await startOrigin();
    ph = await startTestPhonehome(origin);
  });
  after(async () => {
    await ph.stop();
    await origin.close();
  });

  it('pausing stops recording, not forwarding; resuming records again', async () => {
    assert.deepEqual((await api(ph, '/api/capture')).body, { paused: false });
    assert.deepEqual((await api(ph, '/api/capture', json('PUT', { paused: true }))).body, { paused: true });
    const during = await curl(['-x', ph.proxyUrl, 'http://api.example.test/echo?while=paused']);
    assert.equal(during.code, 0, during.stderr);
    assert.equal(JSON.parse(during.stdout).url, '/echo?while=paused');
    await api(ph, '/api/capture', json('PUT', { paused: false }));
    await curl(['-x', ph.proxyUrl, 'http://api.example.test/echo?while=recording']);
    const flows = await eventually(async () => {
      const list = (await api<{ flows: FlowSummary[] }>(ph, '/api/flows?q=while')).body.flows;
      return list.some((f) => f.path.includes('recording')) ? list : undefined;
    });
    assert.deepEqual(flows.map((f) => f.path), ['/echo?while=recording']);
    assert.equal((await api(ph, '/api/capture', json('PUT', { paused: 'yes' }))).status, 400);
  });

  it('markers are stored with their time on the current session', async () => {
    const created = await api<{ text: string; time: number }>(ph, '/api/markers', json('POST', { text: 'factory reset done' }));
    assert.equal(created.status, 201);
    const events = (await api<{ type: string; text?: string; time: number }[]>(ph, '/api/events')).body;
    const marker = events.find((e) => e.type === 'marker');
    assert.equal(marker?.text, 'factory reset done');
    assert.ok(Math.abs(marker!.time - Date.now()) < 10_000);
    assert.equal((await api(ph, '/api/markers', json('POST', { text: '   ' }))).status, 400);
  });

  it('profiles are edited through the API: refused with the field, applied to the next flows at once', async () => {
    assert.deepEqual((await api(ph, '/api/profiles')).body, []);
    const bad = await api<{ error: { message: string; field: string } }>(ph, '/api/profiles', json('POST', { name: 'x', imeii: ['1'] }));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'imeii');
    const created = await api<{ index: number; source: string }>(ph, '/api/profiles', json('POST', { name: 'Redmi 1S', imei: ['865432100123457'] }));
    assert.equal(created.status, 201);
    assert.equal(created.body.index, 0);
    assert.ok(created.body.source.startsWith(join(ph.dataDir, 'profiles')));
    assert.deepEqual(JSON.parse(readFileSync(created.body.source, 'utf8')), { name: 'Redmi 1S', imei: ['865432100123457'] });
    await curl(['-x', ph.proxyUrl, 'http://api.example.test/echo?dev=865432100123457']);
    await eventually(async () => {
      const findings = (await api<{ kind: string; confidence: string; where: string }[]>(ph, '/api/findings')).body;
      return findings.some((f) => f.kind === 'imei' && f.confidence === 'high' && f.where === 'query:dev') ? true : undefined;
    });
    const updated = await api<{ profile: { phoneNumbers: string[] } }>(ph, '/api/profiles/0', json('PUT', { name: 'Redmi 1S', imei: ['865432100123457'], phoneNumbers: ['+8613812345678'] }));
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body.profile.phoneNumbers, ['+8613812345678']);
    assert.equal((await api(ph, '/api/profiles/7', json('PUT', { name: 'x' }))).status, 404);
  });

  it('a HAR uploaded to the running app becomes a new session that is not current', async () => {
    const har = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'chrome-export.har'));
    const imported = await api<{ sessionId: string; entries: number }>(ph, '/api/import?name=uploaded', { method: 'POST', headers: { 'content-type': 'application/json' }, body: har });
    assert.equal(imported.status, 201);
    assert.equal(imported.body.entries, 5);
    const sessions = (await api<{ id: string; name: string; current: boolean }[]>(ph, '/api/sessions')).body;
    const session = sessions.find((x) => x.id === imported.body.sessionId);
    assert.equal(session?.name, 'uploaded');
    assert.equal(session?.current, false);
    const flows = (await api<{ total: number }>(ph, `/api/flows?session=${imported.body.sessionId}`)).body;
    assert.equal(flows.total, 5);
    const bad = await api(ph, '/api/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"not":"a har"}' });
    assert.equal(bad.status, 400);
  });

  it('a device seen by the proxy can be labelled', async () => {
    await eventually(async () => ((await api<{ address: string }[]>(ph, '/api/devices')).body.length > 0 ? true : undefined));
    const labelled = await api<{ address: string; label: string }>(ph, '/api/devices/127.0.0.1', json('PUT', { label: 'Redmi 1S' }));
    assert.equal(labelled.status, 200);
    assert.equal(labelled.body.label, 'Redmi 1S');
    assert.equal((await api(ph, '/api/devices/10.9.9.9', json('PUT', { label: 'x' }))).status, 404);
  });
});
