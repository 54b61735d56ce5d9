// The store facade: the lowdb catalog (sessions, devices, settings) plus, per session, an append-only NDJSON
// journal (flows, findings, events) and an append-only body file. Callers never wait for the disk: addFlow and
// friends queue synchronously; a batch writer puts the queue on disk within ~100 ms (at once when it is large).
// A failing disk pauses writing (writeError, 'capture-paused') and is retried; nothing already stored is touched.
import { EventEmitter } from 'node:events';
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CapturedFlow, Finding, Flow, FlowSummary, Logger, SessionInfo } from '../types/index.js';
import type { BodyRef, BodyRefs } from './body-store.js';
import { Catalog, type DeviceRecord, type SessionRecord } from './catalog.js';
import { DataLock, LOCK_FILE } from './data-lock.js';
import type { FlowQuery, FlowRow } from './flow-index.js';
import { SessionJournal, type StoredEvent } from './session-journal.js';
import { StoreError, reasonOf } from './store-error.js';

export type { SessionInfo } from '../types/index.js';

export interface StoreOptions {
  /** Name of the first session when the data folder has none yet (default "session 1"). */
  sessionName?: string;
  /** How long queued records wait for companions before a write (default 100 ms). */
  flushDelayMs?: number;
  /** Pause between attempts after a failed write (default 1000 ms). */
  retryDelayMs?: number;
  /** Queued bytes that trigger a write at once (default 4 MiB). */
  maxBatchBytes?: number;
  /** While writes fail, bodies of new flows are no longer kept once this much is queued (default 256 MiB). */
  maxQueuedBytes?: number;
  /**
   * For readers (export, diff) next to a running capture: no lock, nothing written, write calls ignored. The data
   * folder must exist.
   */
  readOnly?: boolean;
}

type Tuning = Required<Omit<StoreOptions, 'sessionName' | 'readOnly'>>;

export const CATALOG_FILE = 'catalog.json';
export const SESSIONS_DIR = 'sessions';

/**
 * Events: 'capture-paused' ({ error }) when a write fails, 'capture-resumed' when writing works again.
 */
export class Store extends EventEmitter {
  private readonly journals = new Map<string, SessionJournal>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private writing: Promise<void> | undefined;
  private error: string | undefined;
  private closed = false;
  private readonly warned = new Set<string>();

  private constructor(
    readonly dataDir: string,
    private readonly logger: Logger,
    private readonly catalog: Catalog,
    private readonly tuning: Tuning,
    private readonly lock: DataLock | undefined,
  ) {
    super();
    this.closed = lock === undefined; // read-only: write calls are refused like after close
  }

  static async open(dataDir: string, logger: Logger, options: StoreOptions = {}): Promise<Store> {
    const started = performance.now();
    const dir = resolve(dataDir);
    const sessionsDir = join(dir, SESSIONS_DIR);
    const readOnly = options.readOnly === true;
    try {
      if (!readOnly) await mkdir(sessionsDir, { recursive: true });
      await access(dir, readOnly ? constants.R_OK : constants.W_OK);
      if (!readOnly) await access(sessionsDir, constants.W_OK);
    } catch (err) {
      throw new StoreError(`data folder ${dir} is not usable: ${reasonOf(err)}`, dir, { cause: err });
    }
    const lock = readOnly ? undefined : await DataLock.acquire(join(dir, LOCK_FILE));
    let store: Store;
    let flows = 0;
    try {
      const catalog = await Catalog.open(join(dir, CATALOG_FILE), sessionsDir, logger);
      if (!catalog.current()) catalog.startSession(options.sessionName, Date.now());
      store = new Store(
        dir,
        logger,
        catalog,
        {
          flushDelayMs: options.flushDelayMs ?? 100,
          retryDelayMs: options.retryDelayMs ?? 1000,
          maxBatchBytes: options.maxBatchBytes ?? 4 * 1024 * 1024,
          maxQueuedBytes: options.maxQueuedBytes ?? 256 * 1024 * 1024,
        },
        lock,
      );
      for (const record of catalog.sessions) {
        const journal = store.journal(record.id);
        try {
          await journal.load(logger);
        } catch (err) {
          throw new StoreError(`cannot read session ${record.id} in ${journal.dir}: ${reasonOf(err)}`, journal.dir, { cause: err });
        }
        flows += journal.index.size;
      }
      // Writing the catalog now proves the folder writable (and records a new first session).
      if (!readOnly) {
        try {
          await catalog.write(Date.now());
        } catch (err) {
          throw new StoreError(`data folder ${dir} is not writable: ${reasonOf(err)}`, dir, { cause: err });
        }
      }
    } catch (err) {
      await lock?.release();
      throw err;
    }
    logger.info('store: opened', {
      readOnly,
      dataDir: dir,
      sessions: store.catalog.sessions.length,
      flows,
      ms: Math.round(performance.now() - started),
    });
    return store;
  }

