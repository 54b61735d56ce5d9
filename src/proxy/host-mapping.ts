// --map-host HOST[:PORT]=ADDR:PORT: send upstream connections for HOST to ADDR:PORT while keeping HOST for the
// Host header, TLS SNI and certificate verification (how tests reach 'api.xiaomi.test' without real DNS).
// HOST may start with '*.' to cover every subdomain ('*.bench.test'); exact hosts win over wildcards.
import { parseAuthority, type HostPort } from './host-port.js';

export class HostMappingError extends Error {}

interface HostMappingRule {
  /** Exact host, or the suffix ('.bench.test') of a '*.' rule. */
  host: string;
  wildcard: boolean;
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
    const covers = (rule: HostMappingRule) => (rule.wildcard ? host.endsWith(rule.host) : rule.host === host);
    const ranked = (wildcard: boolean) =>
      this.rules.find((r) => r.wildcard === wildcard && covers(r) && r.port === target.port) ??
      this.rules.find((r) => r.wildcard === wildcard && covers(r) && r.port === undefined);
    return (ranked(false) ?? ranked(true))?.to;
  }

  /** True when some rule names this host (an explicit mapping makes loopback targets legitimate). */
  maps(target: HostPort): boolean {
    return this.resolve(target) !== undefined;
  }
}

function parseRule(spec: string): HostMappingRule {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new HostMappingError(`--map-host "${spec}": expected HOST[:PORT]=ADDR:PORT`);
  const toText = spec.slice(eq + 1);
  const to = parseAuthority(toText);
  if (!to) throw new HostMappingError(`--map-host "${spec}": "${toText}" is not ADDR:PORT`);
  const wildcard = spec.startsWith('*.');
  const fromText = spec.slice(wildcard ? 2 : 0, eq);
  const withPort = parseAuthority(fromText);
  // No port given: the rule covers every port (the default passed here only satisfies the parser).
  const from = withPort ?? parseAuthority(fromText, 443);
  if (!from) throw new HostMappingError(`--map-host "${spec}": "${spec.slice(0, eq)}" is not HOST[:PORT]`);
  return { host: wildcard ? `.${from.host}` : from.host, wildcard, port: withPort?.port, to };
}
