import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { CertificateAuthority } from '../../src/proxy/certificate-authority.js';
import { randomSerialHex, signCertificate } from '../../src/proxy/certificate-signing.js';
import type { Logger } from '../../src/types/logger.js';

const DAY_MS = 24 * 60 * 60 * 1000;

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'phonehome-ca-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A self-signed CA certificate built with forge and signed natively, for the broken-CA cases. */
async function writeForgeCa(dir: string, shape: { notBefore: Date; notAfter: Date; cA: boolean }): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = shape.notBefore;
  cert.validity.notAfter = shape.notAfter;
  cert.setSubject([{ name: 'commonName', value: 'test CA' }]);
  cert.setIssuer([{ name: 'commonName', value: 'test CA' }]);
  cert.setExtensions([
    { name: 'basicConstraints', cA: shape.cA, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'phonehome-ca.pem'), await signCertificate(cert, privateKey));
  await writeFile(join(dir, 'phonehome-ca-key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
}

test('creates the CA on first start (mkdir -p, key mode 0600) and reuses it afterwards', async (t) => {
  const dir = join(await tempDir(t), 'nested', 'certs');
  const logger = recordingLogger();
  const first = await CertificateAuthority.loadOrCreate(dir, logger);
  assert.equal(first.created, true);
  assert.equal(first.certPath, join(dir, 'phonehome-ca.pem'));
  assert.equal(first.keyPath, join(dir, 'phonehome-ca-key.pem'));
  assert.equal((await stat(first.keyPath)).mode & 0o777, 0o600);
  assert.equal(first.certPem, await readFile(first.certPath, 'utf8'));
  assert.ok(logger.lines.some((line) => line.startsWith('info created')));

  // fingerprint: upper-case hex with colons, the same as openssl's
  assert.match(first.fingerprintSha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const opensslFingerprint = openssl(['x509', '-in', first.certPath, '-noout', '-fingerprint', '-sha256']).trim().split('=')[1];
  assert.equal(first.fingerprintSha256, opensslFingerprint);
  assert.deepEqual(first.certDer, new X509Certificate(first.certPem).raw);
  assert.ok(!first.certPem.includes('PRIVATE'));

  const second = await CertificateAuthority.loadOrCreate(dir);
  assert.equal(second.created, false);
  assert.equal(second.fingerprintSha256, first.fingerprintSha256);
  assert.equal(second.certPem, first.certPem);
  assert.deepEqual(second.subjectKeyIdentifier, first.subjectKeyIdentifier);
});

test('the CA certificate has the required subject, key, validity and extensions', async (t) => {
  const dir = await tempDir(t);
  const ca = await CertificateAuthority.loadOrCreate(dir);
  const text = openssl(['x509', '-in', ca.certPath, '-noout', '-text']);
  assert.match(text, /Version: 3 \(0x2\)/);
  assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  assert.match(text, /Subject: CN = phonehome CA, O = phonehome\n/); // no C
  assert.match(text, /Issuer: CN = phonehome CA, O = phonehome\n/);
  assert.match(text, /Public-Key: \(2048 bit\)/);
  assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE/);
  assert.match(text, /X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
  assert.match(text, /X509v3 Subject Key Identifier: \n\s+([0-9A-F]{2}:){19}[0-9A-F]{2}\n/);
  assert.equal(ca.subjectKeyIdentifier.length, 20);
  assert.ok(text.includes(ca.subjectKeyIdentifier.toString('hex').toUpperCase().match(/../g)?.join(':') ?? '?'));

  const x509 = new X509Certificate(ca.certPem);
  assert.equal(x509.ca, true);
  // positive serial: the DER INTEGER's top bit is clear, and it is not zero
  assert.match(x509.serialNumber, /^[0-7][0-9A-F]+$/);
  assert.notEqual(BigInt(`0x${x509.serialNumber}`), 0n);
  // valid 10 years, back-dated a day
  const notBefore = Date.parse(x509.validFrom);
  const notAfter = Date.parse(x509.validTo);
  assert.ok(Math.abs(notBefore - (Date.now() - DAY_MS)) < 5 * 60 * 1000, x509.validFrom);
  const years = (notAfter - Date.now()) / (365.25 * DAY_MS);
  assert.ok(years > 9.99 && years < 10.01, `${years} years`);
  assert.equal(ca.notAfter.getTime(), notAfter);

  // openssl accepts it as a strict trust anchor
  assert.match(openssl(['verify', '-x509_strict', '-CAfile', ca.certPath, ca.certPath]), /: OK/);
});

test('corrupt CA files give a clear error and are left alone', async (t) => {
  const base = await tempDir(t);

  const badCert = join(base, 'bad-cert');
  await CertificateAuthority.loadOrCreate(badCert);
  await writeFile(join(badCert, 'phonehome-ca.pem'), '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
  await assert.rejects(CertificateAuthority.loadOrCreate(badCert), (error: Error) => {
    assert.match(error.message, /CA certificate .*phonehome-ca\.pem is corrupt/);
    assert.match(error.message, /delete phonehome-ca\.pem and phonehome-ca-key\.pem/);
    return true;
  });
  assert.match(await readFile(join(badCert, 'phonehome-ca.pem'), 'utf8'), /not base64/); // not overwritten

  const badKey = join(base, 'bad-key');
  await CertificateAuthority.loadOrCreate(badKey);
  await writeFile(join(badKey, 'phonehome-ca-key.pem'), 'garbage\n');
  await assert.rejects(CertificateAuthority.loadOrCreate(badKey), /CA key .*phonehome-ca-key\.pem is corrupt/);

  const empty = join(base, 'empty');
  await CertificateAuthority.loadOrCreate(empty);
  await writeFile(join(empty, 'phonehome-ca.pem'), '');
  await assert.rejects(CertificateAuthority.loadOrCreate(empty), /is corrupt/);
});

test('a key that does not belong to the certificate is a clear error', async (t) => {
  const base = await tempDir(t);
  const one = await CertificateAuthority.loadOrCreate(join(base, 'one'));
  const two = await CertificateAuthority.loadOrCreate(join(base, 'two'));
  await copyFile(two.keyPath, one.keyPath);
  await assert.rejects(CertificateAuthority.loadOrCreate(join(base, 'one')), /CA key .* does not match the CA certificate/);
});

test('an expired CA, or a certificate that is not a CA, is a clear error', async (t) => {
  const base = await tempDir(t);
  const expired = join(base, 'expired');
  await writeForgeCa(expired, { notBefore: new Date(Date.now() - 20 * DAY_MS), notAfter: new Date(Date.now() - DAY_MS), cA: true });
  await assert.rejects(CertificateAuthority.loadOrCreate(expired), /CA certificate .* expired on \d{4}-/);

  const notCa = join(base, 'not-ca');
  await writeForgeCa(notCa, { notBefore: new Date(Date.now() - DAY_MS), notAfter: new Date(Date.now() + 20 * DAY_MS), cA: false });
  await assert.rejects(CertificateAuthority.loadOrCreate(notCa), /is not a CA certificate/);

  const soon = join(base, 'soon');
  await writeForgeCa(soon, { notBefore: new Date(Date.now() - DAY_MS), notAfter: new Date(Date.now() + 10 * DAY_MS), cA: true });
  const logger = recordingLogger();
  const ca = await CertificateAuthority.loadOrCreate(soon, logger);
  assert.equal(ca.created, false);
  assert.ok(logger.lines.some((line) => line.startsWith('warn') && line.includes('expires soon')), logger.lines.join('\n'));
});

test('half a CA (key without certificate) is a clear error, not silently replaced', async (t) => {
  const dir = await tempDir(t);
  const ca = await CertificateAuthority.loadOrCreate(dir);
  await rm(ca.certPath);
  await assert.rejects(CertificateAuthority.loadOrCreate(dir), /CA is incomplete: .*phonehome-ca-key\.pem exists but .*phonehome-ca\.pem does not/);
});

test('an unwritable certs folder is a clear error', async (t) => {
  const base = await tempDir(t);
  await writeFile(join(base, 'afile'), 'a regular file, so mkdir below it fails even for root\n');
  const dir = join(base, 'afile', 'certs');
  await assert.rejects(CertificateAuthority.loadOrCreate(dir), (error: Error) => {
    assert.match(error.message, /^Cannot create the certificate folder .*afile\/certs: /);
    return true;
  });
});

test('a CA key readable by others is restricted to 0600 on load, with a warning', { skip: process.platform === 'win32' }, async (t) => {
  const dir = await tempDir(t);
  const ca = await CertificateAuthority.loadOrCreate(dir);
  await chmod(ca.keyPath, 0o644);
  const logger = recordingLogger();
  await CertificateAuthority.loadOrCreate(dir, logger);
  assert.equal((await stat(ca.keyPath)).mode & 0o777, 0o600);
  assert.ok(logger.lines.some((line) => line.startsWith('warn') && line.includes('0600')));
});

test('concurrent first starts on one folder end with one CA', async (t) => {
  const dir = await tempDir(t);
  const all = await Promise.all(Array.from({ length: 5 }, () => CertificateAuthority.loadOrCreate(dir)));
  assert.equal(new Set(all.map((ca) => ca.fingerprintSha256)).size, 1);
  assert.equal(all.filter((ca) => ca.created).length, 1);
  const onDisk = await CertificateAuthority.loadOrCreate(dir);
  assert.equal(onDisk.fingerprintSha256, all[0]?.fingerprintSha256);
});