  // ── sessions ────────────────────────────────────────────────────────────────────────────────────────────

  currentSession(): SessionInfo {
    const current = this.catalog.current() ?? this.catalog.startSession(undefined, Date.now());
    return this.info(current);
  }

  startSession(name?: string): SessionInfo {
    const record = this.catalog.startSession(name, Date.now());
    this.journal(record.id);
    this.schedule(this.tuning.flushDelayMs);
    return this.info(record);
  }

  /** Adds a session beside the current one without making it current (imports). */
  addSession(name?: string): SessionInfo {
    const record = this.catalog.addSession(name, Date.now());
    this.journal(record.id);
    this.schedule(this.tuning.flushDelayMs);
    return this.info(record);
  }

  /** Oldest first. */
  listSessions(): SessionInfo[] {
    return this.catalog.sessions.map((s) => this.info(s));
  }

  /** By id, by name (the latest of that name), or 'latest' (the newest session). */
  findSession(idOrName: string): SessionInfo | undefined {
    const sessions = this.catalog.sessions;
    const byId = this.catalog.session(idOrName);
    if (byId) return this.info(byId);
    for (let i = sessions.length - 1; i >= 0; i--) if (sessions[i]!.name === idOrName) return this.info(sessions[i]!);
    if (idOrName === 'latest' && sessions.length > 0) {
      const latest = sessions.reduce((a, b) => (b.createdAt >= a.createdAt ? b : a));
      return this.info(latest);
    }
    return undefined;
  }

  // ── writing (synchronous: queue now, disk later) ─────────────────────────────────────────────────────────

  addFlow(captured: CapturedFlow, findings: Finding[], decoded?: { request?: Buffer; response?: Buffer }): void {
    if (this.refuseClosed('addFlow')) return;
    try {
      const journal = this.journalForWrite(captured.flow.sessionId);
      const flow = this.own(captured.flow, journal);
      let refs: BodyRefs | undefined;
      if (this.error !== undefined && this.queuedBytes() > this.tuning.maxQueuedBytes) {
        this.warnOnce('bodies-dropped', 'store: writes are failing and the queue is full; new bodies are not kept', {
          queuedBytes: this.queuedBytes(),
        });
        captured.release?.();
      } else {
        refs = {};
        const captures: [keyof BodyRefs, Buffer][] = [];
        if (captured.requestBody.length > 0) captures.push(['request', captured.requestBody]);
        if (captured.responseBody.length > 0) captures.push(['response', captured.responseBody]);
        // The captured buffers go back to the proxy once the last of them is on disk.
        captures.forEach(([key, bytes], i) => {
          refs![key] = journal.bodies.enqueue(bytes, i === captures.length - 1 ? captured.release : undefined);
        });
        if (captures.length === 0) captured.release?.();
        if (decoded?.request?.length) refs.requestDecoded = journal.bodies.enqueue(decoded.request);
        if (decoded?.response?.length) refs.responseDecoded = journal.bodies.enqueue(decoded.response);
        if (Object.keys(refs).length === 0) refs = undefined;
      }
      journal.queueFlow(flow, findings ?? [], refs);
      this.queued();
    } catch (err) {
      this.logger.error('store: could not queue a flow', { flowId: captured?.flow?.id, error: reasonOf(err) });
    }
  }

  updateFlow(flow: Flow, findings?: Finding[]): void {
    if (this.refuseClosed('updateFlow')) return;
    try {
      const known = this.locate(flow.id);
      const journal = known?.journal ?? this.journalForWrite(flow.sessionId);
      // The newer record keeps the body references of the one it replaces (one small read of the journal).
      const bodies = known ? known.journal.readRecordSync(known.row).bodies : undefined;
      journal.queueFlow(this.own(flow, journal), findings ?? (known ? known.journal.index.findingsOf(known.row) : []), bodies);
      this.queued();
    } catch (err) {
      this.logger.error('store: could not queue a flow update', { flowId: flow?.id, error: reasonOf(err) });
    }
  }

