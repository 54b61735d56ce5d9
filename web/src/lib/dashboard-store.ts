// The dashboard's state: one session's flows, hosts, findings and devices, kept current by the live stream
// (socket.io: a snapshot, then batches) with a slow HTTP poll as a safety net, so the page stays right even when
// no live events arrive. React reads it through useDashboard() (useSyncExternalStore).
import { io, type Socket } from 'socket.io-client';
import { useSyncExternalStore } from 'react';
import { api, ApiError } from './api-client.js';
import type { DeviceRecord, Finding, FlowSummary, HostRow, LiveBatch, LiveSnapshot, LiveTlsFailure, SessionInfo } from './api-types.js';

export type LinkState = 'connecting' | 'live' | 'polling' | 'unauthorized' | 'offline';

export interface DashboardState {
  link: LinkState;
  /** The session on screen (the current one unless the user opened an older one). */
  session: SessionInfo | undefined;
  sessions: SessionInfo[];
  flows: FlowSummary[];
  total: number;
  hosts: HostRow[];
  findings: Finding[];
  devices: DeviceRecord[];
  tlsFailures: LiveTlsFailure[];
  /** Capture paused in the view: new flows are counted but not shown until resumed. */
  paused: boolean;
  pendingWhilePaused: number;
  loading: boolean;
  error: string | undefined;
  /** Epoch ms of the last live batch (undefined: none yet). */
  lastLiveAt: number | undefined;
}

const PAGE = 1000;
const POLL_MS = 2000;

class DashboardStore {
  private state: DashboardState = {
    link: 'connecting',
    session: undefined,
    sessions: [],
    flows: [],
    total: 0,
    hosts: [],
    findings: [],
    devices: [],
    tlsFailures: [],
    paused: false,
    pendingWhilePaused: 0,
    loading: true,
    error: undefined,
    lastLiveAt: undefined,
  };
  private readonly listeners = new Set<() => void>();
  private socket: Socket | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  /** Position in the server's flow list up to which the HTTP API has been read. */
  private restCursor = 0;
  private readonly flowIndex = new Map<string, number>();
  private readonly findingIds = new Set<string>();
  /** Flows that arrived while paused, shown on resume. */
  private held: FlowSummary[] = [];
  private viewingCurrent = true;
  private generation = 0;
  private polling = false;

  get = (): DashboardState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<DashboardState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  start(): void {
    if (this.socket) return;
    const socket = io({ path: `${new URL('socket.io/', window.location.href).pathname}`, transports: ['websocket', 'polling'], withCredentials: true });
    this.socket = socket;
    socket.on('snapshot', (snapshot: LiveSnapshot) => this.onSnapshot(snapshot));
    socket.on('batch', (batch: LiveBatch) => this.onBatch(batch));
    socket.on('connect_error', (error: Error) => {
      if (/token/i.test(error.message)) this.set({ link: 'unauthorized' });
      else if (this.state.link === 'live' || this.state.link === 'connecting') this.set({ link: 'polling' });
    });
    socket.on('disconnect', () => this.set({ link: 'polling' }));
    // If the socket never connects, the HTTP API still fills the page.
    setTimeout(() => {
      if (this.state.session === undefined) void this.reload();
    }, 1500);
    this.pollTimer = setInterval(() => void this.poll(), POLL_MS);
  }

  // ── live stream ───────────────────────────────────────────────────────────────────────────────────────────

  private onSnapshot(snapshot: LiveSnapshot): void {
    this.set({ link: 'live' });
    if (!this.viewingCurrent) {
      this.set({ sessions: snapshot.sessions });
      return;
    }
    const gen = ++this.generation;
    this.resetFlows();
    this.addFlows(snapshot.flows);
    this.addFindings(snapshot.findings);
    // The snapshot holds the newest flows; the HTTP API fills in the older ones.
    this.restCursor = snapshot.total;
    this.set({
      session: snapshot.session,
      sessions: snapshot.sessions,
      hosts: snapshot.hosts,
      devices: snapshot.devices,
      total: snapshot.total,
      loading: snapshot.total > snapshot.flows.length,
      error: undefined,
    });
    api.events(snapshot.session.id).then(
      (events) => gen === this.generation && this.set({ tlsFailures: tlsFailuresOf(events) }),
      () => undefined,
    );
    const older = snapshot.total - snapshot.flows.length;
    if (older > 0) void this.loadOlder(gen, snapshot.session.id, older);
  }

