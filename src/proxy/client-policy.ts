// Who may use the proxy. A proxy bound to 0.0.0.0 on a café's Wi-Fi must not become an open proxy: by default
// only loopback and private-range clients are served (--allow-clients widens or narrows that), and
// --proxy-auth user:pass asks for credentials, whose user name then labels the device.
import { timingSafeEqual, createHash } from 'node:crypto';
import net from 'node:net';

export class ClientPolicyError extends Error {}

/** Loopback, RFC 1918, CGNAT (tethering), link-local, and their IPv6 counterparts. */
export const DEFAULT_ALLOWED_CLIENTS = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'];

export class ClientPolicy {
  private readonly allowed = new net.BlockList();
  private readonly credentials: { user: string; digest: Buffer } | undefined;

  constructor(allowClients: readonly string[] = DEFAULT_ALLOWED_CLIENTS, proxyAuth?: string) {
    for (const cidr of allowClients) {
      const [address, prefixText] = cidr.trim().split('/');
      const family = net.isIP(address ?? '');
      const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
      if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
        throw new ClientPolicyError(`--allow-clients "${cidr}": expected an address or CIDR such as 192.168.0.0/16`);
      }
      this.allowed.addSubnet(address!, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
    if (proxyAuth !== undefined) {
      const colon = proxyAuth.indexOf(':');
      if (colon <= 0 || colon === proxyAuth.length - 1) throw new ClientPolicyError('--proxy-auth expects user:password');
      this.credentials = { user: proxyAuth.slice(0, colon), digest: createHash('sha256').update(proxyAuth).digest() };
    }
  }

  allows(address: string): boolean {
    const family = net.isIP(address);
    if (family === 0) return false;
    return this.allowed.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * Checks a Proxy-Authorization header: the user name when it is right, undefined when no authentication is
   * configured, false when credentials are required and missing or wrong.
   */
  authenticate(header: string | undefined): string | undefined | false {
    if (!this.credentials) return undefined;
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!match) return false;
    const given = Buffer.from(match[1]!, 'base64').toString('utf8');
    const digest = createHash('sha256').update(given).digest();
    return timingSafeEqual(digest, this.credentials.digest) ? this.credentials.user : false;
  }
}
