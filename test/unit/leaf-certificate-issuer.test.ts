import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { CertificateAuthority } from '../../src/proxy/certificate-authority.js';
import { LeafCertificateIssuer } from '../../src/proxy/leaf-certificate-issuer.js';

const DAY_MS = 24 * 60 * 60 * 1000;

let dir: string;
let ca: CertificateAuthority;
let issuer: LeafCertificateIssuer; // shared by the tests that do not count issuances

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phonehome-leaf-'));
  ca = await CertificateAuthority.loadOrCreate(join(dir, 'certs'));
  issuer = new LeafCertificateIssuer(ca);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileCounter = 0;
async function leafFile(pem: string): Promise<string> {
  const path = join(dir, `leaf-${(fileCounter += 1)}.pem`);
  await writeFile(path, pem);
  return path;
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `openssl verify -x509_strict` against our CA; returns its output (throws with openssl's message on failure). */
async function strictVerify(pem: string): Promise<string> {
  const path = await leafFile(pem);
  try {
    return openssl(['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', ca.certPath, path]);
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    throw new Error(`openssl verify failed:\n${failure.stdout ?? ''}${failure.stderr ?? ''}\n${openssl(['x509', '-in', path, '-noout', '-text'])}`, { cause: error });
  }
}

async function leafText(pem: string): Promise<string> {
  return openssl(['x509', '-in', await leafFile(pem), '-noout', '-text']);
}

const colonHex = (buffer: Buffer): string => buffer.toString('hex').toUpperCase().match(/../g)?.join(':') ?? '';

test('a DNS leaf passes openssl verify -x509_strict and has the required fields', async () => {
  const pem = await issuer.certificatePemFor('api.example.com');
  assert.match(await strictVerify(pem), /: OK\n/);
  const text = await leafText(pem);
  assert.match(text, /Version: 3 \(0x2\)/);
  assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  assert.match(text, /Issuer: CN = phonehome CA, O = phonehome\n/);
  assert.match(text, /Subject: CN = api\.example\.com\n/);
  assert.match(text, /Public-Key: \(2048 bit\)/);
  assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
  assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
  assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
  assert.match(text, /X509v3 Subject Key Identifier: \n\s+([0-9A-F]{2}:){19}[0-9A-F]{2}\n/);
  assert.match(text, new RegExp(`X509v3 Authority Key Identifier: \\n\\s+(keyid:)?${colonHex(ca.subjectKeyIdentifier)}\\n`));
  assert.match(text, /X509v3 Subject Alternative Name: \n\s+DNS:api\.example\.com\n/);
  const x509 = new X509Certificate(pem);
  assert.equal(x509.subjectAltName, 'DNS:api.example.com');
  assert.equal(x509.ca, false);
  assert.equal(x509.checkHost('api.example.com'), 'api.example.com');
  assert.ok(x509.checkIssued(new X509Certificate(ca.certPem)));
});

test('an IPv4 leaf names the address as an IP SAN and verifies strictly', async () => {
  const pem = await issuer.certificatePemFor('192.0.2.10');
  assert.match(await strictVerify(pem), /: OK\n/);
  const x509 = new X509Certificate(pem);
  assert.equal(x509.subjectAltName, 'IP Address:192.0.2.10');
  assert.equal(x509.checkIP('192.0.2.10'), '192.0.2.10');
  assert.match(x509.subject, /^CN=192\.0\.2\.10$/);
});

test('IPv6 leaves (with or without brackets) name the address as an IP SAN and verify strictly', async () => {
  for (const [host, san, check] of [
    ['::1', 'IP Address:0:0:0:0:0:0:0:1', '::1'],
    ['[2001:db8::1]', 'IP Address:2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:2', 'IP Address:2001:DB8:0:0:1:0:0:2', '2001:db8::1:0:0:2'],
    ['::ffff:192.0.2.1', 'IP Address:0:0:0:0:0:FFFF:C000:201', '::ffff:c000:201'],
  ] as const) {
    const pem = await issuer.certificatePemFor(host);
    assert.match(await strictVerify(pem), /: OK\n/, host);
    const x509 = new X509Certificate(pem);
    assert.equal(x509.subjectAltName, san, host);
    assert.equal(x509.checkIP(check), check, host);
  }
  // the same address written differently shares one certificate
  assert.equal(await issuer.certificatePemFor('0:0:0:0:0:0:0:1'), await issuer.certificatePemFor('[::1]'));
});

test('serials are positive, random and 16 bytes; validity is back-dated a day and at most 397 days', async () => {
  const serials = new Set<string>();
  for (const host of ['s1.example', 's2.example', 's3.example', 's4.example', 's5.example']) {
    const x509 = new X509Certificate(await issuer.certificatePemFor(host));
    assert.match(x509.serialNumber, /^[0-7][0-9A-F]{31}$/, 'top bit clear, 16 bytes');
    assert.doesNotMatch(x509.serialNumber, /^00/, 'minimal DER encoding');
    serials.add(x509.serialNumber);
    const notBefore = Date.parse(x509.validFrom);
    const notAfter = Date.parse(x509.validTo);
    assert.ok(Math.abs(notBefore - (Date.now() - DAY_MS)) < 5 * 60 * 1000, `notBefore ${x509.validFrom}`);
    assert.equal(Math.round((notAfter - notBefore) / DAY_MS), 90);
  }
  assert.equal(serials.size, 5);

  const longest = new LeafCertificateIssuer(ca, { validityDays: 397 });
  const x509 = new X509Certificate(await longest.certificatePemFor('long.example'));
  assert.ok(Date.parse(x509.validTo) - Date.parse(x509.validFrom) <= 397 * DAY_MS);
  assert.throws(() => new LeafCertificateIssuer(ca, { validityDays: 398 }), RangeError);
  assert.throws(() => new LeafCertificateIssuer(ca, { validityDays: 1 }), RangeError);
  assert.throws(() => new LeafCertificateIssuer(ca, { maxEntries: 0 }), RangeError);
});

test('host names are normalised; long names truncate the CN but keep the full SAN; invalid names reject', async () => {
  const mixed = new X509Certificate(await issuer.certificatePemFor('Mixed.Example.COM.'));
  assert.equal(mixed.subjectAltName, 'DNS:mixed.example.com');
  assert.equal(await issuer.certificatePemFor('mixed.example.com'), mixed.toString());

  const idn = new X509Certificate(await issuer.certificatePemFor('bücher.example'));
  assert.equal(idn.subjectAltName, 'DNS:xn--bcher-kva.example');

  const underscore = await issuer.certificatePemFor('my_service.example');
  assert.match(await strictVerify(underscore), /: OK\n/);

  const long = `${'a'.repeat(60)}.${'b'.repeat(60)}.example`;
  const longPem = await issuer.certificatePemFor(long);
  assert.match(await strictVerify(longPem), /: OK\n/);
  const longCert = new X509Certificate(longPem);
  assert.equal(longCert.subjectAltName, `DNS:${long}`);
  assert.equal(longCert.subject, `CN=${long.slice(0, 64)}`);
  assert.equal(longCert.checkHost(long), long);

  for (const bad of ['', ' ', 'bad host.example', 'a/b', '*.example.com', 'x'.repeat(64) + '.example', '[::1']) {
    await assert.rejects(issuer.secureContextFor(bad), /Cannot issue a certificate/, JSON.stringify(bad));
  }
});

test('20 concurrent requests for one new host share one issuance; later ones hit the cache', async () => {
  const fresh = new LeafCertificateIssuer(ca);
  const contexts = await Promise.all(Array.from({ length: 20 }, () => fresh.secureContextFor('new.example')));
  assert.equal(fresh.issuedCount, 1);
  assert.equal(new Set(contexts).size, 1);
  assert.equal(await fresh.secureContextFor('NEW.example'), contexts[0]);
  await fresh.certificatePemFor('new.example');
  assert.equal(fresh.issuedCount, 1);
});

test('the cache is bounded: the least recently used host is evicted', async () => {
  const small = new LeafCertificateIssuer(ca, { maxEntries: 2 });
  await small.secureContextFor('a.example');
  await small.secureContextFor('b.example');
  await small.secureContextFor('a.example'); // a is now the most recently used
  assert.equal(small.issuedCount, 2);
  await small.secureContextFor('c.example'); // evicts b
  assert.equal(small.issuedCount, 3);
  await small.secureContextFor('a.example');
  assert.equal(small.issuedCount, 3, 'a stayed cached');
  await small.secureContextFor('b.example');
  assert.equal(small.issuedCount, 4, 'b was evicted and issued again');
});

test('a cached leaf is renewed before it expires', async () => {
  let now = Date.now();
  const clocked = new LeafCertificateIssuer(ca, { validityDays: 30, now: () => now });
  const first = await clocked.certificatePemFor('renew.example');
  now += 20 * DAY_MS; // 9 days left of 29: still cached
  assert.equal(await clocked.certificatePemFor('renew.example'), first);
  assert.equal(clocked.issuedCount, 1);
  now += 3 * DAY_MS; // 6 days left: renewed
  const renewed = await clocked.certificatePemFor('renew.example');
  assert.notEqual(renewed, first);
  assert.equal(clocked.issuedCount, 2);
  const x509 = new X509Certificate(renewed);
  assert.ok(Math.abs(Date.parse(x509.validFrom) - (now - DAY_MS)) < 5 * 60 * 1000);
});

test('a leaf never outlives its CA', async (t) => {
  // the CA has less life left than a leaf's validity: reuse ours with the clock set 10 days before it expires
  let now = Date.now();
  const clocked = new LeafCertificateIssuer(ca, { validityDays: 397, now: () => now });
  now = ca.notAfter.getTime() - 10 * DAY_MS;
  const x509 = new X509Certificate(await clocked.certificatePemFor('late.example'));
  assert.equal(Date.parse(x509.validTo), ca.notAfter.getTime());
  t.diagnostic(`leaf notAfter ${x509.validTo}, CA notAfter ${ca.notAfter.toISOString()}`);
});

test('a real TLS handshake with SNICallback and secureContextFor verifies against the CA', async (t) => {
  const fresh = new LeafCertificateIssuer(ca);
  const server = tls.createServer(
    {
      SNICallback: (servername, callback) => {
        fresh.secureContextFor(servername).then((context) => callback(null, context), (error: Error) => callback(error));
      },
    },
    (socket) => socket.end('hello over tls\n'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;

  const handshake = (servername: string) =>
    new Promise<{ authorized: boolean; san: string | undefined; body: string }>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: ca.certPem }, () => {
        let body = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (body += chunk));
        socket.on('end', () => resolve({ authorized: socket.authorized, san: socket.getPeerCertificate().subjectaltname, body }));
      });
      socket.on('error', reject);
    });

  const results = await Promise.all([handshake('shop.example'), handshake('shop.example'), handshake('cdn.example')]);
  for (const result of results) {
    assert.equal(result.authorized, true);
    assert.equal(result.body, 'hello over tls\n');
  }
  assert.equal(results[0]?.san, 'DNS:shop.example');
  assert.equal(results[2]?.san, 'DNS:cdn.example');
  assert.equal(fresh.issuedCount, 2);
});

test('issuance cost (median ms per new leaf, including its SecureContext)', async (t) => {
  const bench = new LeafCertificateIssuer(ca);
  await bench.secureContextFor('warm-up.example');
  const times: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    const start = performance.now();
    await bench.secureContextFor(`bench-${i}.example`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? NaN;
  const p90 = times[Math.floor(times.length * 0.9)] ?? NaN;
  const line = `leaf issuance: median ${median.toFixed(2)} ms, p90 ${p90.toFixed(2)} ms over ${times.length} new hosts`;
  console.log(line);
  t.diagnostic(line);
  assert.equal(bench.issuedCount, 201);
  assert.ok(median < 50, line); // generous bound for slow CI; forge signing alone would be ~30 ms
});
