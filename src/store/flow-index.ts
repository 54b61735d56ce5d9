// The in-memory index of one session's flows: a summary, the journal position of each flow's latest record (full
// records and their body references are re-read from the journal) and findings as shared templates.
import type { Finding, Flow, FlowSummary } from '../types/index.js';
import { FindingTemplates, type FindingTemplate } from './finding-templates.js';
import { summaryUrl, toFlowSummary } from './flow-summary.js';

export interface FlowQuery {
  host?: string;
  /** Free text over method, url, host and status (case-insensitive). */
  q?: string;
  offset?: number;
  /** Default 100, at most 1000. */
  limit?: number;
}

export interface FlowEntry {
  summary: FlowSummary;
  /** Byte position and length of the latest record in the journal; pos -1 until first written. */
  pos: number;
  len: number;
  /** The latest record, serialised, while it is not yet on disk. */
  line: string | undefined;
  /** Read them with FlowIndex.findingsOf(). */
  findings: readonly FindingTemplate[] | undefined;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** Shares equal strings (hosts, devices, methods…) between summaries: tens of thousands of copies otherwise. */
class Interner {
  private readonly strings = new Map<string, string>();
  private readonly kindLists = new Map<string, string[]>();

  str(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size > 100_000) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }

  kinds(kinds: string[]): string[] {
    if (kinds.length === 0) return EMPTY;
    const key = kinds.join(',');
    const known = this.kindLists.get(key);
    if (known) return known;
    this.kindLists.set(key, kinds);
    return kinds;
  }
}

const EMPTY: string[] = [];
const interner = new Interner();
const templates = new FindingTemplates();

/**
 * A flat copy of a string: a slice of a longer string (e.g. the path of a URL) would keep the whole parent alive.
 */
function flat(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

function intern(s: FlowSummary): FlowSummary {
  s.sessionId = interner.str(s.sessionId);
  s.kind = interner.str(s.kind) as FlowSummary['kind'];
  s.scheme = interner.str(s.scheme) as FlowSummary['scheme'];
  s.device = interner.str(s.device);
  s.method = interner.str(s.method);
  s.host = interner.str(s.host);
  s.path = flat(s.path);
  if (s.error !== undefined) s.error = interner.str(s.error) as FlowSummary['error'];
  s.findingKinds = interner.kinds(s.findingKinds);
  return s;
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

export class FlowIndex {
  /** In order of first appearance. */
  readonly entries: FlowEntry[] = [];
  private readonly byId = new Map<string, FlowEntry>();
  private findingTotal = 0;

  constructor(readonly sessionId: string) {}

  get size(): number {
    return this.entries.length;
  }

  get findingCount(): number {
    return this.findingTotal;
  }

  get(flowId: string): FlowEntry | undefined {
    return this.byId.get(flowId);
  }

  /** Adds a flow, or replaces what is known of it (the latest record wins). */
  upsert(flow: Flow, findings: Finding[]): FlowEntry {
    const summary = intern(toFlowSummary(flow, findings));
    summary.sessionId = this.sessionId;
    const kept = findings.length > 0 ? templates.compact(flow.id, flow.startedAt, findings) : undefined;
    let entry = this.byId.get(flow.id);
    if (entry) {
      this.findingTotal -= entry.findings?.length ?? 0;
      entry.summary = summary;
      entry.findings = kept;
    } else {
      entry = { summary, pos: -1, len: 0, line: undefined, findings: kept };
      this.byId.set(flow.id, entry);
      this.entries.push(entry);
    }
    this.findingTotal += findings.length;
    return entry;
  }

  /** Every finding of the session, as fresh objects. */
  findings(): Finding[] {
    const all: Finding[] = [];
    for (const entry of this.entries) if (entry.findings) all.push(...this.findingsOf(entry));
    return all;
  }

  /** One flow's findings, as fresh objects. */
  findingsOf(entry: FlowEntry): Finding[] {
    return entry.findings ? templates.expand(entry.summary.id, entry.summary.startedAt, entry.findings) : [];
  }

  query(query: FlowQuery = {}): { total: number; flows: FlowSummary[] } {
    const offset = clampInt(query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = clampInt(query.limit, DEFAULT_LIMIT, 0, MAX_LIMIT);
    const host = query.host?.trim().toLowerCase() || undefined;
    const needle = query.q?.trim().toLowerCase() || undefined;
    if (!host && !needle) {
      return { total: this.entries.length, flows: this.entries.slice(offset, offset + limit).map((e) => e.summary) };
    }
    const flows: FlowSummary[] = [];
    let total = 0;
    for (const { summary: s } of this.entries) {
      if (host && s.host.toLowerCase() !== host) continue;
      if (needle && !matches(s, needle)) continue;
      if (total >= offset && flows.length < limit) flows.push(s);
      total++;
    }
    return { total, flows };
  }
}

function matches(s: FlowSummary, needle: string): boolean {
  if (s.method.toLowerCase().includes(needle)) return true;
  if (s.host.toLowerCase().includes(needle)) return true;
  if (s.status !== undefined && String(s.status).includes(needle)) return true;
  return `${s.method} ${summaryUrl(s)} ${s.status ?? ''}`.toLowerCase().includes(needle);
}
