// Per-host facts of one session, the dashboard's headline view: where data went, how much, which identifiers,
// in the clear or not, and whether the host's clients refused our certificate.
import type { Finding, Flow, HostRow } from '../types/index.js';
import { countryOf } from './country-lookup.js';

export type { HostRow } from '../types/index.js';

interface HostState {
  row: HostRow;
  kinds: Set<string>;
  plaintextKinds: Set<string>;
  serverIps: Set<string>;
  devices: Set<string>;
}

export class HostTable {
  private readonly hosts = new Map<string, HostState>();

  private stateOf(host: string, time: number): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = {
        row: {
          host, country: 'UNKNOWN', countryName: 'Unknown', serverIps: [], requests: 0, bytesUp: 0, bytesDown: 0, kinds: [],
          plaintextKinds: [], plaintext: false, tlsFailures: 0, likelyPinned: false, tunnels: 0, devices: [], firstSeen: time, lastSeen: time,
        },
        kinds: new Set(), plaintextKinds: new Set(), serverIps: new Set(), devices: new Set(),
      };
      this.hosts.set(host, state);
    }
    state.row.firstSeen = Math.min(state.row.firstSeen, time);
    state.row.lastSeen = Math.max(state.row.lastSeen, time);
    return state;
  }

  private noteServer(state: HostState, serverIp: string | undefined): void {
    if (!serverIp || state.serverIps.has(serverIp)) return;
    state.serverIps.add(serverIp);
    if (state.row.country === 'UNKNOWN' || state.row.country === 'LOCAL' || state.row.country === 'PRIVATE') {
      const country = countryOf(serverIp);
      if (state.row.country === 'UNKNOWN' || country.code.length === 2) {
        state.row.country = country.code;
        state.row.countryName = country.name;
      }
    }
  }

  addFlow(flow: Flow, findings: readonly Finding[]): void {
    const state = this.stateOf(flow.host, flow.startedAt);
    const row = state.row;
    row.requests++;
    row.bytesUp += flow.request.body.size;
    row.bytesDown += flow.response?.body.size ?? 0;
    if (flow.scheme === 'http') row.plaintext = true;
    this.noteServer(state, flow.serverIp);
    state.devices.add(flow.device);
    for (const finding of findings) {
      if (finding.confidence === 'low') continue;
      state.kinds.add(finding.kind);
      if (finding.plaintext) state.plaintextKinds.add(finding.kind);
    }
  }

  addTunnel(tunnel: { host: string; startedAt: number; bytesUp: number; bytesDown: number; serverIp?: string; device: string; reason: string }): void {
    const state = this.stateOf(tunnel.host, tunnel.startedAt);
    state.row.tunnels++;
    state.row.bytesUp += tunnel.bytesUp;
    state.row.bytesDown += tunnel.bytesDown;
    if (tunnel.reason === 'likely-pinned') state.row.likelyPinned = true;
    this.noteServer(state, tunnel.serverIp);
    state.devices.add(tunnel.device);
  }

  addTlsFailure(failure: { host: string; time: number; cause: string }): void {
    const state = this.stateOf(failure.host, failure.time);
    state.row.tlsFailures++;
    if (failure.cause === 'cert-rejected' || failure.cause === 'closed-after-handshake') state.row.likelyPinned = true;
  }

  rows(): HostRow[] {
    return [...this.hosts.values()]
      .map((s) => ({
        ...s.row,
        kinds: [...s.kinds].sort(),
        plaintextKinds: [...s.plaintextKinds].sort(),
        serverIps: [...s.serverIps],
        devices: [...s.devices],
      }))
      .sort((a, b) => b.lastSeen - a.lastSeen);
  }
}
