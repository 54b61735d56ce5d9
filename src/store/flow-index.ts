// The in-memory index of one session's flows: what a flow list shows of each flow, the journal position of its
// latest record (full records and body references are re-read from the journal), and its findings as shared
// templates. Kept in columns: typed arrays and codes, paths as UTF-8 in one buffer. A row costs ~90 bytes of columns
// plus its path outside the V8 heap, and ~110 bytes on it (its id and its map entry); a summary object per flow cost
// ~500 bytes there, and every full GC walked them all. Summaries are built for the rows a query returns.
import type { Finding, Flow, FlowErrorCode, FlowKind, FlowScheme, FlowSummary } from '../types/index.js';
import { FindingTemplates, type FindingTemplate } from './finding-templates.js';
import { findingKindsOf, summaryUrl, toFlowSummary } from './flow-summary.js';
import { StringCodes } from './string-codes.js';

export interface FlowQuery {
  host?: string;
  /** Free text over method, url, host and status (case-insensitive). */
  q?: string;
  offset?: number;
  /** Default 100, at most 1000. */
  limit?: number;
}

/** A flow's row in its session's index (rows are numbered in order of first appearance). */
export type FlowRow = number;

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

const KINDS: readonly FlowKind[] = ['exchange', 'tunnel'];
const SCHEMES: readonly FlowScheme[] = ['http', 'https'];
/** Code 0 in the optional columns means "none". */
const NONE = 0;
const INITIAL_ROWS = 1024;

const templates = new FindingTemplates();

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

function grown<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(column: T, rows: number): T {
  const next = new (column.constructor as new (n: number) => T)(rows);
  next.set(column);
  return next;
}

export class FlowIndex {
  private rows = 0;
  private capacity = INITIAL_ROWS;
  private readonly byId = new Map<string, FlowRow>();
  private readonly ids: string[] = [];
  private findingTotal = 0;

  // Columns.
  private startedAt = new Float64Array(INITIAL_ROWS);
  private durationMs = new Float64Array(INITIAL_ROWS);
  private requestSize = new Float64Array(INITIAL_ROWS);
  private responseSize = new Float64Array(INITIAL_ROWS);
  /** Journal position of the latest record, -1 until it is written; its length in bytes. */
  private pos = new Float64Array(INITIAL_ROWS).fill(-1);
  private len = new Uint32Array(INITIAL_ROWS);
  private port = new Uint16Array(INITIAL_ROWS);
  /** HTTP status; 0 when there was no response. */
  private status = new Uint16Array(INITIAL_ROWS);
  private kind = new Uint8Array(INITIAL_ROWS);
  private scheme = new Uint8Array(INITIAL_ROWS);
  private device = new Uint32Array(INITIAL_ROWS);
  private method = new Uint32Array(INITIAL_ROWS);
  private host = new Uint32Array(INITIAL_ROWS);
  /** Code + 1 of the error, NONE without one. */
  private error = new Uint32Array(INITIAL_ROWS);
  private findingKinds = new Uint32Array(INITIAL_ROWS);
  /** Paths as UTF-8, one after another; a replaced row's new path is appended. */
  private pathBytes = Buffer.allocUnsafe(64 * 1024);
  private pathEnd = 0;
  private pathStart = new Float64Array(INITIAL_ROWS);
  private pathLength = new Uint32Array(INITIAL_ROWS);
  /** Per row: its findings' templates (shared lists), or undefined. */
  private readonly findingLists: (readonly FindingTemplate[] | undefined)[] = [];
  /** Serialised latest records (UTF-8) not yet on disk. */
  private readonly pendingLines = new Map<FlowRow, Buffer>();

  private readonly strings = new StringCodes();
  /** Lists of finding kinds, coded by their joined text. */
  private readonly kindLists = new StringCodes();

  constructor(readonly sessionId: string) {
    this.kindLists.code('');
  }

  get size(): number {
    return this.rows;
  }

  get findingCount(): number {
    return this.findingTotal;
  }

  get(flowId: string): FlowRow | undefined {
    return this.byId.get(flowId);
  }

