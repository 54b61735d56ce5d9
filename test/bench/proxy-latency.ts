// Latency through phonehome vs direct, on this machine, in one run (capture, storage and detection on):
//  - small HTTPS GET over one keep-alive connection: p50/p99, direct vs proxied;
//  - 4 KiB POST echo over keep-alive: p50;
//  - first request to a never-seen host (certificate issuance) vs a second request on a new connection.
// Run: node --import tsx test/bench/proxy-latency.ts [--json]
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { startPhonehome } from '../../src/app/phonehome-app.js';
import { startOrigin } from '../helpers/test-origin.js';
import { connectTunnel } from '../helpers/proxy-clients.js';
import { quietLogger } from '../helpers/test-phonehome.js';

const ROUNDS = 400;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function request(agent: http.Agent, options: https.RequestOptions & { body?: Buffer }, secure: boolean): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request({ ...options, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - started));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** An agent whose connections are CONNECT tunnels through the proxy with TLS to our leaf inside. */
class TunnelAgent extends http.Agent {
  constructor(
    private readonly proxyPort: number,
    private readonly ca: string,
  ) {
    super({ keepAlive: true, maxSockets: 1 });
  }
  override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const host = String(options.host);
    const done = callback ?? (() => undefined);
    connectTunnel(this.proxyPort, `${host}:443`).then(
      (socket) => {
        const secure = tls.connect({ socket, servername: host, ca: this.ca }, () => done(null, secure));
        secure.once('error', (err) => done(err, secure));
      },
      (err: Error) => done(err, undefined as never),
    );
    return undefined;
  }
}

async function series(run: () => Promise<number>, rounds: number): Promise<number[]> {
  for (let i = 0; i < 20; i++) await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) times.push(await run());
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const origin = await startOrigin();
  const root = mkdtempSync(join(tmpdir(), 'phonehome-bench-'));
  const ph = await startPhonehome({
    port: 0, listen: '127.0.0.1', uiPort: 0, uiHost: '127.0.0.1', dataDir: join(root, 'data'), certsDir: join(root, 'certs'),
    profileFiles: [], mapHosts: [`*.bench.test:443=127.0.0.1:${origin.httpsPort}`, `api.xiaomi.test:443=127.0.0.1:${origin.httpsPort}`],
    upstreamCaFiles: [origin.caFile], insecureUpstream: false, passthrough: [], autoPassthrough: true, token: 'bench-token-0123456789',
    maxBodyBytes: 10 * 1024 * 1024, upstreamTimeoutMs: 60_000, logger: quietLogger,
  });
  const ca = ph.ca.certPem;
  const proxyPort = ph.proxyAddress.port;
  const body = Buffer.alloc(4096, 120);

  const directAgent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: origin.caPem });
  const direct = await series(() => request(directAgent, { host: '127.0.0.1', port: origin.httpsPort, path: '/small', servername: 'api.xiaomi.test', headers: { host: 'api.xiaomi.test' } }, true), ROUNDS);
  const proxiedAgent = new TunnelAgent(proxyPort, ca);
  const proxied = await series(() => request(proxiedAgent, { host: 'api.xiaomi.test', port: 443, path: '/small' }, false), ROUNDS);
  const directPost = await series(() => request(directAgent, { host: '127.0.0.1', port: origin.httpsPort, method: 'POST', path: '/echo', servername: 'api.xiaomi.test', headers: { host: 'api.xiaomi.test', 'content-length': '4096' }, body }, true), ROUNDS);
  const proxiedPost = await series(() => request(proxiedAgent, { host: 'api.xiaomi.test', port: 443, method: 'POST', path: '/echo', headers: { 'content-length': '4096' }, body }, false), ROUNDS);

  // New hosts: the first request pays for the certificate; the second (new connection, same host) does not.
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < 40; i++) {
    const host = `h${i}.bench.test`;
    for (const bucket of [first, second]) {
      const agent = new TunnelAgent(proxyPort, ca);
      bucket.push(await request(agent, { host, port: 443, path: '/small', headers: { connection: 'close' } }, false));
      agent.destroy();
    }
  }
  first.sort((a, b) => a - b);
  second.sort((a, b) => a - b);

  const rows = [
    ['small GET p50 (ms)', percentile(direct, 50), percentile(proxied, 50)],
    ['small GET p99 (ms)', percentile(direct, 99), percentile(proxied, 99)],
    ['4 KiB POST p50 (ms)', percentile(directPost, 50), percentile(proxiedPost, 50)],
  ] as const;
  const result = {
    smallGet: { directP50: percentile(direct, 50), proxiedP50: percentile(proxied, 50), addedP50: percentile(proxied, 50) - percentile(direct, 50), directP99: percentile(direct, 99), proxiedP99: percentile(proxied, 99) },
    post4k: { directP50: percentile(directPost, 50), proxiedP50: percentile(proxiedPost, 50) },
    newHost: { firstP50: percentile(first, 50), secondP50: percentile(second, 50), extraP50: percentile(first, 50) - percentile(second, 50), firstMax: first.at(-1), issued: ph.certificates.issuedCount },
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else {
    console.log('\nlatency, one keep-alive connection, %d requests each', ROUNDS);
    console.log('%s', 'measure'.padEnd(24) + 'direct'.padStart(10) + 'phonehome'.padStart(12) + 'added'.padStart(10));
    for (const [name, d, p] of rows) console.log(name.padEnd(24) + d.toFixed(2).padStart(10) + p.toFixed(2).padStart(12) + (p - d).toFixed(2).padStart(10));
    console.log('\nnew host (40 hosts; each a fresh CONNECT + TLS)');
    console.log(`first request p50 ${result.newHost.firstP50.toFixed(2)} ms, second request (new connection) p50 ${result.newHost.secondP50.toFixed(2)} ms, issuance cost p50 ${result.newHost.extraP50.toFixed(2)} ms`);
  }
  directAgent.destroy();
  proxiedAgent.destroy();
  await ph.stop();
  await origin.close();
  rmSync(root, { recursive: true, force: true });
}

await main();
