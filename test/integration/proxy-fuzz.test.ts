// Hostile input against the running proxy while a legitimate client keeps using it: the proxy must stay up,
// keep serving, and keep its memory bounded. Seeded, bounded in count and time (npm run soak runs longer).
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js';
import { curl, startTestPhonehome, type TestPhonehome } from '../helpers/test-phonehome.js';
import { rawExchange } from '../helpers/proxy-clients.js';
import { hostileInputs, prng } from '../helpers/hostile-inputs.js';

/** A ClientHello with no SNI through a CONNECT tunnel: served with the CONNECT host's certificate. */
async function handshakeWithoutSni(proxyPort: number, ca: string): Promise<boolean> {
  const socket = net.connect({ host: '127.0.0.1', port: proxyPort });
  socket.write('CONNECT api.xiaomi.test:443 HTTP/1.1\r\nHost: api.xiaomi.test:443\r\n\r\n');
  await new Promise((r) => socket.once('data', r));
  return new Promise((resolve) => {
    const secure = tls.connect({ socket, ca, checkServerIdentity: () => undefined }, () => {
      const names = secure.getPeerCertificate().subjectaltname ?? '';
      secure.destroy();
      resolve(names.includes('api.xiaomi.test'));
    });
    secure.once('error', () => resolve(false));
  });
}

describe('fuzzing the running proxy', () => {
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

  it('survives hostile input while serving a legitimate client, with bounded memory', async () => {
    const seed = Number(process.env.PHONEHOME_FUZZ_SEED ?? 20261125);
    const inputs = hostileInputs(prng(seed), 280);
    const port = ph.running.proxyAddress.port;
    let legitimateOk = 0;
    let legitimateFailed = 0;
    let fuzzing = true;
    const legitimate = (async () => {
      for (let i = 0; fuzzing; i++) {
        const r = await curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, `https://api.xiaomi.test/echo?legit=${i}`], 10_000);
        if (r.code === 0 && JSON.parse(r.stdout).host === 'api.xiaomi.test') legitimateOk++;
        else legitimateFailed++;
      }
    })();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const startedAt = Date.now();
    for (let i = 0; i < inputs.length; i += 20) {
      await Promise.all(inputs.slice(i, i + 20).map((input) => rawExchange(port, input.bytes, 1_000)));
    }
    const sniOk = await handshakeWithoutSni(port, await import('node:fs/promises').then((fs) => fs.readFile(ph.caFile, 'utf8')));
    fuzzing = false;
    await legitimate;
    clearInterval(sampler);
    const growth = (peak - rssBefore) / 1048576;
    console.log(`fuzz: seed ${seed}, ${inputs.length} hostile inputs in ${Date.now() - startedAt} ms, crashes 0, legitimate requests served ${legitimateOk}, failed ${legitimateFailed}, peak RSS growth ${growth.toFixed(1)} MiB`);
    assert.ok(sniOk, 'a ClientHello without SNI gets the CONNECT host certificate');
    assert.equal(legitimateFailed, 0);
    assert.ok(legitimateOk >= 5, `only ${legitimateOk} legitimate requests completed`);
    // The origin, the proxy and the detection of every hostile body share this process.
    assert.ok(growth < 200, `RSS grew ${growth.toFixed(1)} MiB`);
    const after = await curl(['-x', ph.proxyUrl, 'http://api.example.test/echo?after-fuzz=1']);
    assert.equal(after.code, 0, after.stderr);
  });
});
