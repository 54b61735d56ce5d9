// Body bytes of one session: ONE append-only blob file (sessions/<id>/bodies.bin), each body referenced by
// [offset, length] from its flow's journal record. Offsets are handed out when a body is queued; writes are
// positional, so a batch that failed is simply written again at the same place.
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** [offset, length] in bodies.bin. */
export type BodyRef = [offset: number, length: number];

export interface BodyRefs {
  request?: BodyRef;
  response?: BodyRef;
  requestDecoded?: BodyRef;
  responseDecoded?: BodyRef;
}

interface PendingBody {
  offset: number;
  bytes: Buffer;
  /** Called once the bytes are on disk (the owner may then reuse the buffer). */
  written?: () => void;
}

export class BodyStore {
  /** Where the next queued body goes. */
  private next = 0;
  private pending: PendingBody[] = [];
  /** Queued bodies by offset, readable until they are on disk. */
  private readonly unwritten = new Map<number, Buffer>();
  private pendingBytes = 0;

  constructor(readonly path: string) {}

  /** Picks up after what is on disk (bytes past the last referenced body are harmless leftovers of a crash). */
  async load(): Promise<void> {
    try {
      this.next = (await stat(this.path)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.next = 0;
    }
  }

  get queuedBytes(): number {
    return this.pendingBytes;
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  /**
   * Queues a copy-free reference to the bytes: the caller must not change them until `written` is called (once they
   * are on disk; never, if they never get there).
   */
  enqueue(bytes: Buffer, written?: () => void): BodyRef {
    const ref: BodyRef = [this.next, bytes.length];
    this.pending.push(written ? { offset: this.next, bytes, written } : { offset: this.next, bytes });
    this.unwritten.set(this.next, bytes);
    this.next += bytes.length;
    this.pendingBytes += bytes.length;
    return ref;
  }

  /** Writes everything queued so far; on failure the bodies stay queued for the next attempt. */
  async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      const fh = await open(this.path, constants.O_WRONLY | constants.O_CREAT, 0o644);
      try {
        const buffers = batch.map((b) => b.bytes);
        const total = buffers.reduce((n, b) => n + b.length, 0);
        // Queued bodies are contiguous: one positional write from the first offset.
        const { bytesWritten } = await fh.writev(buffers, batch[0]!.offset);
        if (bytesWritten !== total) throw new Error(`short write to ${this.path} (${bytesWritten} of ${total} bytes)`);
      } finally {
        await fh.close();
      }
    } catch (err) {
      this.pending = batch.concat(this.pending);
      throw err;
    }
    for (const body of batch) {
      this.unwritten.delete(body.offset);
      this.pendingBytes -= body.bytes.length;
    }
    for (const body of batch) body.written?.();
  }

  async read(ref: BodyRef): Promise<Buffer> {
    const [offset, length] = ref;
    const queued = this.unwritten.get(offset);
    if (queued && queued.length === length) return Buffer.from(queued);
    if (length === 0) return Buffer.alloc(0);
    const fh = await open(this.path, 'r');
    try {
      const bytes = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(bytes, done, length - done, offset + done);
        if (bytesRead === 0) throw new Error(`${this.path} ends before byte ${offset + length}`);
        done += bytesRead;
      }
      return bytes;
    } finally {
      await fh.close();
    }
  }
}
