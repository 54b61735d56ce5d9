// The dashboard's live stream (socket.io). Security: a client must present the dashboard token, as the HttpOnly
// cookie that /?token=… set or as `auth.token`, and its Origin (when the browser sends one) must be this server's
// own origin, so a page on another site cannot read captured traffic through the user's cookie.
//
// Flow: the wiring calls flowAdded/flowUpdated/tlsFailure/device/sessionChanged as things happen; those only queue.
// A timer flushes the queue at most every `batchMs` (100 ms: ≤ 10 batches per second per client), as one 'batch'
// message to every client, so a burst of 1,000 flows/s reaches the browser as ~10 messages. A client that connects
// late gets a 'snapshot' first (session, host rows, devices, findings, the newest flows and the total) and then
// the batches; it de-duplicates by flow id. A batch that grew too large is replaced by { resync: true } and the
// client reloads over the HTTP API.
import type http from 'node:http';
import { parse as parseCookies } from 'cookie';
import { Server, type Socket } from 'socket.io';
import type { HostRow } from '../hosts/host-table.js';
import type { SessionInfo, Store } from '../store/index.js';
import type { Finding, FlowSummary, LiveBatch, LiveDevice, LiveSnapshot, LiveTlsFailure, Logger } from '../types/index.js';
import { TOKEN_COOKIE, tokensMatch } from './dashboard-auth.js';

export type { LiveBatch, LiveDevice, LiveSnapshot, LiveTlsFailure } from '../types/index.js';

export interface LiveStreamOptions {
  token: string;
  store: Store;
  hostsOf(sessionId: string): Promise<HostRow[]>;
  logger: Logger;
  /** Flush period (default 100 ms). */
  batchMs?: number;
  /** Newest flows sent in a snapshot (default 500). */
  snapshotFlows?: number;
  /** Above this many queued flows a batch becomes { resync: true } (default 5,000). */
  maxBatchFlows?: number;
}

export class LiveStream {
  private io: Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private readonly batchMs: number;
  private queue = LiveStream.emptyQueue();

  constructor(private readonly options: LiveStreamOptions) {
    this.batchMs = options.batchMs ?? 100;
  }

  private static emptyQueue() {
    return {
      flows: new Map<string, FlowSummary>(),
      findings: [] as Finding[],
      tlsFailures: [] as LiveTlsFailure[],
      devices: [] as LiveDevice[],
      hosts: new Set<string>(),
      session: undefined as SessionInfo | undefined,
      overflow: false,
    };
  }

  /** Number of connected dashboard clients. */
  get clients(): number {
    return this.io?.engine.clientsCount ?? 0;
  }

  /** Serves socket.io on the dashboard's HTTP server (path /socket.io/). */
  attach(server: http.Server): void {
    const io = new Server(server, {
      serveClient: false,
      cors: { origin: false },
      maxHttpBufferSize: 64 * 1024,
      allowRequest: (req, callback) => callback(null, sameOrigin(req)),
    });
    io.use((socket, next) => {
      const cookies = socket.handshake.headers.cookie ? parseCookies(socket.handshake.headers.cookie) : {};
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      const given = typeof auth?.token === 'string' ? auth.token : cookies[TOKEN_COOKIE];
      if (tokensMatch(given, this.options.token)) next();
      else next(new Error('a valid dashboard token is required'));
    });
    io.on('connection', (socket) => {
      void this.sendSnapshot(socket);
    });
    this.io = io;
  }

  // ── what the wiring calls (each only queues; the timer sends) ─────────────────────────────────────────────

  flowAdded(summary: FlowSummary, findings: readonly Finding[] = []): void {
    // Nobody to push to: nothing is kept (a dashboard that connects later starts from a snapshot of the store), so
    // a capture with no dashboard open makes no garbage here that lives until the next flush.
    if (this.clients === 0) return;
    if (this.queue.flows.size >= (this.options.maxBatchFlows ?? 5000)) {
      this.queue.overflow = true;
    } else {
      this.queue.flows.set(summary.id, summary);
      this.queue.findings.push(...findings);
    }
    this.queue.hosts.add(summary.host);
    this.schedule();
  }

