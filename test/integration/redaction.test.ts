// `phonehome export --redact` in every format: no profile value is left in any spelling a reader could grep for
// (plain, URL-encoded, base64, MD5/SHA-1/SHA-256 hex), in the file or in any body it carries (base64 bodies decoded,
// compressed ones inflated), and `phonehome scan` finds no profile value in the redacted HAR.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { analyseFlow } from '../../src/app/flow-analysis.js';
import { loadProfiles } from '../../src/app/phonehome-app.js';
import { mask, Redactor } from '../../src/export/redaction.js';
import { Store } from '../../src/store/index.js';
import type { Flow, HeaderPair } from '../../src/types/index.js';
import { makeFlow } from '../unit/store/make-flow.js';
import { runCli } from '../helpers/run-cli.js';
import { quietLogger } from '../helpers/test-phonehome.js';

const PROFILE = {
  name: 'redaction test phone',
  imei: ['865432100123457'],
  phoneNumbers: ['+8613812345678'],
  androidId: '9f1c2d3e4a5b6c7d',
  emails: ['tester@example.org'],
  sms: ['Meet me at the station at nine'],
};
const VALUES = ['865432100123457', '+8613812345678', '13812345678', '9f1c2d3e4a5b6c7d', 'tester@example.org', 'Meet me at the station at nine'];

/** The spellings a reader would grep for. */
function variants(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const out = [value, encodeURIComponent(value), encodeURIComponent(value).replace(/%20/g, '+'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')];
  for (const algo of ['md5', 'sha1', 'sha256']) out.push(createHash(algo).update(value).digest('hex'));
  return out;
}

/** Every text an export carries: the file, and each base64 body decoded (and inflated when it is gzip). */
function texts(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out = [text];
  // Any run of base64 characters, quoted or inside an escaped JSON string (nested encodings included).
  for (const m of text.matchAll(/[A-Za-z0-9+/_-]{16,}={0,2}/g)) {
    const bytes = Buffer.from(m[0], m[0].includes('-') || m[0].includes('_') ? 'base64url' : 'base64');
    out.push(bytes.toString('latin1'), bytes.toString('utf8'));
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        out.push(gunzipSync(bytes).toString('utf8'));
      } catch {
        // not a whole gzip stream
      }
    }
  }
  return out;
}

function flowWith(sessionId: string, n: number, over: { scheme?: 'http' | 'https'; url: string; headers?: HeaderPair[]; method?: string }): Flow {
  const host = new URL(over.url).hostname;
  const flow = makeFlow(sessionId, n, { id: `redact-flow-${n}`, host, scheme: over.scheme ?? 'https', port: over.scheme === 'http' ? 80 : 443 });
  flow.request.url = over.url;
  flow.request.method = over.method ?? 'POST';
  flow.request.headers = [['Host', host], ...(over.headers ?? [])];
  flow.response!.headers = [['Content-Type', 'application/json']];
  return flow;
}

