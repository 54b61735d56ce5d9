// Where the proxy must never connect: this machine's proxy and dashboard ports (mitmproxy's CVE-2025-23217 was a
// localhost-only web API reachable THROUGH the proxy), and loopback or link-local targets in general unless
// --map-host names them. Checked on the literal target, and again on every address a name resolves to.
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import net from 'node:net';
import os from 'node:os';

export class RefusedTargetError extends Error {
  readonly code = 'PHONEHOME_REFUSED_TARGET';
}

/** Loopback, unspecified and link-local addresses (IPv4, IPv6, IPv4-mapped IPv6). */
export function isLoopbackOrLinkLocal(address: string): boolean {
  const a = address.toLowerCase();
  const v4 = a.startsWith('::ffff:') && net.isIPv4(a.slice(7)) ? a.slice(7) : a;
  if (net.isIPv4(v4)) return v4.startsWith('127.') || v4.startsWith('0.') || v4.startsWith('169.254.');
  if (!net.isIPv6(a)) return false;
  return a === '::1' || a === '::' || /^fe[89ab]/.test(a);
}

function interfaceAddresses(): Set<string> {
  const found = new Set<string>();
  for (const addresses of Object.values(os.networkInterfaces())) for (const a of addresses ?? []) found.add(a.address.toLowerCase());
  return found;
}

export class TargetGuard {
  private readonly ports: Set<number>;

  constructor(protectedPorts: readonly number[]) {
    this.ports = new Set(protectedPorts);
  }

  protectPort(port: number): void {
    this.ports.add(port);
  }

  /**
   * Why connecting to host:port is refused, or undefined when it is fine. `mapped` = the address came from a
   * --map-host rule the user wrote (loopback is then legitimate, but never our own ports).
   */
  refusal(host: string, port: number, mapped: boolean): string | undefined {
    const h = host.toLowerCase().replace(/\.$/, '');
    const local = h === 'localhost' || h.endsWith('.localhost') || isLoopbackOrLinkLocal(h) || interfaceAddresses().has(h);
    if (local && this.ports.has(port)) return 'phonehome does not forward requests to itself or to its dashboard.';
    if (!mapped && (h === 'localhost' || h.endsWith('.localhost') || isLoopbackOrLinkLocal(h))) {
      return 'Loopback and link-local targets are refused unless --map-host names them.';
    }
    return undefined;
  }

  /** A dns.lookup for upstream connections to port: a name that resolves to a refused address fails the connect. */
  lookupFor(port: number, mapped: boolean): net.LookupFunction {
    return (hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
      dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, '', 0);
        const list = addresses as LookupAddress[];
        for (const entry of list) {
          const reason = this.refusal(entry.address, port, mapped);
          if (reason) return callback(new RefusedTargetError(`${hostname} resolves to ${entry.address}: ${reason}`), '', 0);
        }
        if (options.all) return callback(null, list);
        const first = list[0];
        if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
        callback(null, first.address, first.family);
      });
    };
  }
}
