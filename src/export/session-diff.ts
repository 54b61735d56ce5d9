// Session diff ("did it really change?", e.g. before and after a vendor update): hosts that appeared or disappeared;
// per host, identifier kinds added or removed, kinds that moved between plain HTTP and TLS, kinds that went from a
// plain value to a hashed one (or back), and volumes. Only alerts count (medium and high confidence), as in the
// dashboard's host table. Each session is read once, one flow at a time.
import { countryOf } from '../hosts/country-lookup.js';
import type { SessionInfo } from '../store/index.js';
import type { Finding, Flow, SessionDiff, SessionDiffPair, SessionHostDiff, SessionTransport } from '../types/index.js';
import type { SessionSource } from './session-source.js';

/** How identifiers of a kind travelled to a host in one session. */
interface KindUse {
  plaintext: boolean;
  encrypted: boolean;
  plain: boolean;
  hashed: boolean;
}

export interface HostVolume {
  host: string;
  country: string;
  requests: number;
  bytesUp: number;
  bytesDown: number;
  httpRequests: number;
  httpsRequests: number;
  kinds: Map<string, KindUse>;
}

export interface SessionHosts {
  session: SessionInfo;
  hosts: Map<string, HostVolume>;
}

export type Transport = SessionTransport;
export type Pair<T> = SessionDiffPair<T>;
export type HostDiff = SessionHostDiff;
export type { SessionDiff } from '../types/index.js';

const HASHED = /^(md5|sha1|sha224|sha256|sha384|sha512|sha-?\d+|hmac|crc32)/i;

/** A finding found through a digest (md5/sha…) of the value rather than the value itself. */
export function isHashed(finding: Pick<Finding, 'encodings'>): boolean {
  return finding.encodings.some((e) => HASHED.test(e));
}

function hostOf(hosts: Map<string, HostVolume>, flow: Flow): HostVolume {
  let h = hosts.get(flow.host);
  if (!h) {
    h = { host: flow.host, country: 'UNKNOWN', requests: 0, bytesUp: 0, bytesDown: 0, httpRequests: 0, httpsRequests: 0, kinds: new Map() };
    hosts.set(flow.host, h);
  }
  if (flow.serverIp && h.country === 'UNKNOWN') h.country = countryOf(flow.serverIp).code;
  return h;
}

/** Reads one session's per-host facts, a flow at a time. */
export async function collectSessionHosts(source: SessionSource, session: SessionInfo): Promise<SessionHosts> {
  const hosts = new Map<string, HostVolume>();
  for await (const { flow, findings } of source.iterateFlows(session.id)) {
    const h = hostOf(hosts, flow);
    h.requests++;
    h.bytesUp += flow.kind === 'tunnel' ? (flow.tunnel?.bytesUp ?? 0) : flow.request.body.size;
    h.bytesDown += flow.kind === 'tunnel' ? (flow.tunnel?.bytesDown ?? 0) : (flow.response?.body.size ?? 0);
    if (flow.scheme === 'http') h.httpRequests++;
    else h.httpsRequests++;
    for (const f of findings) {
      if (f.confidence === 'low') continue;
      const use = h.kinds.get(f.kind) ?? { plaintext: false, encrypted: false, plain: false, hashed: false };
      if (f.plaintext) use.plaintext = true;
      else use.encrypted = true;
      if (isHashed(f)) use.hashed = true;
      else use.plain = true;
      h.kinds.set(f.kind, use);
    }
  }
  return { session, hosts };
}

function transportOf(h: HostVolume | undefined): Transport {
  if (!h || h.requests === 0) return 'none';
  if (h.httpRequests > 0 && h.httpsRequests > 0) return 'http+https';
  return h.httpRequests > 0 ? 'http' : 'https';
}

const sorted = (xs: Iterable<string>) => [...xs].sort();
const sum = (hosts: Map<string, HostVolume>, key: 'requests' | 'bytesUp' | 'bytesDown' | 'httpRequests') => [...hosts.values()].reduce((n, h) => n + h[key], 0);