  idOf(row: FlowRow): string {
    return this.ids[row]!;
  }

  /** Adds a flow, or replaces what is known of it (the latest record wins). */
  upsert(flow: Flow, findings: readonly Finding[]): FlowRow {
    let row = this.byId.get(flow.id);
    if (row === undefined) {
      row = this.rows++;
      if (row >= this.capacity) this.grow();
      this.byId.set(flow.id, row);
      this.ids.push(flow.id.length < 13 ? flow.id : Buffer.from(flow.id, 'utf8').toString('utf8'));
      this.findingLists.push(undefined);
    } else {
      this.findingTotal -= this.findingLists[row]?.length ?? 0;
      this.pos[row] = -1;
      this.len[row] = 0;
    }
    const s = toFlowSummary(flow, findings);
    this.startedAt[row] = s.startedAt;
    this.durationMs[row] = s.durationMs;
    this.requestSize[row] = s.requestSize;
    this.responseSize[row] = s.responseSize;
    this.port[row] = s.port;
    this.status[row] = s.status ?? 0;
    this.kind[row] = Math.max(0, KINDS.indexOf(s.kind));
    this.scheme[row] = Math.max(0, SCHEMES.indexOf(s.scheme));
    this.device[row] = this.strings.code(s.device);
    this.method[row] = this.strings.code(s.method);
    this.host[row] = this.strings.code(s.host);
    this.error[row] = s.error === undefined ? NONE : this.strings.code(s.error) + 1;
    this.findingKinds[row] = this.kindLists.code(findingKindsOf(findings).join(','));
    this.setPath(row, s.path);
    this.findingLists[row] = findings.length > 0 ? templates.compact(flow.id, flow.startedAt, findings) : undefined;
    this.findingTotal += findings.length;
    return row;
  }

  // ── the latest record of a row: pending (serialised, not yet on disk) or at a journal position ──────────────

  setPending(row: FlowRow, line: Buffer): void {
    this.pendingLines.set(row, line);
  }

  pendingLine(row: FlowRow): string | undefined {
    return this.pendingLines.get(row)?.toString('utf8');
  }

  /** The record `line` of this row is on disk at pos; a newer pending record (if any) stays pending. */
  written(row: FlowRow, line: Buffer, pos: number, len: number): void {
    if (this.pendingLines.get(row) !== line) return;
    this.pendingLines.delete(row);
    this.pos[row] = pos;
    this.len[row] = len;
  }

  /** Where a row's record was loaded from (journal load). */
  setPosition(row: FlowRow, pos: number, len: number): void {
    this.pos[row] = pos;
    this.len[row] = len;
  }

