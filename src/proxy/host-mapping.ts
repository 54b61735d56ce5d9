// --map-host HOST[:PORT]=ADDR:PORT: send upstream connections for HOST to ADDR:PORT while keeping HOST for the
// Host header, TLS SNI and certificate verification (how tests reach 'api.xiaomi.test' without real DNS).
import { parseAuthority, type HostPort } from './host-port.js';

export class HostMappingError extends Error {}

interface HostMappingRule {
  host: string;
  /** Undefined = every port of the host. */
  port: number | undefined;
  to: HostPort;
}

export class HostMapping {
  private readonly rules: HostMappingRule[];

  constructor(specs: readonly string[] = []) {
    this.rules = specs.map(parseRule);
  }

  get size(): number {
    return this.rules.length;
  }

  /** Where to connect for a target, or undefined when no rule maps it. An exact port rule beats a host-wide one. */
  resolve(target: HostPort): HostPort | undefined {
    const host = target.host.toLowerCase();
    const exact = this.rules.find((rule) => rule.host === host && rule.port === target.port);
    const any = exact ?? this.rules.find((rule) => rule.host === host && rule.port === undefined);
    return any?.to;
  }

  /** True when some rule names this host (an explicit mapping makes loopback targets legitimate). */
  maps(target: HostPort): boolean {
    return this.resolve(target) !== undefined;
  }
}

function parseRule(spec: string): HostMappingRule {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new HostMappingError(`--map-host "${spec}": expected HOST[:PORT]=ADDR:PORT`);
  const fromText = spec.slice(0, eq);
  const toText = spec.slice(eq + 1);
  const to = parseAuthority(toText);
  if (!to) throw new HostMappingError(`--map-host "${spec}": "${toText}" is not ADDR:PORT`);
  const withPort = parseAuthority(fromText);
  if (withPort) return { host: withPort.host, port: withPort.port, to };
  // No port given: the rule covers every port (the default passed here only satisfies the parser).
  const hostOnly = parseAuthority(fromText, 443);
  if (!hostOnly) throw new HostMappingError(`--map-host "${spec}": "${fromText}" is not HOST[:PORT]`);
  return { host: hostOnly.host, port: undefined, to };
}
