// One session on disk: sessions/<id>/journal.ndjson — an append-only NDJSON journal of flow records (the latest
// record of a flow wins) and events — plus its body file. Records are queued by the caller synchronously and
// written in batches by the store; the cost of a batch depends on the batch, never on the journal's length.
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding, Flow, Logger } from '../types/index.js';
import { BodyStore, type BodyRefs } from './body-store.js';
import { FlowIndex, type FlowRow } from './flow-index.js';
import { JournalCursor, readLine, readLineSync, scanJournal } from './journal-file.js';

export interface StoredEvent {
  type: string;
  time: number;
  [k: string]: unknown;
}

/** One journal line. */
export type JournalRecord =
  | { t: 'flow'; flow: Flow; findings: Finding[]; bodies?: BodyRefs }
  | { t: 'event'; event: StoredEvent };

interface PendingLine {
  /** The record as UTF-8: outside the V8 heap while it waits for the batch writer. */
  line: Buffer;
  row?: FlowRow;
}

export const JOURNAL_FILE = 'journal.ndjson';
export const BODIES_FILE = 'bodies.bin';

export class SessionJournal {
  readonly index: FlowIndex;
  readonly events: StoredEvent[] = [];
  readonly bodies: BodyStore;
  readonly journalPath: string;
  /** Bytes of the journal known to be good; the next batch is written here. */
  private end = 0;
  /** The file ends without a newline (a torn record): the next batch starts with one. */
  private needsNewline = false;
  /** A write failed part-way: cut whatever it left past `end` after the next good write. */
  private dirtyTail = false;
  private pending: PendingLine[] = [];
  private pendingBytes = 0;

  constructor(
    readonly id: string,
    readonly dir: string,
  ) {
    this.index = new FlowIndex(id);
    this.bodies = new BodyStore(join(dir, BODIES_FILE));
    this.journalPath = join(dir, JOURNAL_FILE);
  }

