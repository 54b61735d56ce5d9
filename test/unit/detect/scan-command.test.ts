import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { runScanCommand } from '../../../src/scan.js';

const dir = mkdtempSync(join(tmpdir(), 'phonehome-scan-'));
const entry = (url: string, text?: string): unknown => ({
  startedDateTime: '2024-11-20T01:02:03.000Z',
  request: { method: text ? 'POST' : 'GET', url, httpVersion: 'HTTP/1.1', headers: text ? [{ name: 'Content-Type', value: 'application/json' }] : [], cookies: [], queryString: [], headersSize: -1, bodySize: -1, ...(text ? { postData: { mimeType: 'application/json', text } } : {}) },
  response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: 'text/plain', text: '{"imei":"868828661312806"}' }, redirectURL: '', headersSize: -1, bodySize: -1 },
  cache: {},
  timings: { send: 0, wait: 0, receive: 0 },
});
const harPath = join(dir, 'c.har');
writeFileSync(harPath, JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [
  entry('https://cdn.example.test/app.js'),
  entry('http://api.example.test/v1/sync?mobile=13293757218', JSON.stringify({ did: createHash('md5').update('868828661312806').digest('hex'), ts: 1732065129841 })),
  entry('https://ads.example.test/t', JSON.stringify({ gaid: '0f8fad5b-d9cb-469f-a165-70867728950e' })),
] } }));
const profilePath = join(dir, 'p.json');
writeFileSync(profilePath, JSON.stringify({ name: 'unit', imei: ['868828661312806'], phoneNumbers: ['+8613293757218'] }));

async function run(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runScanCommand(args, (l) => lines.push(l));
  return { code, lines };
}

describe('phonehome scan', () => {
  it('--json prints one object with findings carrying entry indices and a summary', async () => {
    const { code, lines } = await run([harPath, '--profile', profilePath, '--json']);
    assert.equal(code, 0);
    assert.equal(lines.length, 1);
    const doc = JSON.parse(lines[0]!) as { findings: Record<string, unknown>[]; summary: Record<string, unknown> };
    const brief = doc.findings.map((f) => [f.entry, f.kind, f.confidence, f.plaintext, f.host]).sort((a, b) => String(a).localeCompare(String(b)));
    assert.deepEqual(brief, [
      [1, 'imei', 'high', true, 'api.example.test'],
      [1, 'phone_number', 'high', true, 'api.example.test'],
      [2, 'advertising_id', 'medium', false, 'ads.example.test'],
    ]);
    assert.ok(doc.findings.every((f) => f.flowId === undefined && typeof f.id === 'string'));
    assert.deepEqual(doc.findings.find((f) => f.kind === 'imei')!.encodings, ['md5-hex']);
    assert.equal(doc.summary.entries, 3);
    assert.equal(doc.summary.alerts, 3);
  });
  it('prints a table grouped by host without --json', async () => {
    const { code, lines } = await run([harPath, '--profile', profilePath]);
    assert.equal(code, 0);
    const text = lines.join('\n');
    assert.match(text, /^3 entries, 3 alerts \(2 over plain HTTP\)/);
    assert.match(text, /api\.example\.test {2}\(2 findings\) {2}\[PLAINTEXT HTTP\]/);
    assert.match(text, /imei .*868828661312806 .*md5-hex/);
    assert.ok(text.indexOf('api.example.test') < text.indexOf('ads.example.test'));
  });
  it('refuses a bad profile with the field and reason, and bad usage, with exit code 2', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ imei: ['1234'], phone: 'x' }));
    const r = await run([harPath, '--profile', bad, '--json']);
    assert.equal(r.code, 2);
    assert.match(r.lines[0]!, /bad\.json: profile field "imei\[0\]"/);
    assert.equal((await run([])).code, 2);
    assert.equal((await run([harPath, '--bogus'])).code, 2);
    assert.equal((await run([join(dir, 'missing.har')])).code, 2);
  });
});
