import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import tls from 'node:tls';
import net from 'node:net';
import { readClientHelloSni } from '../../../src/proxy/client-hello.js';
import { classifyTlsClientError, TlsFailureTracker } from '../../../src/proxy/tls-failure-tracker.js';

/** Captures the real ClientHello Node's TLS client sends, via a plain TCP server. */
function captureClientHello(servername: string | undefined): Promise<Buffer> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      socket.once('data', (data) => {
        resolve(data);
        socket.destroy();
        server.close();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      const client = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false });
      client.on('error', () => undefined);
    });
  });
}

describe('readClientHelloSni', () => {
  it('reads the server name from a real ClientHello', async () => {
    assert.equal(readClientHelloSni(await captureClientHello('Api.Xiaomi.test')), 'api.xiaomi.test');
  });
  it('returns undefined without SNI and for garbage, truncation or lies in length fields', async () => {
    const hello = await captureClientHello(undefined);
    assert.equal(readClientHelloSni(hello), undefined);
    const withSni = await captureClientHello('a.test');
    for (let cut = 0; cut < withSni.length; cut += 7) readClientHelloSni(withSni.subarray(0, cut)); // never throws
    assert.equal(readClientHelloSni(Buffer.from('GET / HTTP/1.1\r\n\r\n')), undefined);
    const lying = Buffer.from(withSni);
    lying.writeUInt16BE(0xffff, 3);
    readClientHelloSni(lying);
  });
});

describe('TLS failure classification', () => {
  it('maps OpenSSL alerts and socket errors to causes', () => {
    assert.equal(classifyTlsClientError(new Error('error:0A000418:SSL routines::tlsv1 alert unknown ca')), 'cert-rejected');
    assert.equal(classifyTlsClientError(new Error('SSL alert number 42 bad certificate')), 'cert-rejected');
    assert.equal(classifyTlsClientError(new Error('no shared cipher')), 'no-shared-cipher');
    assert.equal(classifyTlsClientError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 'reset');
    assert.equal(classifyTlsClientError(new Error('wrong version number')), 'protocol-error');
  });
  it('passes a host through after a rejection, not after a network reset', () => {
    const tracker = new TlsFailureTracker(true);
    const base = { port: 443, device: '10.0.0.2', message: '', time: 1 };
    tracker.record({ ...base, host: 'flaky.test', cause: 'reset' });
    assert.equal(tracker.shouldPassThrough('flaky.test'), false);
    tracker.record({ ...base, host: 'pinned.test', cause: 'cert-rejected' });
    assert.equal(tracker.shouldPassThrough('pinned.test'), true);
    assert.equal(new TlsFailureTracker(false).shouldPassThrough('pinned.test'), false);
  });
});
