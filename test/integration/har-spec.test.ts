// The exported HAR checked field by field against HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/):
// required fields and their types, timings (send/wait/receive ≥ 0, others ≥ -1, time = their sum), pageref naming a
// page, base64 only as content.encoding, and custom fields only with a leading underscore. Plain and redacted
// exports of an imported Chrome HAR and of a session with binary, compressed and failed flows.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { Store } from '../../src/store/index.js';
import { binaryBody, captured, makeFinding, makeFlow } from '../unit/store/make-flow.js';
import { runCli } from '../helpers/run-cli.js';
import { quietLogger } from '../helpers/test-phonehome.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/chrome-export.har');
const PROFILE = join(import.meta.dirname, '../fixtures/import-profile.json');

type Obj = Record<string, unknown>;

/** Problems of a HAR 1.2 document, as "path: what" lines; [] when it passes. */
export function checkHar12(doc: unknown): string[] {
  const problems: string[] = [];
  const fail = (path: string, what: string) => problems.push(`${path}: ${what}`);
  const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
  const obj = (v: unknown, path: string): Obj => {
    if (!isObj(v)) fail(path, 'must be an object');
    return isObj(v) ? v : {};
  };
  const fields = (o: Obj, path: string, spec: Record<string, 'string' | 'number' | 'object' | 'array' | '?string' | '?number' | '?object' | '?array'>) => {
    for (const [name, type] of Object.entries(spec)) {
      const optional = type.startsWith('?');
      const t = type.replace('?', '');
      const v = o[name];
      if (v === undefined) {
        if (!optional) fail(`${path}.${name}`, 'is required');
        continue;
      }
      const ok = t === 'array' ? Array.isArray(v) : t === 'object' ? isObj(v) : t === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === t;
      if (!ok) fail(`${path}.${name}`, `must be ${t}, is ${JSON.stringify(v)?.slice(0, 40)}`);
    }
    for (const key of Object.keys(o)) if (!(key in spec) && key !== 'comment' && !key.startsWith('_')) fail(`${path}.${key}`, 'is not a HAR 1.2 field and has no leading underscore');
  };
  const isoDate = (v: unknown, path: string) => {
    if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v)) fail(path, `must be an ISO 8601 date, is ${JSON.stringify(v)}`);
  };
  const pairs = (v: unknown, path: string, extra: Record<string, '?string' | '?number'> = {}) => {
    if (!Array.isArray(v)) return;
    v.forEach((p, i) => fields(obj(p, `${path}[${i}]`), `${path}[${i}]`, { name: 'string', value: 'string', ...extra }));
  };
  const cookieExtra = { path: '?string', domain: '?string', expires: '?string', sameSite: '?string' } as const;
  const cookies = (v: unknown, path: string) => {
    if (!Array.isArray(v)) return;
    v.forEach((c, i) => {
      const o = obj(c, `${path}[${i}]`);
      const { httpOnly, secure, ...rest } = o;
      if (httpOnly !== undefined && typeof httpOnly !== 'boolean') fail(`${path}[${i}].httpOnly`, 'must be boolean');
      if (secure !== undefined && typeof secure !== 'boolean') fail(`${path}[${i}].secure`, 'must be boolean');
      fields(rest, `${path}[${i}]`, { name: 'string', value: 'string', ...cookieExtra });
    });
  };

  const root = obj(doc, 'root');
  fields(root, 'root', { log: 'object' });
  const log = obj(root.log, 'log');
  fields(log, 'log', { version: 'string', creator: 'object', browser: '?object', pages: '?array', entries: 'array' });
  if (log.version !== '1.2') fail('log.version', 'must be "1.2"');
  fields(obj(log.creator, 'log.creator'), 'log.creator', { name: 'string', version: 'string' });
  const pageIds = new Set<string>();
  ((log.pages as unknown[] | undefined) ?? []).forEach((p, i) => {
    const path = `log.pages[${i}]`;
    const page = obj(p, path);
    fields(page, path, { startedDateTime: 'string', id: 'string', title: 'string', pageTimings: 'object' });
    isoDate(page.startedDateTime, `${path}.startedDateTime`);
    if (pageIds.has(String(page.id))) fail(`${path}.id`, 'is not unique');
    pageIds.add(String(page.id));
    fields(obj(page.pageTimings, `${path}.pageTimings`), `${path}.pageTimings`, { onContentLoad: '?number', onLoad: '?number' });
  });
  ((log.entries as unknown[] | undefined) ?? []).forEach((en, i) => {
    const path = `log.entries[${i}]`;
    const e = obj(en, path);
    fields(e, path, { pageref: '?string', startedDateTime: 'string', time: 'number', request: 'object', response: 'object', cache: 'object', timings: 'object', serverIPAddress: '?string', connection: '?string' });
    isoDate(e.startedDateTime, `${path}.startedDateTime`);
    if (e.pageref !== undefined && !pageIds.has(String(e.pageref))) fail(`${path}.pageref`, `names no page (${String(e.pageref)})`);
    const req = obj(e.request, `${path}.request`);
    fields(req, `${path}.request`, { method: 'string', url: 'string', httpVersion: 'string', cookies: 'array', headers: 'array', queryString: 'array', postData: '?object', headersSize: 'number', bodySize: 'number' });
    try {
      new URL(String(req.url));
    } catch {
      fail(`${path}.request.url`, 'must be an absolute URL');
    }
    if (String(req.url).includes('#')) fail(`${path}.request.url`, 'must not hold a fragment');
    cookies(req.cookies, `${path}.request.cookies`);
    pairs(req.headers, `${path}.request.headers`);
    pairs(req.queryString, `${path}.request.queryString`);
    if (req.postData !== undefined) {
      const pd = obj(req.postData, `${path}.request.postData`);
      fields(pd, `${path}.request.postData`, { mimeType: 'string', params: '?array', text: '?string' });
      if (pd.text === undefined && pd.params === undefined) fail(`${path}.request.postData`, 'needs text or params');
      if ('encoding' in pd) fail(`${path}.request.postData.encoding`, 'HAR 1.2 postData has no encoding field');
    }
    const res = obj(e.response, `${path}.response`);
    fields(res, `${path}.response`, { status: 'number', statusText: 'string', httpVersion: 'string', cookies: 'array', headers: 'array', content: 'object', redirectURL: 'string', headersSize: 'number', bodySize: 'number' });
    cookies(res.cookies, `${path}.response.cookies`);
    pairs(res.headers, `${path}.response.headers`);
    const content = obj(res.content, `${path}.response.content`);
    fields(content, `${path}.response.content`, { size: 'number', compression: '?number', mimeType: 'string', text: '?string', encoding: '?string' });
    if (content.encoding !== undefined && content.encoding !== 'base64') fail(`${path}.response.content.encoding`, 'only "base64" is meaningful');
    if (content.encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(String(content.text ?? ''))) fail(`${path}.response.content.text`, 'is not base64');
    const t = obj(e.timings, `${path}.timings`);
    fields(t, `${path}.timings`, { blocked: '?number', dns: '?number', connect: '?number', send: 'number', wait: 'number', receive: 'number', ssl: '?number' });
    for (const k of ['send', 'wait', 'receive']) if (typeof t[k] === 'number' && (t[k] as number) < 0) fail(`${path}.timings.${k}`, 'must be ≥ 0');
    for (const k of ['blocked', 'dns', 'connect', 'ssl']) if (typeof t[k] === 'number' && (t[k] as number) < -1) fail(`${path}.timings.${k}`, 'must be ≥ -1');
    const sum = ['blocked', 'dns', 'connect', 'send', 'wait', 'receive'].reduce((n, k) => n + (typeof t[k] === 'number' && (t[k] as number) > 0 ? (t[k] as number) : 0), 0);
    if (typeof e.time === 'number' && Math.abs(e.time - sum) > 1e-6) fail(`${path}.time`, `must be the sum of the timings (${sum}), is ${e.time}`);
  });
  return problems;
}

