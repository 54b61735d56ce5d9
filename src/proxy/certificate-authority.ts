// The phonehome certificate authority: created on first start in the certs folder, reused afterwards.
// node-forge builds the certificate structures; Node's native crypto makes the RSA key and every signature.
// The private key stays inside this object (an ES private field) and in a mode-0600 file; it is never exported.
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { Logger } from '../types/logger.js';
import { fromForgeBytes, randomSerialHex, signCertificate } from './certificate-signing.js';

export const CA_CERT_FILE = 'phonehome-ca.pem';
export const CA_KEY_FILE = 'phonehome-ca-key.pem';

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALIDITY_YEARS = 10;
/** Warn at start when the CA has less than this left: phones will need the new CA soon. */
const EXPIRY_WARNING_MS = 30 * DAY_MS;

const generateKeyPairAsync = promisify(generateKeyPair);

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw new Error(`Cannot read ${path}: ${errorText(error)}`, { cause: error });
  }
}

/** Writes a file so that it appears complete or not at all, and never replaces an existing one. Returns false if it existed. */
async function writeNew(path: string, data: string, mode: number): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data, { mode, flag: 'wx' });
  try {
    await chmod(temporary, mode); // the umask may have narrowed it; never widened, but be exact
    try {
      await link(temporary, path); // atomic, and fails if another process got there first
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EEXIST') return false;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
        // file systems without hard links: plain rename (tiny race with another creator, accepted)
        if (await exists(path)) return false;
        await rename(temporary, path);
        return true;
      }
      throw error;
    }
    return true;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** The recovery advice every "bad CA files" error ends with. */
function recreateAdvice(dir: string): string {
  return `Restore the original files, or delete ${CA_CERT_FILE} and ${CA_KEY_FILE} in ${dir} to create a new CA (phones must then install the new one).`;
}

export class CertificateAuthority {
  readonly certPath: string;
  readonly keyPath: string;
  readonly certPem: string;
  readonly certDer: Buffer;
  /** SHA-256 of the DER certificate, 'AB:CD:…' upper-case hex with colons. */
  readonly fingerprintSha256: string;
  /** True when this loadOrCreate call created the CA. */
  readonly created: boolean;
  /** The CA's subject key identifier (leaves carry it as their authority key identifier). */
  readonly subjectKeyIdentifier: Buffer;
  readonly notAfter: Date;

  readonly #privateKey: KeyObject;
  readonly #subject: forge.pki.CertificateField[];

  private constructor(dir: string, certPem: string, privateKey: KeyObject, created: boolean) {
    this.certPath = join(dir, CA_CERT_FILE);
    this.keyPath = join(dir, CA_KEY_FILE);
    const x509 = new X509Certificate(certPem);
    this.certPem = x509.toString();
    this.certDer = x509.raw;
    this.fingerprintSha256 = x509.fingerprint256.toUpperCase();
    this.created = created;
    this.#privateKey = privateKey;
    const cert = forge.pki.certificateFromPem(this.certPem);
    this.#subject = cert.subject.attributes;
    this.notAfter = cert.validity.notAfter;
    const ski = cert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null;
    this.subjectKeyIdentifier = ski?.subjectKeyIdentifier
      ? Buffer.from(ski.subjectKeyIdentifier, 'hex')
      : fromForgeBytes(cert.generateSubjectKeyIdentifier().getBytes());
  }

