// Parsing of proxy targets: CONNECT authorities and Host headers, IPv6 literals included.
// (http-mitm-proxy splits on ':' and turns '[2001:db8::1]:443' into the host '[2001'.)
import net from 'node:net';

export interface HostPort {
  /** Hostname or IP literal, IPv6 without brackets, lower-cased. */
  host: string;
  port: number;
}

/** Parses 'host:port', '[v6]:port', 'host' (with defaultPort). Returns undefined for anything malformed. */
export function parseAuthority(authority: string | undefined, defaultPort?: number): HostPort | undefined {
  if (!authority) return undefined;
  const text = authority.trim();
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return undefined;
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return undefined;
    portText = rest === '' ? undefined : rest.slice(1);
    if (net.isIPv6(host) === false) return undefined;
  } else {
    const colons = text.split(':').length - 1;
    if (colons > 1) {
      // A bare IPv6 literal without brackets and without a port.
      if (!net.isIPv6(text)) return undefined;
      host = text;
    } else if (colons === 1) {
      const at = text.lastIndexOf(':');
      host = text.slice(0, at);
      portText = text.slice(at + 1);
    } else {
      host = text;
    }
  }
  host = host.toLowerCase();
  if (host === '' || !/^[a-z0-9._~%:-]+$/.test(host)) return undefined;
  let port: number;
  if (portText === undefined) {
    if (defaultPort === undefined) return undefined;
    port = defaultPort;
  } else {
    if (!/^\d{1,5}$/.test(portText)) return undefined;
    port = Number(portText);
  }
  if (port < 1 || port > 65535) return undefined;
  return { host, port };
}

/** 'host:port' with IPv6 hosts bracketed. */
export function formatAuthority(target: HostPort): string {
  return `${formatHost(target.host)}:${target.port}`;
}

export function formatHost(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

/** The default port of a scheme. */
export function defaultPortOf(scheme: 'http' | 'https'): number {
  return scheme === 'https' ? 443 : 80;
}