  positionOf(row: FlowRow): { pos: number; len: number } | undefined {
    const pos = this.pos[row]!;
    return pos < 0 ? undefined : { pos, len: this.len[row]! };
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────────────────────

  summary(row: FlowRow): FlowSummary {
    const summary: FlowSummary = {
      id: this.ids[row]!,
      sessionId: this.sessionId,
      kind: KINDS[this.kind[row]!]!,
      device: this.strings.value(this.device[row]!),
      startedAt: this.startedAt[row]!,
      scheme: SCHEMES[this.scheme[row]!]!,
      method: this.strings.value(this.method[row]!),
      host: this.strings.value(this.host[row]!),
      port: this.port[row]!,
      path: this.pathOf(row),
      requestSize: this.requestSize[row]!,
      responseSize: this.responseSize[row]!,
      durationMs: this.durationMs[row]!,
      findingKinds: this.kindsOf(row),
    };
    if (this.status[row]! > 0) summary.status = this.status[row]!;
    if (this.error[row]! !== NONE) summary.error = this.strings.value(this.error[row]! - 1) as FlowErrorCode;
    return summary;
  }

  /** Every finding of the session, as fresh objects. */
  findings(): Finding[] {
    const all: Finding[] = [];
    for (let row = 0; row < this.rows; row++) if (this.findingLists[row]) all.push(...this.findingsOf(row));
    return all;
  }

  /** One flow's findings, as fresh objects. */
  findingsOf(row: FlowRow): Finding[] {
    const list = this.findingLists[row];
    return list ? templates.expand(this.ids[row]!, this.startedAt[row]!, list) : [];
  }

  query(query: FlowQuery = {}): { total: number; flows: FlowSummary[] } {
    const offset = clampInt(query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = clampInt(query.limit, DEFAULT_LIMIT, 0, MAX_LIMIT);
    const host = query.host?.trim().toLowerCase() || undefined;
    const needle = query.q?.trim().toLowerCase() || undefined;
    if (!host && !needle) {
      const flows: FlowSummary[] = [];
      for (let row = offset; row < Math.min(this.rows, offset + limit); row++) flows.push(this.summary(row));
      return { total: this.rows, flows };
    }
    // Host codes that match (hosts are few; compared once each, not once per row).
    const hostOk = new Map<number, boolean>();
    const hostMatches = (code: number): boolean => {
      let ok = hostOk.get(code);
      if (ok === undefined) hostOk.set(code, (ok = this.strings.value(code).toLowerCase() === host));
      return ok;
    };
    const flows: FlowSummary[] = [];
    let total = 0;
    for (let row = 0; row < this.rows; row++) {
      if (host && !hostMatches(this.host[row]!)) continue;
      if (needle && !this.matches(row, needle)) continue;
      if (total >= offset && flows.length < limit) flows.push(this.summary(row));
      total++;
    }
    return { total, flows };
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────────────────────

  private matches(row: FlowRow, needle: string): boolean {
    const method = this.strings.value(this.method[row]!);
    const host = this.strings.value(this.host[row]!);
    if (method.toLowerCase().includes(needle) || host.toLowerCase().includes(needle)) return true;
    const status = this.status[row]! > 0 ? String(this.status[row]) : '';
    if (status.includes(needle)) return true;
    const url = summaryUrl({ host, port: this.port[row]!, scheme: SCHEMES[this.scheme[row]!]!, path: this.pathOf(row) });
    return `${method} ${url} ${status}`.toLowerCase().includes(needle);
  }

  private kindsOf(row: FlowRow): string[] {
    const joined = this.kindLists.value(this.findingKinds[row]!);
    return joined === '' ? [] : joined.split(',');
  }

  private pathOf(row: FlowRow): string {
    const start = this.pathStart[row]!;
    return this.pathBytes.toString('utf8', start, start + this.pathLength[row]!);
  }

  private setPath(row: FlowRow, path: string): void {
    const bytes = Buffer.byteLength(path);
    if (this.pathEnd + bytes > this.pathBytes.length) {
      const next = Buffer.allocUnsafe(Math.max(this.pathBytes.length * 2, this.pathEnd + bytes));
      this.pathBytes.copy(next, 0, 0, this.pathEnd);
      this.pathBytes = next;
    }
    this.pathBytes.write(path, this.pathEnd);
    this.pathStart[row] = this.pathEnd;
    this.pathLength[row] = bytes;
    this.pathEnd += bytes;
  }

  private grow(): void {
    const rows = this.capacity * 2;
    this.startedAt = grown(this.startedAt, rows);
    this.durationMs = grown(this.durationMs, rows);
    this.requestSize = grown(this.requestSize, rows);
    this.responseSize = grown(this.responseSize, rows);
    const pos = new Float64Array(rows).fill(-1);
    pos.set(this.pos);
    this.pos = pos;
    this.len = grown(this.len, rows);
    this.port = grown(this.port, rows);
    this.status = grown(this.status, rows);
    this.kind = grown(this.kind, rows);
    this.scheme = grown(this.scheme, rows);
    this.device = grown(this.device, rows);
    this.method = grown(this.method, rows);
    this.host = grown(this.host, rows);
    this.error = grown(this.error, rows);
    this.findingKinds = grown(this.findingKinds, rows);
    this.pathStart = grown(this.pathStart, rows);
    this.pathLength = grown(this.pathLength, rows);
    this.capacity = rows;
  }
}