  addEvent(sessionId: string, event: StoredEvent): void {
    if (this.refuseClosed('addEvent')) return;
    try {
      const journal = this.journalForWrite(sessionId);
      journal.queueEvent(typeof event.time === 'number' ? event : { ...event, time: Date.now() });
      this.queued();
    } catch (err) {
      this.logger.error('store: could not queue an event', { type: event?.type, error: reasonOf(err) });
    }
  }

  /** Records a client address; label (e.g. the --proxy-auth user name) names the device in the dashboard. */
  upsertDevice(address: string, seenAt: number, label?: string): void {
    if (this.refuseClosed('upsertDevice')) return;
    this.catalog.upsertDevice(address, seenAt, label);
    this.schedule(this.error ? this.tuning.retryDelayMs : this.tuning.flushDelayMs);
  }

  listDevices(): DeviceRecord[] {
    return this.catalog.listDevices();
  }

  /** Free-form settings kept in the catalog. */
  getSetting(key: string): unknown {
    return this.catalog.settings[key];
  }

  setSetting(key: string, value: unknown): void {
    this.catalog.setSetting(key, value);
    this.schedule(this.tuning.flushDelayMs);
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────────────────

  listFlows(sessionId: string, query?: FlowQuery): { total: number; flows: FlowSummary[] } {
    const journal = this.journals.get(sessionId);
    return journal ? journal.index.query(query) : { total: 0, flows: [] };
  }

  getFlow(flowId: string): { flow: Flow; findings: Finding[] } | undefined {
    const known = this.locate(flowId);
    if (!known) return undefined;
    try {
      return known.journal.readRecordSync(known.row);
    } catch (err) {
      this.logger.warn('store: could not read a flow record', { flowId, error: reasonOf(err) });
      return undefined;
    }
  }

  async readBody(flowId: string, which: 'request' | 'response', form: 'raw' | 'decoded' = 'raw'): Promise<Buffer | undefined> {
    const known = this.locate(flowId);
    if (!known) return undefined;
    try {
      const refs = (await known.journal.readRecord(known.row)).bodies;
      const ref: BodyRef | undefined =
        form === 'decoded' ? (refs?.[`${which}Decoded`] ?? refs?.[which]) : refs?.[which];
      if (!ref) return Buffer.alloc(0);
      return await known.journal.bodies.read(ref);
    } catch (err) {
      this.logger.warn('store: could not read a body', { flowId, which, form, error: reasonOf(err) });
      return undefined;
    }
  }

  findings(sessionId: string): Finding[] {
    return this.journals.get(sessionId)?.index.findings() ?? [];
  }

  events(sessionId: string): StoredEvent[] {
    return this.journals.get(sessionId)?.events.slice() ?? [];
  }

  iterateFlows(sessionId: string): AsyncIterable<{ flow: Flow; findings: Finding[] }> {
    const journal = this.journals.get(sessionId);
    if (journal) return journal.iterate();
    return (async function* () {})();
  }

  // ── the batch writer ─────────────────────────────────────────────────────────────────────────────────────

  /** Why writing is paused (the last failure), or undefined while writes work. */
  get writeError(): string | undefined {
    return this.error;
  }

  /** Writes everything queued; rejects with StoreError if the disk refuses (it stays queued and is retried). */
  async flush(): Promise<void> {
    if (!this.lock || this.closed) return; // read-only, or closed (close wrote what it could)
    await this.runWrite(true);
  }

  /** Writes everything queued and stops the writer. Rejects with StoreError if that last write fails. */
  async close(): Promise<void> {
    if (this.closed) {
      await this.writing?.catch(() => undefined);
      return;
    }
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.runWrite(true);
    } catch (err) {
      this.logger.error('store: closed with records that could not be written', { error: reasonOf(err) });
      throw err;
    } finally {
      await this.lock?.release();
    }
  }