  /** Loads the journal into the index; unreadable lines are skipped with a warning. */
  async load(logger: Logger): Promise<void> {
    let lineNo = 0;
    const scan = await scanJournal(this.journalPath, (text, pos, len) => {
      lineNo++;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        logger.warn('store: skipped an unreadable journal line', { path: this.journalPath, line: lineNo, offset: pos });
        return;
      }
      if (!this.apply(record, pos, len)) {
        logger.warn('store: skipped an unknown journal record', { path: this.journalPath, line: lineNo, offset: pos });
      }
    });
    this.end = scan.size;
    if (scan.tail) {
      this.needsNewline = true;
      let record: unknown;
      try {
        record = JSON.parse(scan.tail.text);
      } catch {
        record = undefined;
      }
      const bytes = scan.size - scan.tail.pos;
      if (record !== undefined && this.apply(record, scan.tail.pos, bytes)) {
        logger.warn('store: the journal\'s last record had no newline (interrupted write); kept it', { path: this.journalPath });
      } else {
        logger.warn('store: skipped a torn last journal line (interrupted write)', {
          path: this.journalPath,
          offset: scan.tail.pos,
          bytes,
        });
      }
    }
    await this.bodies.load();
  }

  private apply(record: unknown, pos: number, len: number): boolean {
    if (typeof record !== 'object' || record === null) return false;
    const r = record as Partial<{ t: string; flow: Flow; findings: Finding[]; event: StoredEvent }>;
    if (r.t === 'flow' && typeof r.flow === 'object' && r.flow !== null && typeof r.flow.id === 'string') {
      const row = this.index.upsert(r.flow, Array.isArray(r.findings) ? r.findings : []);
      this.index.setPosition(row, pos, len);
      return true;
    }
    if (r.t === 'event' && typeof r.event === 'object' && r.event !== null) {
      this.events.push(r.event);
      return true;
    }
    return false;
  }

  /** Queues a flow record; returns its size in bytes (for batch accounting). */
  queueFlow(flow: Flow, findings: Finding[], bodies: BodyRefs | undefined): number {
    const record: JournalRecord = bodies ? { t: 'flow', flow, findings, bodies } : { t: 'flow', flow, findings };
    const line = Buffer.from(JSON.stringify(record));
    // The index copies what it keeps of the findings: whatever the caller does with its objects later.
    const row = this.index.upsert(flow, findings);
    this.index.setPending(row, line);
    this.pending.push({ line, row });
    this.pendingBytes += line.length;
    return line.length;
  }

  queueEvent(event: StoredEvent): number {
    const text = JSON.stringify({ t: 'event', event } satisfies JournalRecord);
    this.events.push(JSON.parse(text).event as StoredEvent);
    const line = Buffer.from(text);
    this.pending.push({ line });
    this.pendingBytes += line.length;
    return line.length;
  }

  hasPending(): boolean {
    return this.pending.length > 0 || this.bodies.hasPending();
  }

  get queuedBytes(): number {
    return this.pendingBytes + this.bodies.queuedBytes;
  }

  /** Writes bodies first, then the journal lines that refer to them. Throws (keeping everything queued) on failure. */
  async write(): Promise<void> {
    if (!this.hasPending()) return;
    // Lines are taken first: every body they refer to was queued before them, so it is in the body write below.
    const batch = this.pending;
    this.pending = [];
    try {
      await mkdir(this.dir, { recursive: true });
      await this.bodies.writePending();
    } catch (err) {
      this.pending = batch.concat(this.pending);
      throw err;
    }
    if (batch.length === 0) return;
    const lengths = batch.map((p) => p.line.length);
    const lead = this.needsNewline ? 1 : 0;
    const bytes = Buffer.allocUnsafe(lead + lengths.reduce((n, len) => n + len + 1, 0));
    let at = 0;
    if (lead) bytes[at++] = 0x0a;
    for (let i = 0; i < batch.length; i++) {
      at += batch[i]!.line.copy(bytes, at);
      bytes[at++] = 0x0a;
    }
    try {
      const fh = await open(this.journalPath, constants.O_WRONLY | constants.O_CREAT, 0o644);
      try {
        // Positional, at the known good end: a retry overwrites whatever a failed attempt left.
        const { bytesWritten } = await fh.write(bytes, 0, bytes.length, this.end);
        if (bytesWritten !== bytes.length) {
          throw new Error(`short write to ${this.journalPath} (${bytesWritten} of ${bytes.length} bytes)`);
        }
        if (this.dirtyTail) await fh.truncate(this.end + bytes.length);
      } finally {
        await fh.close();
      }
    } catch (err) {
      this.dirtyTail = true;
      this.pending = batch.concat(this.pending);
      throw err;
    }
    let pos = this.end + (this.needsNewline ? 1 : 0);
    for (let i = 0; i < batch.length; i++) {
      const { line, row } = batch[i]!;
      const len = lengths[i]!;
      if (row !== undefined) this.index.written(row, line, pos, len);
      pos += len + 1;
      this.pendingBytes -= line.length;
    }
    this.end += bytes.length;
    this.needsNewline = false;
    this.dirtyTail = false;
  }

  /** The latest full record of a flow: from the queue, or one positional read of the journal. */
  readRecordSync(row: FlowRow): { flow: Flow; findings: Finding[]; bodies: BodyRefs | undefined } {
    const pending = this.index.pendingLine(row);
    if (pending !== undefined) return parseFlowRecord(pending);
    const at = this.positionOf(row);
    return parseFlowRecord(readLineSync(this.journalPath, at.pos, at.len));
  }

  async readRecord(row: FlowRow): Promise<{ flow: Flow; findings: Finding[]; bodies: BodyRefs | undefined }> {
    const pending = this.index.pendingLine(row);
    if (pending !== undefined) return parseFlowRecord(pending);
    const at = this.positionOf(row);
    return parseFlowRecord(await readLine(this.journalPath, at.pos, at.len));
  }

  private positionOf(row: FlowRow): { pos: number; len: number } {
    const at = this.index.positionOf(row);
    if (!at) throw new Error(`flow ${this.index.idOf(row)} has no record in ${this.journalPath}`);
    return at;
  }

  /** Every flow's latest record, in the order the flows first appeared, through one read window. */
  async *iterate(): AsyncGenerator<{ flow: Flow; findings: Finding[] }> {
    const rows = this.index.size;
    const cursor = new JournalCursor(this.journalPath);
    try {
      for (let row = 0; row < rows; row++) {
        const at = this.index.positionOf(row);
        const line = this.index.pendingLine(row) ?? (at ? await cursor.read(at.pos, at.len, this.end) : undefined);
        if (line === undefined) continue;
        const { flow, findings } = parseFlowRecord(line);
        yield { flow, findings };
      }
    } finally {
      await cursor.close();
    }
  }
}

function parseFlowRecord(line: string): { flow: Flow; findings: Finding[]; bodies: BodyRefs | undefined } {
  const record = JSON.parse(line) as { flow: Flow; findings?: Finding[]; bodies?: BodyRefs };
  return { flow: record.flow, findings: record.findings ?? [], bodies: record.bodies };
}
