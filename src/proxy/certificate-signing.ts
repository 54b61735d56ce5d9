// Shared by the CA and the leaf issuer: build certificates with node-forge structures, sign them with Node's
// native crypto (forge's pure-JS RSA signing costs ~30 ms per certificate; OpenSSL's costs < 1 ms).
import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import forge from 'node-forge';

/** forge has this function at runtime but @types/node-forge does not declare it. */
const getTBSCertificate = (forge.pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 })
  .getTBSCertificate;

/**
 * A positive, non-zero serial with ~127 random bits, as forge's hex string. The first byte is 0x01–0x7f so the DER
 * INTEGER is positive (top bit clear) and minimally encoded (no leading zero byte), which strict parsers require.
 */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) % 0x7f) + 1;
  return bytes.toString('hex');
}

/** Binary string (forge's byte representation) from a Buffer, and back. */
export const toForgeBytes = (buffer: Buffer): string => buffer.toString('binary');
export const fromForgeBytes = (bytes: string): Buffer => Buffer.from(bytes, 'binary');

/**
 * Signs a forge certificate with sha256WithRSAEncryption using a native private key, off the main thread
 * (crypto.sign's callback form runs in libuv's pool). Returns the certificate as PEM (LF line ends).
 */
export async function signCertificate(cert: forge.pki.Certificate, key: KeyObject): Promise<string> {
  const oid = forge.pki.oids.sha256WithRSAEncryption;
  if (oid === undefined) throw new Error('node-forge lacks the sha256WithRSAEncryption OID');
  cert.siginfo.algorithmOid = oid;
  cert.signatureOid = oid;
  const tbs = getTBSCertificate(cert);
  cert.tbsCertificate = tbs; // certificateToPem reuses it instead of rebuilding
  const tbsDer = fromForgeBytes(forge.asn1.toDer(tbs).getBytes());
  const signature = await new Promise<Buffer>((resolve, reject) => {
    sign('sha256', tbsDer, key, (error, result) => (error ? reject(error) : resolve(result)));
  });
  cert.signature = toForgeBytes(signature);
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'); // forge writes CRLF; files and Node use LF
}

/** The 16 network-order bytes of an IPv6 literal (full, compressed, or with an embedded IPv4 tail); null if invalid. */
export function ipv6Bytes(ip: string): Buffer | null {
  if (!isIPv6(ip) || ip.includes('%')) return null;
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (isIPv4(last)) {
    // "::ffff:192.0.2.1" → "::ffff:c000:201"
    const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const zeros = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (zeros < 0) return null;
  const groups = [...head, ...new Array<number>(zeros).fill(0), ...tail];
  if (groups.length !== 8 || groups.some((group) => !Number.isInteger(group) || group < 0 || group > 0xffff)) return null;
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(group, index * 2));
  return bytes;
}

/** The 4 network-order bytes of a dotted-quad IPv4 literal; null if invalid. */
export function ipv4Bytes(ip: string): Buffer | null {
  if (!isIPv4(ip)) return null;
  return Buffer.from(ip.split('.').map(Number));
}