  private queued(): void {
    const big = !this.error && this.queuedBytes() >= this.tuning.maxBatchBytes;
    this.schedule(this.error ? this.tuning.retryDelayMs : big ? 0 : this.tuning.flushDelayMs);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    const at = Date.now() + delayMs;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.runWrite(false).catch(() => undefined); // recorded in writeError and retried
    }, delayMs);
    // A retry loop alone must not keep a process alive; pending first writes do (they are due within ~100 ms).
    if (this.error) this.timer.unref();
  }

  private async runWrite(force: boolean): Promise<void> {
    while (this.writing) await this.writing.catch(() => undefined);
    const run = this.writeAll(force);
    this.writing = run;
    try {
      await run;
    } finally {
      if (this.writing === run) this.writing = undefined;
    }
  }

  private async writeAll(force: boolean): Promise<void> {
    let failure: StoreError | undefined;
    for (const journal of this.journals.values()) {
      if (!journal.hasPending()) continue;
      try {
        await journal.write();
      } catch (err) {
        failure ??= new StoreError(`cannot write session ${journal.id} in ${journal.dir}: ${reasonOf(err)}`, journal.dir, { cause: err });
      }
    }
    if (this.catalog.due(Date.now(), force).now) {
      try {
        await this.catalog.write(Date.now());
      } catch (err) {
        failure ??= new StoreError(`cannot write the catalog ${this.catalog.path}: ${reasonOf(err)}`, this.catalog.path, { cause: err });
      }
    }
    if (failure) {
      this.paused(failure.message);
      this.schedule(this.tuning.retryDelayMs);
      throw failure;
    }
    this.resumed();
    if ([...this.journals.values()].some((j) => j.hasPending())) this.schedule(this.tuning.flushDelayMs);
    const later = this.catalog.due(Date.now(), false).laterMs;
    if (later !== undefined) this.schedule(later);
  }

  private paused(message: string): void {
    if (this.error === message) return;
    const first = this.error === undefined;
    this.error = message;
    this.logger.error('store: writing paused; will retry', { error: message });
    if (first) this.emit('capture-paused', { error: message });
  }

  private resumed(): void {
    if (this.error === undefined) return;
    this.error = undefined;
    this.warned.delete('bodies-dropped');
    this.logger.info('store: writing resumed');
    this.emit('capture-resumed');
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────

  private info(record: SessionRecord): SessionInfo {
    const index = this.journals.get(record.id)?.index;
    const info: SessionInfo = {
      id: record.id,
      name: record.name,
      createdAt: record.createdAt,
      current: record.current,
      flowCount: index?.size ?? 0,
      findingCount: index?.findingCount ?? 0,
    };
    if (record.endedAt !== undefined) info.endedAt = record.endedAt;
    return info;
  }

  private journal(id: string): SessionJournal {
    let journal = this.journals.get(id);
    if (!journal) {
      journal = new SessionJournal(id, join(this.dataDir, SESSIONS_DIR, id));
      this.journals.set(id, journal);
    }
    return journal;
  }

  /** The journal a record for this session goes to; an unknown session id goes to the current session. */
  private journalForWrite(sessionId: string): SessionJournal {
    if (this.catalog.session(sessionId)) return this.journal(sessionId);
    const current = this.currentSession();
    this.warnOnce(`unknown-session:${sessionId}`, 'store: a record names an unknown session; kept in the current one', {
      sessionId,
      current: current.id,
    });
    return this.journal(current.id);
  }

  /** The flow as the journal keeps it: its sessionId is the journal's. */
  private own(flow: Flow, journal: SessionJournal): Flow {
    return flow.sessionId === journal.id ? flow : { ...flow, sessionId: journal.id };
  }

  private locate(flowId: string): { journal: SessionJournal; row: FlowRow } | undefined {
    for (const journal of this.journals.values()) {
      const row = journal.index.get(flowId);
      if (row !== undefined) return { journal, row };
    }
    return undefined;
  }

  private queuedBytes(): number {
    let total = 0;
    for (const journal of this.journals.values()) total += journal.queuedBytes;
    return total;
  }

  private refuseClosed(what: string): boolean {
    if (!this.closed) return false;
    this.warnOnce(`closed:${what}`, `store: ${what} ignored (${this.lock ? 'closed' : 'read-only'})`);
    return true;
  }

  private warnOnce(key: string, message: string, fields?: Record<string, unknown>): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(message, fields);
  }
}