  private async loadOlder(gen: number, sessionId: string, count: number): Promise<void> {
    const pages: FlowSummary[] = [];
    try {
      for (let offset = 0; offset < count; offset += PAGE) {
        const page = await api.flows(sessionId, offset, Math.min(PAGE, count - offset));
        if (gen !== this.generation) return;
        pages.push(...page.flows);
      }
    } catch (error) {
      this.set({ error: String((error as Error).message) });
    }
    if (gen !== this.generation) return;
    // Older pages first, then what the snapshot and the batches since brought (ids de-duplicated).
    const known = this.state.flows;
    this.flowIndex.clear();
    this.state = { ...this.state, flows: [] };
    this.addFlows(pages);
    this.addFlows(known);
    this.set({ loading: false });
  }

  private onBatch(batch: LiveBatch): void {
    this.set({ link: 'live', lastLiveAt: Date.now() });
    if (batch.session) {
      // A new current session: follow it when showing the current one.
      const sessions = [...this.state.sessions.filter((s) => s.id !== batch.session!.id).map((s) => ({ ...s, current: false })), batch.session];
      this.set({ sessions });
      if (this.viewingCurrent) void this.reload();
      return;
    }
    if (!this.viewingCurrent || batch.sessionId !== this.state.session?.id) return;
    if (batch.resync) {
      void this.reload();
      return;
    }
    this.addFlows(batch.flows, true);
    this.addFindings(batch.findings);
    // Holding every flow the server has: the HTTP cursor can skip ahead. Fewer (a batch went missing, say during a
    // reconnect): the next poll reads the gap even while batches keep coming.
    if (this.heldCount() >= batch.total) this.restCursor = batch.total;
    const patch: Partial<DashboardState> = { total: Math.max(batch.total, this.state.total) };
    if (batch.hosts.length > 0) patch.hosts = mergeBy(this.state.hosts, batch.hosts, (h) => h.host);
    if (batch.devices.length > 0) {
      const devices = mergeBy(
        this.state.devices,
        batch.devices.map((d) => {
          const old = this.state.devices.find((o) => o.address === d.address);
          return { address: d.address, label: d.label ?? old?.label, firstSeen: old?.firstSeen ?? d.time, lastSeen: d.time };
        }),
        (d) => d.address,
      );
      patch.devices = devices;
    }
    if (batch.tlsFailures.length > 0) patch.tlsFailures = [...this.state.tlsFailures, ...batch.tlsFailures].slice(-500);
    this.set(patch);
  }

  // ── HTTP API ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Loads the session on screen from scratch over the HTTP API. */
  async reload(sessionId?: string): Promise<void> {
    const gen = ++this.generation;
    this.set({ loading: true });
    try {
      const sessions = await api.sessions();
      const current = sessions.find((s) => s.current) ?? sessions[sessions.length - 1];
      const wanted = sessionId ? sessions.find((s) => s.id === sessionId) : this.viewingCurrent ? current : this.state.session;
      const session = wanted ?? current;
      this.viewingCurrent = session?.id === current?.id;
      const id = session?.id;
      const [hosts, findings, devices, events] = await Promise.all([api.hosts(id), api.findings(id), api.devices(), api.events(id).catch(() => [])]);
      const flows: FlowSummary[] = [];
      let total = 0;
      for (let offset = 0; ; offset += PAGE) {
        const page = await api.flows(id, offset, PAGE);
        total = page.total;
        flows.push(...page.flows);
        if (page.flows.length < PAGE || flows.length >= total) break;
      }
      if (gen !== this.generation) return;
      this.resetFlows();
      this.addFlows(flows);
      this.addFindings(findings);
      this.restCursor = flows.length;
      this.set({ session, sessions, hosts, devices, total, tlsFailures: tlsFailuresOf(events), loading: false, error: undefined });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.set({ link: 'unauthorized', loading: false });
      else this.set({ error: (error as Error).message, loading: false });
    }
  }

