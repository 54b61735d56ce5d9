// What the proxy knows about one client connection: who (device), where it asked to go (CONNECT target), and
// the TLS it negotiated. Kept per socket so every request on a kept-alive connection routes the same way.
import type { HostPort } from './host-port.js';

export interface ConnectionInfo {
  /** The phone's address, IPv4-mapped IPv6 unwrapped. */
  device: string;
  /** The CONNECT authority, for requests arriving inside a tunnel. */
  connectTarget?: HostPort;
  /** Whether the tunnel carried TLS we terminated. */
  tls: boolean;
  sni?: string;
  tlsProtocol?: string;
  tlsCipher?: string;
  /** Milliseconds our side of the TLS handshake took. */
  tlsHandshakeMs?: number;
  requestCount: number;
}

export function normalizeAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}