  /** Loads the CA from dir, or creates it there on first start (mkdir -p). Key file mode 0600. Throws a clear Error if dir is unwritable or files are corrupt. */
  static async loadOrCreate(dir: string, logger: Logger = silentLogger): Promise<CertificateAuthority> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new Error(`Cannot create the certificate folder ${dir}: ${errorText(error)}`, { cause: error });
    }
    const certPath = join(dir, CA_CERT_FILE);
    const keyPath = join(dir, CA_KEY_FILE);

    for (let attempt = 0; ; attempt += 1) {
      const [haveCert, haveKey] = await Promise.all([exists(certPath), exists(keyPath)]);
      if (haveCert && haveKey) return CertificateAuthority.load(dir, logger);
      if (!haveCert && !haveKey) {
        const ca = await CertificateAuthority.create(dir, logger);
        if (ca) return ca;
        continue; // another process created it meanwhile: load theirs
      }
      // One file without the other: another process may be half-way through creating them; wait a moment.
      if (attempt >= 20) {
        const [present, missing] = haveCert ? [certPath, keyPath] : [keyPath, certPath];
        throw new Error(`The CA is incomplete: ${present} exists but ${missing} does not. ${recreateAdvice(dir)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Signs a leaf built with node-forge: sets its issuer to this CA and signs it (sha256WithRSA, native). Returns PEM. */
  async sign(cert: forge.pki.Certificate): Promise<string> {
    cert.setIssuer(this.#subject);
    return signCertificate(cert, this.#privateKey);
  }

  private static async create(dir: string, logger: Logger): Promise<CertificateAuthority | null> {
    const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    cert.serialNumber = randomSerialHex();
    const now = Date.now();
    cert.validity.notBefore = new Date(now - DAY_MS); // tolerate a phone whose clock is a little behind
    const notAfter = new Date(now);
    notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_VALIDITY_YEARS);
    cert.validity.notAfter = notAfter;
    const subject: forge.pki.CertificateField[] = [
      { name: 'commonName', value: 'phonehome CA', valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
      { name: 'organizationName', value: 'phonehome', valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
    ];
    cert.setSubject(subject);
    cert.setIssuer(subject);
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: true },
    ]);
    const certPem = await signCertificate(cert, privateKey);
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    const certPath = join(dir, CA_CERT_FILE);
    const keyPath = join(dir, CA_KEY_FILE);
    try {
      if (!(await writeNew(keyPath, keyPem, 0o600))) return null;
      if (!(await writeNew(certPath, certPem, 0o644))) {
        throw new Error(`${certPath} appeared while ${keyPath} was being created by this process`);
      }
    } catch (error) {
      throw new Error(`Cannot write the CA into ${dir}: ${errorText(error)}`, { cause: error });
    }
    const ca = new CertificateAuthority(dir, certPem, privateKey, true);
    logger.info('created a new certificate authority', { path: ca.certPath, fingerprintSha256: ca.fingerprintSha256 });
    return ca;
  }

  private static async load(dir: string, logger: Logger): Promise<CertificateAuthority> {
    const certPath = join(dir, CA_CERT_FILE);
    const keyPath = join(dir, CA_KEY_FILE);
    let certPem: string;
    let keyPem: string;
    try {
      [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    } catch (error) {
      throw new Error(`Cannot read the CA in ${dir}: ${errorText(error)}`, { cause: error });
    }

    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(certPem);
    } catch (error) {
      throw new Error(`The CA certificate ${certPath} is corrupt (not a PEM certificate: ${errorText(error)}). ${recreateAdvice(dir)}`, { cause: error });
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(keyPem);
    } catch (error) {
      throw new Error(`The CA key ${keyPath} is corrupt (not a PEM private key: ${errorText(error)}). ${recreateAdvice(dir)}`, { cause: error });
    }
    if (privateKey.asymmetricKeyType !== 'rsa') {
      throw new Error(`The CA key ${keyPath} is a ${privateKey.asymmetricKeyType ?? 'unknown'} key; phonehome needs RSA. ${recreateAdvice(dir)}`);
    }
    if (!x509.checkPrivateKey(privateKey) || !createPublicKey(privateKey).equals(x509.publicKey)) {
      throw new Error(`The CA key ${keyPath} does not match the CA certificate ${certPath}. ${recreateAdvice(dir)}`);
    }
    if (!x509.ca) {
      throw new Error(`The certificate ${certPath} is not a CA certificate (basicConstraints CA:false). ${recreateAdvice(dir)}`);
    }
    if (!x509.verify(x509.publicKey)) {
      throw new Error(`The CA certificate ${certPath} is not self-signed by its key (corrupt signature). ${recreateAdvice(dir)}`);
    }

    let ca: CertificateAuthority;
    try {
      ca = new CertificateAuthority(dir, certPem, privateKey, false);
    } catch (error) {
      throw new Error(`The CA certificate ${certPath} cannot be used: ${errorText(error)}. ${recreateAdvice(dir)}`, { cause: error });
    }
    const left = ca.notAfter.getTime() - Date.now();
    if (left <= 0) {
      throw new Error(`The CA certificate ${certPath} expired on ${ca.notAfter.toISOString()}. ${recreateAdvice(dir)}`);
    }
    if (left < EXPIRY_WARNING_MS) {
      logger.warn('the certificate authority expires soon; delete it to create a new one and reinstall it on phones', {
        path: certPath,
        notAfter: ca.notAfter.toISOString(),
      });
    }

    if (process.platform !== 'win32') {
      const mode = (await stat(keyPath)).mode & 0o777;
      if ((mode & 0o077) !== 0) {
        try {
          await chmod(keyPath, 0o600);
          logger.warn('the CA key was readable by others; restricted it to mode 0600', { path: keyPath, previousMode: mode.toString(8) });
        } catch (error) {
          logger.warn('the CA key is readable by others and could not be restricted to mode 0600', { path: keyPath, error: errorText(error) });
        }
      }
    }
    logger.debug('loaded the certificate authority', { path: certPath, fingerprintSha256: ca.fingerprintSha256 });
    return ca;
  }
}
