import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readHar, HarError } from '../../../src/export/har-reader.js';

const entry = (request: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  startedDateTime: '2024-11-20T01:02:03.000Z',
  request: { method: 'POST', url: 'http://api.example.test/a?x=1', httpVersion: 'HTTP/1.1', headers: [], cookies: [], queryString: [], headersSize: -1, bodySize: -1, ...request },
  response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 2, mimeType: 'text/plain', text: 'aGk=', encoding: 'base64' }, redirectURL: '', headersSize: -1, bodySize: -1 },
  cache: {},
  timings: { send: 0, wait: 0, receive: 0 },
  ...extra,
});
const har = (...entries: unknown[]): string => JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries } });

describe('readHar', () => {
  it('reads plain postData text, a BOM, the scheme and host', () => {
    const [e] = readHar('\uFEFF' + har(entry({ postData: { mimeType: 'application/json', text: '{"a":"中"}' } })));
    assert.equal(e!.entry, 0);
    assert.equal(e!.input.scheme, 'http');
    assert.equal(e!.input.host, 'api.example.test');
    assert.equal(Buffer.from(e!.input.requestBody).toString('utf8'), '{"a":"中"}');
    assert.equal(Buffer.from(e!.input.responseBody!).toString(), 'hi');
    assert.equal(e!.time, Date.parse('2024-11-20T01:02:03.000Z'));
  });
  it('decodes base64 bodies marked with _postDataEncoding (or encoding)', () => {
    const gz = gzipSync('{"imei":"868828661312806"}');
    const out = readHar(har(
      entry({ postData: { mimeType: 'application/json', text: gz.toString('base64'), _postDataEncoding: 'base64' } }),
      entry({ postData: { mimeType: 'application/octet-stream', text: gz.toString('base64'), encoding: 'base64' } }),
    ));
    assert.deepEqual(Buffer.from(out[0]!.input.requestBody), gz);
    assert.deepEqual(Buffer.from(out[1]!.input.requestBody), gz);
  });
  it("reads HTTP Toolkit's _content", () => {
    const [e] = readHar(har(entry({ _content: { text: Buffer.from([1, 2, 3]).toString('base64'), size: 3, encoding: 'base64' }, _requestBodyStatus: 'discarded:not-representable' })));
    assert.deepEqual([...e!.input.requestBody], [1, 2, 3]);
  });
  it('rebuilds a form body from params when there is no text, and a Cookie header from cookies', () => {
    const [e] = readHar(har(entry({ postData: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'imei', value: '868828661312806' }, { name: 'n', value: 'a b' }] }, cookies: [{ name: 'sid', value: 'x1' }] })));
    assert.equal(Buffer.from(e!.input.requestBody).toString(), 'imei=868828661312806&n=a%20b');
    assert.deepEqual(e!.input.requestHeaders.find(([n]) => n === 'cookie'), ['cookie', 'sid=x1']);
  });
  it('refuses what is not a HAR', () => {
    assert.throws(() => readHar('{"log":{}}'), HarError);
    assert.throws(() => readHar('not json'), /not JSON/);
  });
});
