// A capped copy of one direction's body, taken chunk by chunk as it streams past (synchronous: never delays or
// reorders the forwarded bytes). Beyond the cap only the size is counted and the copy is marked truncated.
//
// The copy is one contiguous buffer from the pool, sized from Content-Length when the message announces one and
// grown by doubling otherwise. Holding the stream's own chunks instead would keep tens of 16 KiB buffers per flow
// alive until the flow ends, and freeing them then takes full collections.
import type { CaptureBufferPool } from './capture-buffer-pool.js';

const MAX_UPFRONT_BYTES = 1024 * 1024;

export class BodyCapture {
  private buffer: Buffer | undefined;
  private capturedBytes = 0;
  private totalBytes = 0;
  /** Handed on (bytes() taken): late chunks of an aborted exchange must not write into a buffer given back. */
  private sealed = false;

  constructor(
    private readonly maxBytes: number,
    private readonly pool: CaptureBufferPool,
  ) {}

  /**
   * The announced length (Content-Length), when known: the copy is taken once at its final size. At most 1 MiB is
   * taken on an announcement alone (a phone may announce 10 GB and send nothing); past that it grows with the bytes.
   */
  expect(length: number): void {
    if (this.sealed || this.buffer || !Number.isSafeInteger(length) || length <= 0 || this.maxBytes <= 0) return;
    this.buffer = this.pool.take(Math.min(length, this.maxBytes, MAX_UPFRONT_BYTES));
  }

  add(chunk: Buffer | string): void {
    if (this.sealed) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.totalBytes += bytes.length;
    const room = this.maxBytes - this.capturedBytes;
    if (room <= 0 || bytes.length === 0) return;
    const take = Math.min(room, bytes.length);
    this.reserve(this.capturedBytes + take);
    bytes.copy(this.buffer!, this.capturedBytes, 0, take);
    this.capturedBytes += take;
  }

  get size(): number {
    return this.totalBytes;
  }

  get captured(): number {
    return this.capturedBytes;
  }

  get truncated(): boolean {
    return this.totalBytes > this.capturedBytes;
  }

  /** The captured bytes: a view of the pooled copy, valid until release(). Ends the capture. */
  bytes(): Buffer {
    this.sealed = true;
    return this.buffer ? this.buffer.subarray(0, this.capturedBytes) : EMPTY;
  }

  /** Returns the copy to the pool: nothing may read bytes() afterwards. */
  release(): void {
    this.sealed = true;
    if (this.buffer) this.pool.give(this.buffer);
    this.buffer = undefined;
  }

  private reserve(needed: number): void {
    const have = this.buffer?.length ?? 0;
    if (needed <= have) return;
    const grown = this.pool.take(Math.min(this.maxBytes, Math.max(needed, have * 2)));
    if (this.buffer) {
      this.buffer.copy(grown, 0, 0, this.capturedBytes);
      this.pool.give(this.buffer);
    }
    this.buffer = grown;
  }
}

const EMPTY = Buffer.alloc(0);