export function diffSessions(a: SessionHosts, b: SessionHosts): SessionDiff {
  const names = sorted(new Set([...a.hosts.keys(), ...b.hosts.keys()]));
  const hosts: HostDiff[] = names.map((host) => {
    const ha = a.hosts.get(host);
    const hb = b.hosts.get(host);
    const ka = ha?.kinds ?? new Map<string, KindUse>();
    const kb = hb?.kinds ?? new Map<string, KindUse>();
    const both = sorted([...ka.keys()].filter((k) => kb.has(k)));
    const diff: HostDiff = {
      host,
      change: !ha ? 'appeared' : !hb ? 'disappeared' : 'unchanged',
      country: hb && hb.country !== 'UNKNOWN' ? hb.country : (ha?.country ?? 'UNKNOWN'),
      requests: { a: ha?.requests ?? 0, b: hb?.requests ?? 0 },
      bytesUp: { a: ha?.bytesUp ?? 0, b: hb?.bytesUp ?? 0 },
      bytesDown: { a: ha?.bytesDown ?? 0, b: hb?.bytesDown ?? 0 },
      transport: { a: transportOf(ha), b: transportOf(hb) },
      kinds: { a: sorted(ka.keys()), b: sorted(kb.keys()) },
      kindsAdded: sorted([...kb.keys()].filter((k) => !ka.has(k))),
      kindsRemoved: sorted([...ka.keys()].filter((k) => !kb.has(k))),
      plaintextToTls: both.filter((k) => ka.get(k)!.plaintext && !kb.get(k)!.plaintext),
      tlsToPlaintext: both.filter((k) => !ka.get(k)!.plaintext && kb.get(k)!.plaintext),
      plainToHashed: both.filter((k) => ka.get(k)!.plain && !kb.get(k)!.plain),
      hashedToPlain: both.filter((k) => !ka.get(k)!.plain && kb.get(k)!.plain),
    };
    if (
      diff.change === 'unchanged' &&
      (diff.kindsAdded.length || diff.kindsRemoved.length || diff.plaintextToTls.length || diff.tlsToPlaintext.length || diff.plainToHashed.length || diff.hashedToPlain.length || diff.transport.a !== diff.transport.b)
    ) {
      diff.change = 'changed';
    }
    return diff;
  });
  const order = { appeared: 0, disappeared: 1, changed: 2, unchanged: 3 } as const;
  hosts.sort((x, y) => order[x.change] - order[y.change] || x.host.localeCompare(y.host));
  const pair = (key: 'requests' | 'bytesUp' | 'bytesDown' | 'httpRequests') => ({ a: sum(a.hosts, key), b: sum(b.hosts, key) });
  return {
    a: { id: a.session.id, name: a.session.name, flows: a.session.flowCount, findings: a.session.findingCount },
    b: { id: b.session.id, name: b.session.name, flows: b.session.flowCount, findings: b.session.findingCount },
    hostsAppeared: hosts.filter((h) => h.change === 'appeared').map((h) => h.host),
    hostsDisappeared: hosts.filter((h) => h.change === 'disappeared').map((h) => h.host),
    totals: { requests: pair('requests'), bytesUp: pair('bytesUp'), bytesDown: pair('bytesDown'), hosts: { a: a.hosts.size, b: b.hosts.size }, plaintextRequests: pair('httpRequests') },
    hosts,
  };
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const arrow = <T>(p: Pair<T>, show: (v: T) => string = String) => (p.a === p.b ? show(p.a) : `${show(p.a)} → ${show(p.b)}`);

/** What changed in a host's identifiers, in words: "+imei -email phone_number plain→hashed". */
export function identifierChanges(h: HostDiff): string {
  const parts = [
    ...h.kindsAdded.map((k) => `+${k}`),
    ...h.kindsRemoved.map((k) => `-${k}`),
    ...h.plaintextToTls.map((k) => `${k} http→tls`),
    ...h.tlsToPlaintext.map((k) => `${k} tls→http`),
    ...h.plainToHashed.map((k) => `${k} plain→hashed`),
    ...h.hashedToPlain.map((k) => `${k} hashed→plain`),
  ];
  return parts.length > 0 ? parts.join(', ') : h.kinds.b.length > 0 ? `= ${h.kinds.b.join(', ')}` : '-';
}

/** Terminal columns a string takes (CJK and full-width characters take two). */
function width(s: string): number {
  let w = 0;
  for (const c of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1;
  return w;
}

/** The diff as readable terminal lines. */
export function formatDiff(diff: SessionDiff): string[] {
  const lines = [
    `A: ${diff.a.name} (${diff.a.id}): ${diff.a.flows} flows, ${diff.a.findings} findings`,
    `B: ${diff.b.name} (${diff.b.id}): ${diff.b.flows} flows, ${diff.b.findings} findings`,
    `hosts: ${arrow(diff.totals.hosts)} (${diff.hostsAppeared.length} appeared, ${diff.hostsDisappeared.length} disappeared); ` +
      `requests ${arrow(diff.totals.requests)} (plain HTTP ${arrow(diff.totals.plaintextRequests)}); ` +
      `sent ${arrow(diff.totals.bytesUp, bytes)}; received ${arrow(diff.totals.bytesDown, bytes)}`,
    '',
  ];
  if (diff.hosts.length === 0) return [...lines, 'no hosts in either session'];
  const head = ['host', 'change', 'country', 'requests', 'sent', 'received', 'transport', 'identifiers (A → B)'];
  const rows = diff.hosts.map((h) => [h.host, h.change, h.country, arrow(h.requests), arrow(h.bytesUp, bytes), arrow(h.bytesDown, bytes), arrow(h.transport), identifierChanges(h)]);
  const w = head.map((c, i) => Math.max(width(c), ...rows.map((r) => width(r[i]!))));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(w[i]! - width(c)))).join('  ').trimEnd();
  return [...lines, fmt(head), ...rows.map(fmt)];
}