describe('redacted exports (--redact)', () => {
  let root: string;
  let dataDir: string;
  let profileFile: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'phonehome-redact-'));
    dataDir = join(root, 'data');
    profileFile = join(root, 'profile.json');
    writeFileSync(profileFile, JSON.stringify(PROFILE));
    const profiles = await loadProfiles([profileFile]);
    const store = await Store.open(dataDir, quietLogger, { sessionName: 'to redact' });
    const sessionId = store.currentSession().id;
    const imei = '865432100123457';
    const sms = Buffer.from(gzipSync(JSON.stringify({ body: PROFILE.sms[0] }))).toString('base64');
    const cases: { flow: Flow; request: Buffer; response: Buffer }[] = [
      // Plain in the query, URL-encoded phone number, base64 Android ID in a header, MD5 of the IMEI in a cookie.
      {
        flow: flowWith(sessionId, 0, {
          scheme: 'http',
          url: `http://track.example.test/c?imei=${imei}&tel=${encodeURIComponent('+8613812345678')}`,
          headers: [
            ['X-Device', Buffer.from('9f1c2d3e4a5b6c7d').toString('base64')],
            ['Cookie', `uid=${createHash('md5').update(imei).digest('hex')}`],
          ],
        }),
        request: Buffer.alloc(0),
        response: Buffer.from(JSON.stringify({ hello: 'tester@example.org' })),
      },
      // SHA-1 of the e-mail and the national phone number in a JSON body.
      {
        flow: flowWith(sessionId, 1, { url: 'https://api.example.test/v1/u', headers: [['Content-Type', 'application/json']] }),
        request: Buffer.from(JSON.stringify({ e: createHash('sha1').update('tester@example.org').digest('hex'), phone: '13812345678', aid: '9F1C2D3E4A5B6C7D' })),
        response: Buffer.alloc(0),
      },
      // A gzip request body (content-encoding) holding the phone number and the IMEI.
      {
        flow: flowWith(sessionId, 2, { url: 'https://api.example.test/v1/gz', headers: [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']] }),
        request: gzipSync(JSON.stringify({ tel: '+8613812345678', imei })),
        response: Buffer.alloc(0),
      },
      // A binary body (not UTF-8) with the IMEI inside, and base64 of gzip of JSON holding the SMS text.
      {
        flow: flowWith(sessionId, 3, { url: 'https://up.example.test/bin', headers: [['Content-Type', 'application/octet-stream']] }),
        request: Buffer.concat([Buffer.from([0, 0xff, 0xfe, 0x80]), Buffer.from(`imei=${imei};`), Buffer.from([0xc3, 0x28, 0x00])]),
        response: Buffer.alloc(0),
      },
      {
        flow: flowWith(sessionId, 4, { url: 'https://sms.example.test/up', headers: [['Content-Type', 'application/json']] }),
        request: Buffer.from(JSON.stringify({ payload: sms })),
        response: Buffer.alloc(0),
      },
    ];
    for (const c of cases) {
      c.flow.request.body = { size: c.request.length, captured: c.request.length, truncated: false, ...(c.flow.request.headers.some(([n]) => n === 'Content-Encoding') ? { contentEncoding: 'gzip' } : {}) };
      c.flow.response!.body = { size: c.response.length, captured: c.response.length, truncated: false };
      const captured = { flow: c.flow, requestBody: c.request, responseBody: c.response };
      const analysis = analyseFlow(captured, profiles, 1 << 20);
      store.addFlow(captured, analysis.findings, analysis.decoded);
    }
    await store.close();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('the unredacted exports do hold the values (the check below would see them)', async () => {
    const file = join(root, 'plain.json');
    assert.equal((await runCli(['export', '--data', dataDir, '--format', 'json', '--out', file])).code, 0);
    const all = texts(file).join('\n');
    for (const v of ['865432100123457', encodeURIComponent('+8613812345678'), createHash('sha1').update('tester@example.org').digest('hex'), PROFILE.sms[0]!]) assert.ok(all.includes(v), v);
  });

  for (const format of ['har', 'json', 'csv', 'html'] as const) {
    for (const withProfile of [true, false]) {
      it(`${format}${withProfile ? ' with --profile' : ' from the findings alone'}: no value in any variant`, async () => {
        const file = join(root, `redacted-${withProfile}.${format}`);
        const result = await runCli(['export', '--data', dataDir, '--format', format, '--redact', ...(withProfile ? ['--profile', profileFile] : []), '--out', file]);
        assert.equal(result.code, 0, result.err);
        const all = texts(file).map((t) => t.toLowerCase());
        for (const value of VALUES) {
          for (const variant of variants(value)) {
            const hit = all.findIndex((t) => t.includes(variant.toLowerCase()));
            assert.equal(hit, -1, `"${variant}" (of ${value}) left in ${format}: ${all[hit]?.slice(Math.max(0, all[hit]!.indexOf(variant.toLowerCase()) - 80), all[hit]!.indexOf(variant.toLowerCase()) + 80)}`);
          }
        }
        const text = readFileSync(file, 'utf8');
        assert.ok(text.includes('***********3457'), 'the IMEI is masked, its last 4 kept');
        if (format === 'har') {
          const scan = await runCli(['scan', file, '--profile', profileFile, '--json']);
          const left = (JSON.parse(scan.out) as { findings: { source: string; kind: string; where: string }[] }).findings.filter((f) => f.source === 'profile');
          assert.deepEqual(left, [], 'scan finds no profile value in the redacted HAR');
        }
      });
    }
  }

  it('masks all but the last 4 characters', () => {
    assert.equal(mask('865432100123457'), '***********3457');
    assert.equal(mask('abcd'), '****');
    assert.equal(mask('中国联通移动'), '**联通移动');
    const r = Redactor.create([{ kind: 'imei', value: '865432100123457' }]);
    assert.equal(r.text('a=865432100123457&b=86-543210-012345-7'), 'a=***********3457&b=**************45-7');
    assert.deepEqual(r.deep({ u: ['x865432100123457x'], n: 3 }), { u: ['x***********3457x'], n: 3 });
  });
});
