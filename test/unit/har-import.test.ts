// HAR entries from the tools people export from, as phonehome flows: mitmproxy, Firefox, HTTP Toolkit, Charles,
// and phonehome's own log-level fields (_tunnels, _tlsErrors).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryToCapturedFlow, HarImportError, IMPORTED_DEVICE, readHarLog, tlsErrorToEvent, tunnelToCapturedFlow } from '../../src/export/har-import.js';

const base = (over: Record<string, unknown> = {}) => ({
  startedDateTime: '2026-11-20T10:00:00.000+01:00',
  time: 10,
  request: { method: 'GET', url: 'https://a.example.test/x', httpVersion: 'HTTP/1.1', headers: [], cookies: [], queryString: [], headersSize: -1, bodySize: 0 },
  response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: 0 },
  cache: {},
  timings: { send: 1, wait: 8, receive: 1 },
  ...over,
});

describe('HAR import: entries from other tools', () => {
  it('reads a BOM, and refuses what is not a HAR', () => {
    assert.equal(readHarLog('\uFEFF{"log":{"entries":[]}}').entries.length, 0);
    assert.throws(() => readHarLog('nope'), (e: unknown) => e instanceof HarImportError && /^not JSON/.test(e.message));
    assert.throws(() => readHarLog('{"log":{"entries":{}}}'), /no log\.entries array/);
  });

  it('mitmproxy: connect -1 on a reused connection, base64 response text, WebSocket messages', () => {
    const { flow, responseBody } = entryToCapturedFlow(
      base({
        timings: { connect: -1, ssl: -1, send: 0.5, wait: 3, receive: 0.5 },
        serverIPAddress: '203.0.113.9',
        _resourceType: 'websocket',
        _webSocketMessages: [
          { type: 'send', time: 1795166100.25, opcode: 1, data: 'hello' },
          { type: 'receive', time: 1795166100.5, opcode: 2, data: Buffer.from([1, 2, 3]).toString('base64') },
        ],
        response: { ...base().response, content: { size: 4, mimeType: 'application/octet-stream', text: Buffer.from([0, 255, 1, 2]).toString('base64'), encoding: 'base64' } },
      }),
      's1',
      0,
    );
    assert.deepEqual(flow.timings, { connect: -1, tls: -1, send: 0.5, wait: 3, receive: 0.5, total: 10 });
    assert.deepEqual(responseBody, Buffer.from([0, 255, 1, 2]));
    assert.equal(flow.startedAt, Date.parse('2026-11-20T09:00:00.000Z'));
    assert.equal(flow.serverIp, '203.0.113.9');
    assert.deepEqual(flow.webSocket!.messages, [
      { direction: 'sent', time: 1795166100250, size: 5, opcode: 'text', data: 'hello', truncated: false },
      { direction: 'received', time: 1795166100500, size: 3, opcode: 'binary', data: 'AQID', truncated: false },
    ]);
  });

  it('Firefox: a body kept only as params becomes a form body; cookies only in request.cookies become a Cookie header', () => {
    const { flow, requestBody } = entryToCapturedFlow(
      base({
        request: {
          ...base().request,
          method: 'POST',
          headers: [{ name: 'Content-Type', value: 'multipart/form-data; boundary=x' }],
          cookies: [{ name: 'sid', value: 'abc' }, { name: 'imei', value: '865432100123457' }],
          postData: { mimeType: 'multipart/form-data; boundary=x', params: [{ name: 'phone', value: '+86 138' }, { name: 'n', value: '1' }] },
        },
      }),
      's1',
      0,
    );
    assert.equal(requestBody.toString(), 'phone=%2B86%20138&n=1');
    assert.deepEqual(flow.request.headers, [
      ['Cookie', 'sid=abc; imei=865432100123457'],
      ['content-type', 'application/x-www-form-urlencoded'],
    ]);
    assert.equal(flow.request.body.size, requestBody.length);
  });

  it('HTTP Toolkit: the body in _content, its source page, a truncated body, status 0 without a response', () => {
    const { flow, requestBody } = entryToCapturedFlow(
      base({
        pageref: 'Android app',
        request: { ...base().request, method: 'PUT', bodySize: 100, _content: { text: Buffer.from([0xff, 0xfe, 0x41]).toString('base64'), size: 3, encoding: 'base64' }, _requestBodyStatus: 'discarded:too-large' },
        response: { ...base().response, status: 0 },
        _error: { code: 'upstream-timeout', message: 'no answer' },
      }),
      's1',
      0,
    );
    assert.deepEqual(requestBody, Buffer.from([0xff, 0xfe, 0x41]));
    assert.deepEqual(flow.request.body, { size: 100, captured: 3, truncated: true });
    assert.equal(flow.response, undefined);
    assert.deepEqual(flow.error, { code: 'upstream-timeout', message: 'no answer' });
    assert.equal(flow.device, IMPORTED_DEVICE);
  });

  it('Charles and others: no usable URL (host from the Host header), plain http port, a bad date', () => {
    const a = entryToCapturedFlow(base({ startedDateTime: 'not a date', request: { ...base().request, url: '/only/a/path', headers: [{ name: 'Host', value: 'c.example.test:8443' }] } }), 's1', 1234);
    assert.equal(a.flow.host, 'c.example.test');
    assert.equal(a.flow.port, 8443);
    assert.equal(a.flow.startedAt, 1234);
    const b = entryToCapturedFlow(base({ request: { ...base().request, url: 'http://[2001:db8::1]/x', httpVersion: '' } }), 's1', 0);
    assert.deepEqual([b.flow.scheme, b.flow.host, b.flow.port, b.flow.request.httpVersion], ['http', '2001:db8::1', 80, 'HTTP/1.1']);
    const c = entryToCapturedFlow(null, 's1', 5);
    assert.deepEqual([c.flow.request.method, c.flow.startedAt, c.flow.response], ['GET', 5, undefined]);
  });

  it("phonehome's _tlsErrors and HTTP Toolkit's become tls-failure events; _tunnels become tunnel flows", () => {
    assert.deepEqual(tlsErrorToEvent({ type: 'tls-failure', time: 5, host: 'pinned.test', port: 443, device: '10.0.0.2', cause: 'cert-rejected', message: 'unknown ca' }, 0), {
      type: 'tls-failure',
      time: 5,
      host: 'pinned.test',
      port: 443,
      device: '10.0.0.2',
      cause: 'cert-rejected',
      message: 'unknown ca',
    });
    assert.deepEqual(tlsErrorToEvent({ failureCause: 'closed', hostname: 'x.test', remoteIpAddress: '10.0.0.3' }, 9), { type: 'tls-failure', time: 9, host: 'x.test', port: 443, device: '10.0.0.3', cause: 'closed', message: '' });
    assert.equal(tlsErrorToEvent({ cause: 'closed' }, 0), undefined);
    const t = tunnelToCapturedFlow({ host: 'apple.test', port: 443, sni: 'apple.test', startedDateTime: '2026-11-20T09:00:00.000Z', device: '10.0.0.2', bytesUp: 10, bytesDown: 20, reason: 'likely-pinned' }, 's1', 0)!;
    assert.equal(t.flow.kind, 'tunnel');
    assert.deepEqual(t.flow.tunnel, { bytesUp: 10, bytesDown: 20, reason: 'likely-pinned' });
    assert.deepEqual(t.flow.tls, { sni: 'apple.test' });
    assert.equal(tunnelToCapturedFlow({ port: 1 }, 's1', 0), undefined);
  });
});