  /** The safety net: reads what the HTTP API has beyond what this page holds (cheap when nothing is new). */
  private async poll(): Promise<void> {
    if (this.polling || this.state.loading || !this.state.session) return;
    if (this.state.link === 'unauthorized') return;
    const liveRecently = this.state.lastLiveAt !== undefined && Date.now() - this.state.lastLiveAt < 4000;
    const gap = this.state.total > this.heldCount();
    this.polling = true;
    const gen = this.generation;
    try {
      const sessions = await api.sessions();
      const current = sessions.find((s) => s.current);
      if (gen !== this.generation) return;
      this.set({ sessions });
      if (this.viewingCurrent && current && current.id !== this.state.session?.id) {
        void this.reload();
        return;
      }
      if (!this.viewingCurrent || (liveRecently && !gap)) return;
      const id = this.state.session.id;
      const page = await api.flows(id, this.restCursor, PAGE);
      if (gen !== this.generation) return;
      this.restCursor += page.flows.length;
      const grew = page.flows.length > 0;
      if (grew) this.addFlows(page.flows, true);
      const [hosts, findings, devices, events] = await Promise.all([api.hosts(id), grew ? api.findings(id) : Promise.resolve([]), api.devices(), api.events(id).catch(() => undefined)]);
      if (gen !== this.generation) return;
      this.addFindings(findings);
      const link: LinkState = this.socket?.connected ? 'live' : 'polling';
      this.set({ hosts, devices, total: Math.max(page.total, this.state.total), link, error: undefined, ...(events ? { tlsFailures: tlsFailuresOf(events) } : {}) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.set({ link: 'unauthorized' });
      else if (error instanceof TypeError) this.set({ link: 'offline' });
    } finally {
      this.polling = false;
    }
  }

  /** Flows this page holds, shown or held back by the pause. */
  private heldCount(): number {
    return this.flowIndex.size + this.held.length;
  }

  // ── flow bookkeeping ──────────────────────────────────────────────────────────────────────────────────────

  private resetFlows(): void {
    this.flowIndex.clear();
    this.findingIds.clear();
    this.held = [];
    this.state = { ...this.state, flows: [], findings: [], pendingWhilePaused: 0 };
  }

  /** live: flows that just happened (held back while the view is paused); loads are never held. */
  private addFlows(incoming: readonly FlowSummary[], live = false): void {
    if (incoming.length === 0) return;
    if (live && this.state.paused) {
      this.held.push(...incoming);
      this.set({ pendingWhilePaused: this.held.length });
      return;
    }
    let flows: FlowSummary[] | undefined;
    for (const f of incoming) {
      const at = this.flowIndex.get(f.id);
      flows ??= this.state.flows.slice();
      if (at !== undefined) flows[at] = f;
      else {
        this.flowIndex.set(f.id, flows.length);
        flows.push(f);
      }
    }
    if (flows) this.set({ flows });
  }

  private addFindings(incoming: readonly Finding[]): void {
    const fresh = incoming.filter((f) => !this.findingIds.has(f.id));
    if (fresh.length === 0) return;
    for (const f of fresh) this.findingIds.add(f.id);
    this.set({ findings: [...this.state.findings, ...fresh] });
  }

  // ── user actions ──────────────────────────────────────────────────────────────────────────────────────────

  setPaused(paused: boolean): void {
    if (paused === this.state.paused) return;
    this.set({ paused });
    if (!paused) {
      const held = this.held;
      this.held = [];
      this.set({ pendingWhilePaused: 0 });
      this.addFlows(held, false);
    }
  }

  async newSession(name: string): Promise<SessionInfo> {
    const session = await api.newSession(name);
    this.viewingCurrent = true;
    await this.reload(session.id);
    return session;
  }

  /** Names a phone ("Redmi 1S test unit") in place of its address. */
  async labelDevice(address: string, label: string): Promise<void> {
    const device = await api.setDeviceLabel(address, label);
    this.set({ devices: mergeBy(this.state.devices, [device], (d) => d.address) });
  }

  async openSession(id: string): Promise<void> {
    await this.reload(id);
  }

  /** Back to the session being recorded (and its live updates). */
  async openCurrent(): Promise<void> {
    this.viewingCurrent = true;
    await this.reload();
  }

  /** Test and debugging hook: the page's own counts (read by the e2e tests). */
  counts(): { flows: number; hosts: number; findings: number; link: LinkState; lastLiveAt: number | null } {
    return { flows: this.state.flows.length, hosts: this.state.hosts.length, findings: this.state.findings.length, link: this.state.link, lastLiveAt: this.state.lastLiveAt ?? null };
  }
}

function tlsFailuresOf(events: readonly { type: string; time: number; [k: string]: unknown }[]): LiveTlsFailure[] {
  return events
    .filter((e) => e.type === 'tls-failure')
    .slice(-500)
    .map((e) => ({ host: String(e.host), time: e.time, cause: String(e.cause), device: e.device === undefined ? undefined : String(e.device) }));
}

function mergeBy<T>(old: readonly T[], fresh: readonly T[], key: (t: T) => string): T[] {
  const byKey = new Map(old.map((o) => [key(o), o] as const));
  for (const f of fresh) byKey.set(key(f), f);
  return [...byKey.values()];
}

export const dashboardStore = new DashboardStore();

export function useDashboard(): DashboardState {
  return useSyncExternalStore(dashboardStore.subscribe, dashboardStore.get);
}