  /** A flow whose record changed (e.g. a WebSocket that closed): same shape, replaces the client's row. */
  flowUpdated(summary: FlowSummary, findings: readonly Finding[] = []): void {
    this.flowAdded(summary, findings);
  }

  tlsFailure(failure: LiveTlsFailure): void {
    if (this.clients === 0) return;
    if (this.queue.tlsFailures.length < 1000) this.queue.tlsFailures.push(failure);
    this.queue.hosts.add(failure.host);
    this.schedule();
  }

  device(device: LiveDevice): void {
    if (this.clients === 0) return;
    this.queue.devices = this.queue.devices.filter((d) => d.address !== device.address);
    this.queue.devices.push(device);
    this.schedule();
  }

  sessionChanged(session: SessionInfo): void {
    // Whatever was queued belongs to the old session.
    this.queue = LiveStream.emptyQueue();
    this.queue.session = session;
    this.schedule();
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const io = this.io;
    this.io = undefined;
    if (io) await new Promise<void>((resolve) => io.close(() => resolve()));
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────────

  private schedule(): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.batchMs);
    this.timer.unref?.();
  }

  private async flush(): Promise<void> {
    const queue = this.queue;
    this.queue = LiveStream.emptyQueue();
    const io = this.io;
    if (!io || io.engine.clientsCount === 0) return;
    this.flushing = true;
    try {
      const { store } = this.options;
      const session = store.currentSession();
      let hosts: HostRow[] = [];
      if (queue.hosts.size > 0) {
        try {
          hosts = (await this.options.hostsOf(session.id)).filter((h) => queue.hosts.has(h.host));
        } catch (error) {
          this.options.logger.warn('live stream: could not read host rows', { error: String(error) });
        }
      }
      const batch: LiveBatch = {
        sessionId: session.id,
        flows: queue.overflow ? [] : [...queue.flows.values()],
        findings: queue.overflow ? [] : queue.findings,
        tlsFailures: queue.tlsFailures,
        devices: queue.devices,
        hosts,
        total: store.listFlows(session.id, { limit: 0 }).total,
      };
      if (queue.session) batch.session = queue.session;
      if (queue.overflow) batch.resync = true;
      io.emit('batch', batch);
    } catch (error) {
      this.options.logger.error('live stream: could not send a batch', { error: String(error) });
    } finally {
      this.flushing = false;
      // Anything queued while this batch was being built goes out one period later.
      if (this.hasQueued()) this.schedule();
    }
  }

  private hasQueued(): boolean {
    const q = this.queue;
    return q.flows.size > 0 || q.tlsFailures.length > 0 || q.devices.length > 0 || q.session !== undefined || q.overflow;
  }

  private async sendSnapshot(socket: Socket): Promise<void> {
    try {
      const { store } = this.options;
      const session = store.currentSession();
      const total = store.listFlows(session.id, { limit: 0 }).total;
      const newest = this.options.snapshotFlows ?? 500;
      const offset = Math.max(0, total - newest);
      const flows: FlowSummary[] = [];
      for (let at = offset; at < total; at += 1000) flows.push(...store.listFlows(session.id, { offset: at, limit: 1000 }).flows);
      const snapshot: LiveSnapshot = {
        session,
        sessions: store.listSessions(),
        hosts: await this.options.hostsOf(session.id),
        devices: store.listDevices(),
        findings: store.findings(session.id),
        flows,
        total,
        batchMs: this.batchMs,
      };
      socket.emit('snapshot', snapshot);
    } catch (error) {
      this.options.logger.error('live stream: could not send a snapshot', { error: String(error) });
      socket.disconnect(true);
    }
  }
}

/** Browsers send Origin on WebSocket upgrades and cross-origin requests: it must name this very server. */
function sameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser (or a same-origin GET that needs no Origin)
  const host = req.headers.host;
  if (!host) return false;
  try {
    const url = new URL(origin);
    return url.host === host && (url.protocol === 'http:' || url.protocol === 'https:');
  } catch {
    return false;
  }
}
