// Real clients (curl, Node, ws) through the real proxy to a real local origin; flows read back from the API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { WebSocket } from 'ws';
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js';
import { api, curl, eventually, startTestPhonehome, type TestPhonehome } from '../helpers/test-phonehome.js';
import { connectTunnel, requestOverSocket, tlsThroughProxy } from '../helpers/proxy-clients.js';
import type { Flow, FlowSummary } from '../../src/types/index.js';

describe('capture through the proxy', () => {
  let origin: TestOrigin;
  let ph: TestPhonehome;

  before(async () => {
    origin = await startOrigin();
    ph = await startTestPhonehome(origin);
  });
  after(async () => {
    await ph.stop();
    await origin.close();
  });

  const flows = async (q: string) => (await api<{ total: number; flows: FlowSummary[] }>(ph, `/api/flows?q=${encodeURIComponent(q)}`)).body.flows;
  const flowByPath = (path: string) => eventually(async () => (await flows(path)).find((f) => f.path.startsWith(path)));
  const fullFlow = async (id: string) => (await api<{ flow: Flow }>(ph, `/api/flows/${id}`)).body.flow;

  it('curl GET over plain HTTP is forwarded and recorded as plaintext', async () => {
    const result = await curl(['-x', ph.proxyUrl, 'http://api.example.test/echo?tel=13812345678']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).host, 'api.example.test');
    const summary = await flowByPath('/echo?tel=13812345678');
    assert.equal(summary.scheme, 'http');
    assert.equal(summary.host, 'api.example.test');
    assert.equal(summary.status, 200);
    const flow = await fullFlow(summary.id);
    assert.equal(flow.request.url, 'http://api.example.test/echo?tel=13812345678');
    assert.equal(flow.serverIp, '127.0.0.1');
  });

  it('curl GET over HTTPS verifies our CA, keeps the Host and records TLS facts', async () => {
    const result = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, 'https://api.xiaomi.test/echo?https=1']);
    assert.equal(result.code, 0, result.stderr);
    const echoed = JSON.parse(result.stdout);
    assert.equal(echoed.host, 'api.xiaomi.test');
    assert.equal(echoed.tls, true);
    const flow = await fullFlow((await flowByPath('/echo?https=1')).id);
    assert.equal(flow.scheme, 'https');
    assert.equal(flow.tls?.sni, 'api.xiaomi.test');
    assert.match(flow.tls?.protocol ?? '', /^TLSv1\.[23]$/);
    assert.ok(flow.timings.total >= 0 && flow.timings.wait >= 0);
  });

  it('curl POST with a body and a chunked POST arrive intact and are captured', async () => {
    const body = JSON.stringify({ imei: '865432100123457', note: 'x'.repeat(5000) });
    const file = join(tmpdir(), `phonehome-post-${process.pid}.json`);
    writeFileSync(file, body);
    const plain = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, '-H', 'content-type: application/json', '--data-binary', `@${file}`, 'https://api.xiaomi.test/echo?post=1']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(Buffer.from(JSON.parse(plain.stdout).body, 'base64').toString(), body);
    const chunked = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, '-H', 'transfer-encoding: chunked', '--data-binary', `@${file}`, 'https://api.xiaomi.test/echo?post=chunked']);
    assert.equal(chunked.code, 0, chunked.stderr);
    const echoed = JSON.parse(chunked.stdout);
    assert.equal(echoed.headers['transfer-encoding'], 'chunked');
    assert.equal(Buffer.from(echoed.body, 'base64').toString(), body);
    const summary = await flowByPath('/echo?post=chunked');
    assert.equal(summary.method, 'POST');
    assert.equal(summary.requestSize, body.length);
    const captured = await fetch(`${ph.dashboard}/api/flows/${summary.id}/request-body`, { headers: { authorization: 'Bearer test-token-0123456789abcdef' } });
    assert.equal(await captured.text(), body);
  });

  it('a gzip response reaches the client untouched and a decompressed copy is kept', async () => {
    const result = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, '--compressed', 'https://api.xiaomi.test/gzip']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).imei, '865432100123457');
    const summary = await flowByPath('/gzip');
    const flow = await fullFlow(summary.id);
    assert.equal(flow.response?.body.contentEncoding, 'gzip');
    assert.ok((flow.response?.body.decodedSize ?? 0) > (flow.response?.body.size ?? 0));
    const decoded = await fetch(`${ph.dashboard}/api/flows/${summary.id}/response-body?decoded=1`, { headers: { authorization: 'Bearer test-token-0123456789abcdef' } });
    assert.equal(JSON.parse(await decoded.text()).imei, '865432100123457');
  });

  it('a broken gzip response is forwarded as is and recorded with its decode error', async () => {
    const result = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, '-o', '/dev/null', '-w', '%{http_code}', 'https://api.xiaomi.test/broken-gzip']);
    assert.equal(result.stdout, '200');
    const flow = await fullFlow((await flowByPath('/broken-gzip')).id);
    assert.match(flow.response?.body.decodeError ?? '', /gzip|unexpected end|incorrect/i);
    assert.equal(flow.response?.body.size, 12);
  });

  it('a Node HTTPS client through a CONNECT tunnel, with keep-alive over one tunnel', async () => {
    const secure = await tlsThroughProxy(ph.running.proxyAddress.port, 'api.xiaomi.test', 443, await readCa(ph));
    const first = await requestOverSocket(secure, { method: 'GET', path: '/echo?node=1', headers: { host: 'api.xiaomi.test', connection: 'keep-alive' } });
    assert.equal(first.status, 200);
    const second = await requestOverSocket(secure, { method: 'POST', path: '/echo?node=2', headers: { host: 'api.xiaomi.test' }, body: 'hello' });
    assert.equal(second.status, 200);
    assert.equal(JSON.parse(second.body.toString()).bytes, 5);
    secure.destroy();
    await flowByPath('/echo?node=2');
  });

  it('recycled capture buffers never mix bodies: 80 distinct uploads on 4 connections read back byte-exact', async () => {
    const ca = await readCa(ph);
    const sent = new Map<string, Buffer>();
    await Promise.all(
      [0, 1, 2, 3].map(async (c) => {
        const secure = await tlsThroughProxy(ph.running.proxyAddress.port, 'api.xiaomi.test', 443, ca);
        for (let i = 0; i < 20; i++) {
          const tag = `recycle-${c}-${i}`;
          const body = randomBytes(30_000 + ((c * 20 + i) % 7) * 1000); // one 32 KiB size class: buffers are reused
          sent.set(tag, body);
          const response = await requestOverSocket(secure, { method: 'POST', path: `/echo?${tag}`, headers: { host: 'api.xiaomi.test', connection: 'keep-alive' }, body });
          assert.equal(response.status, 200);
          if (i % 5 === 4) await new Promise((r) => setTimeout(r, 120)); // let the store write and give buffers back
        }
        secure.destroy();
      }),
    );
    await flowByPath('/echo?recycle-3-19');
    for (const [tag, body] of sent) {
      const summary = await flowByPath(`/echo?${tag}`);
      const stored = await fetch(`${ph.dashboard}/api/flows/${summary.id}/request-body`, { headers: { authorization: 'Bearer test-token-0123456789abcdef' } });
      assert.ok(Buffer.from(await stored.arrayBuffer()).equals(body), `${tag}: the stored upload is the one sent`);
    }
  });

  it('a WebSocket echo through the proxy is relayed and its messages recorded', async () => {
    const socket = await connectTunnel(ph.running.proxyAddress.port, 'ws.test:443');
    const ca = await readCa(ph);
    const ws = new WebSocket('wss://ws.test/chat', { createConnection: () => tls.connect({ socket, servername: 'ws.test', ca }) } as never);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.once('open', () => ws.send('imei=865432100123457'));
      ws.once('message', (data) => resolve(data.toString()));
      ws.once('error', reject);
    });
    assert.equal(reply, 'echo:imei=865432100123457');
    ws.close();
    const summary = await flowByPath('/chat');
    const flow = await fullFlow(summary.id);
    assert.equal(flow.response?.status, 101);
    assert.deepEqual(flow.webSocket?.messages.map((m) => [m.direction, m.data]), [
      ['sent', 'imei=865432100123457'],
      ['received', 'echo:imei=865432100123457'],
    ]);
  });

  it('http://phonehome.setup/ through the proxy serves the CA downloads', async () => {
    const page = await curl(['-x', ph.proxyUrl, 'http://phonehome.setup/']);
    assert.match(page.stdout, /ca\.crt/);
    const pem = await curl(['-x', ph.proxyUrl, 'http://phonehome.setup/ca.pem']);
    assert.equal(pem.stdout, await readCa(ph));
  });

  it('the hosts API aggregates per host with plaintext flagged', async () => {
    const hosts = await eventually(async () => {
      const rows = (await api<{ host: string; plaintext: boolean; requests: number; country: string }[]>(ph, '/api/hosts')).body;
      return rows.some((r) => r.host === 'api.example.test') ? rows : undefined;
    });
    const row = hosts.find((r) => r.host === 'api.example.test')!;
    assert.equal(row.plaintext, true);
    assert.equal(row.country, 'LOCAL');
    assert.ok(row.requests >= 1);
  });
});

async function readCa(ph: TestPhonehome): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(ph.caFile, 'utf8');
}
