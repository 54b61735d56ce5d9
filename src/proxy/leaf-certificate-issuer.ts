// Leaf certificates for intercepted hosts, signed by the phonehome CA.
// One RSA-2048 leaf key, generated natively at start-up, is shared by every leaf (as mitmproxy and mockttp do), so an
// issuance is only building a TBSCertificate with node-forge and one native signature (well under a few ms).
// An in-memory LRU cache per host, with one shared issuance for concurrent handshakes, renewed before expiry.
// Every leaf passes `openssl verify -x509_strict`: positive serial, AKI, SKI, critical basicConstraints and keyUsage.
import { generateKeyPairSync } from 'node:crypto';
import { isIP } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { domainToASCII } from 'node:url';
import forge from 'node-forge';
import type { CertificateAuthority } from './certificate-authority.js';
import { ipv4Bytes, ipv6Bytes, randomSerialHex, toForgeBytes } from './certificate-signing.js';

export interface LeafCertificateIssuerOptions {
  /** How many hosts' certificates to keep (least recently used go first). Default 1000. */
  maxEntries?: number;
  /** Validity of a leaf, counted from its back-dated notBefore: 2–397 days. Default 90. */
  validityDays?: number;
  /** The clock, in ms since the epoch (tests). Default Date.now. */
  now?: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Browsers and Apple platforms refuse TLS server certificates valid for more than 398 days; stay at 397. */
const MAX_VALIDITY_DAYS = 397;
/** Renew a cached leaf this long before it expires (or half its remaining life, if shorter). */
const RENEW_BEFORE_MS = 7 * DAY_MS;
/** X.520 upper bound of a commonName. */
const MAX_COMMON_NAME = 64;
const UTF8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;

interface Issued {
  pem: string;
  context: SecureContext;
}

interface CacheEntry {
  issued: Promise<Issued>;
  renewAt: number;
}

/** A host as the certificate will name it. */
type Target = { key: string; commonName: string; altName: { type: 2; value: string } | { type: 7; value: string } };

/**
 * Normalises a hostname or IP literal (IPv6 with or without brackets) into what the leaf names.
 * Throws for something that cannot be a TLS server name.
 */
function targetFor(host: string): Target {
  let text = host.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%'); // fe80::1%eth0: the zone is local to this machine, not part of the address
  if (zone !== -1 && text.includes(':')) text = text.slice(0, zone);
  const family = isIP(text);
  if (family === 4 || family === 6) {
    const bytes = family === 4 ? ipv4Bytes(text) : ipv6Bytes(text);
    if (bytes === null) throw new Error(`Cannot issue a certificate for the IP literal "${host}"`);
    return { key: `ip:${bytes.toString('hex')}`, commonName: text.toLowerCase(), altName: { type: 7, value: toForgeBytes(bytes) } };
  }
  let name = text.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  // Unicode labels become punycode ('bücher.example' → 'xn--bcher-kva.example'). domainToASCII would also accept
  // and cut URL syntax ('a/b' → 'a'), so only letters, digits, '-', '_' and '.' may reach it.
  if (/[^a-z0-9_.\-\u0080-\uffff]/.test(name)) throw new Error(`Cannot issue a certificate for the host name "${host}"`);
  if (/[\u0080-\uffff]/.test(name)) name = domainToASCII(name); // '' when invalid
  if (name === '' || name.length > 253 || !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name) || name.split('.').some((label) => label.length > 63)) {
    throw new Error(`Cannot issue a certificate for the host name "${host}"`);
  }
  return { key: `dns:${name}`, commonName: name.slice(0, MAX_COMMON_NAME), altName: { type: 2, value: name } };
}

export class LeafCertificateIssuer {
  #issuedCount = 0;
  readonly #ca: CertificateAuthority;
  readonly #maxEntries: number;
  readonly #validityMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #leafKeyPem: string;
  readonly #leafPublicKey: forge.pki.PublicKey;
  /** The extensions every leaf shares (all but the SAN), encoded once. */
  readonly #commonExtensions: unknown[];