describe('HAR export against the HAR 1.2 spec', () => {
  let root: string;
  let dataDir: string;
  let seededId: string;
  let importedId: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'phonehome-harspec-'));
    dataDir = join(root, 'data');
    const imported = await runCli(['import', FIXTURE, '--data', dataDir, '--profile', PROFILE]);
    assert.equal(imported.code, 0, imported.err);
    importedId = /into session (\S+)/.exec(imported.out)![1]!;
    const store = await Store.open(dataDir, quietLogger);
    seededId = store.startSession('spec').id;
    for (let n = 0; n < 5; n++) {
      const flow = makeFlow(seededId, n, { id: `spec-${n}`, device: n % 2 ? '192.168.1.23' : '192.168.1.40' });
      const request = n === 0 ? binaryBody(n) : Buffer.from(`imei=865432100123457&n=${n}`);
      const decoded = Buffer.from(JSON.stringify({ ok: n }));
      const response = n === 4 ? binaryBody(9) : gzipSync(decoded);
      flow.request.body = { size: request.length, captured: request.length, truncated: false };
      flow.response!.body = n === 4 ? { size: response.length, captured: response.length, truncated: false } : { size: response.length, captured: response.length, truncated: false, contentEncoding: 'gzip', decodedSize: decoded.length };
      if (n === 4) flow.response!.headers = [['Content-Type', 'application/octet-stream']];
      if (n === 3) {
        delete flow.response;
        flow.error = { code: 'upstream-unreachable', message: 'connect ECONNREFUSED' };
        flow.timings = { connect: -1, tls: -1, send: -1, wait: -1, receive: -1, total: 0 };
      }
      store.addFlow(captured(flow, request, flow.response ? response : Buffer.alloc(0)), [makeFinding(flow, 'imei')], n === 4 || n === 3 ? {} : { response: decoded });
    }
    await store.close();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const redact of [false, true]) {
    for (const which of ['seeded', 'imported'] as const) {
      it(`${which} session${redact ? ', redacted' : ''}: every field as HAR 1.2 says`, async () => {
        const file = join(root, `${which}-${redact}.har`);
        const result = await runCli(['export', '--data', dataDir, '--session', which === 'seeded' ? seededId : importedId, '--format', 'har', ...(redact ? ['--redact'] : []), '--out', file]);
        assert.equal(result.code, 0, result.err);
        const doc = JSON.parse(readFileSync(file, 'utf8')) as { log: { entries: unknown[]; pages: unknown[] } };
        assert.deepEqual(checkHar12(doc), []);
        assert.equal(doc.log.entries.length, 5);
        if (which === 'seeded') assert.equal(doc.log.pages.length, 2, 'one page per device');
      });
    }
  }

  it('the checker itself catches what the spec forbids', () => {
    const bad = {
      log: {
        version: '1.1',
        creator: { name: 'x' },
        entries: [
          {
            pageref: 'nope',
            startedDateTime: 'yesterday',
            time: 5,
            request: { method: 'GET', url: '/relative', httpVersion: 'HTTP/1.1', cookies: [], headers: [], queryString: [], headersSize: -1, bodySize: 0, postData: { mimeType: 'x', text: 'AA==', encoding: 'base64' } },
            response: { status: 200, statusText: '', httpVersion: '', cookies: [], headers: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: 0, findings: [] },
            cache: {},
            timings: { send: -1, wait: 1, receive: 1 },
          },
        ],
      },
    };
    const problems = checkHar12(bad).map((p) => p.split(':')[0]);
    for (const want of ['log.version', 'log.creator.version', 'log.entries[0].pageref', 'log.entries[0].startedDateTime', 'log.entries[0].request.url', 'log.entries[0].request.postData.encoding', 'log.entries[0].response.findings', 'log.entries[0].timings.send', 'log.entries[0].time']) {
      assert.ok(problems.includes(want), `${want} in ${problems.join(', ')}`);
    }
  });
});