  constructor(ca: CertificateAuthority, options: LeafCertificateIssuerOptions = {}) {
    const maxEntries = options.maxEntries ?? 1000;
    const validityDays = options.validityDays ?? 90;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, not ${maxEntries}`);
    if (!Number.isInteger(validityDays) || validityDays < 2 || validityDays > MAX_VALIDITY_DAYS) {
      throw new RangeError(`validityDays must be an integer from 2 to ${MAX_VALIDITY_DAYS}, not ${validityDays}`);
    }
    this.#ca = ca;
    this.#maxEntries = maxEntries;
    this.#validityMs = validityDays * DAY_MS;
    this.#now = options.now ?? Date.now;

    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    this.#leafKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.#leafPublicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());

    // Encode the shared extensions once, on a throwaway certificate holding the shared key (forge fills in `value`).
    const prototype = forge.pki.createCertificate();
    prototype.publicKey = this.#leafPublicKey;
    prototype.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: toForgeBytes(ca.subjectKeyIdentifier) },
    ]);
    this.#commonExtensions = prototype.extensions;
  }

  /** How many certificates were actually signed. */
  get issuedCount(): number {
    return this.#issuedCount;
  }

  /** A tls.SecureContext for a hostname or IP literal (IPv4 or IPv6, with or without [brackets]). Concurrent calls for one host share ONE issuance. Cached (LRU, bounded by maxEntries); renewed before expiry. */
  async secureContextFor(host: string): Promise<SecureContext> {
    return (await this.#lookup(host)).context;
  }

  /** The PEM leaf for a host (same cache); for tests and the default certificate. */
  async certificatePemFor(host: string): Promise<string> {
    return (await this.#lookup(host)).pem;
  }

  #lookup(host: string): Promise<Issued> {
    const target = targetFor(host);
    const now = this.#now();
    const cached = this.#cache.get(target.key);
    this.#cache.delete(target.key); // re-inserted below: Map order is the LRU order
    if (cached && now < cached.renewAt) {
      this.#cache.set(target.key, cached);
      return cached.issued;
    }

    const cert = this.#template(target, now);
    const notAfter = cert.validity.notAfter.getTime();
    const entry: CacheEntry = {
      issued: this.#sign(cert),
      renewAt: notAfter - Math.min(RENEW_BEFORE_MS, (notAfter - now) / 2),
    };
    this.#cache.set(target.key, entry);
    entry.issued.catch(() => {
      if (this.#cache.get(target.key) === entry) this.#cache.delete(target.key); // retry on the next request
    });
    while (this.#cache.size > this.#maxEntries) {
      const oldest = this.#cache.keys().next();
      if (oldest.done) break;
      this.#cache.delete(oldest.value);
    }
    return entry.issued;
  }

  #template(target: Target, now: number): forge.pki.Certificate {
    const cert = forge.pki.createCertificate();
    cert.publicKey = this.#leafPublicKey;
    cert.serialNumber = randomSerialHex();
    const notBefore = now - DAY_MS; // tolerate a phone whose clock is a little behind
    cert.validity.notBefore = new Date(notBefore);
    cert.validity.notAfter = new Date(Math.min(notBefore + this.#validityMs, this.#ca.notAfter.getTime()));
    cert.setSubject([{ name: 'commonName', value: target.commonName, valueTagClass: UTF8 }]);
    cert.setExtensions([...this.#commonExtensions, { name: 'subjectAltName', altNames: [target.altName] }]);
    return cert;
  }

  async #sign(cert: forge.pki.Certificate): Promise<Issued> {
    const pem = await this.#ca.sign(cert);
    this.#issuedCount += 1;
    return { pem, context: createSecureContext({ key: this.#leafKeyPem, cert: pem }) };
  }
}
