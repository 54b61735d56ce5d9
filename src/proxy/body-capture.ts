// A capped copy of one direction's body, taken chunk by chunk as it streams past (synchronous: never delays or
// reorders the forwarded bytes). Beyond the cap only the size is counted and the copy is marked truncated.

export class BodyCapture {
  private readonly chunks: Buffer[] = [];
  private capturedBytes = 0;
  private totalBytes = 0;

  constructor(private readonly maxBytes: number) {}

  add(chunk: Buffer | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.totalBytes += buffer.length;
    const room = this.maxBytes - this.capturedBytes;
    if (room <= 0) return;
    // Copy: the stream may reuse its buffers after the write returns.
    const kept = buffer.length <= room ? Buffer.from(buffer) : Buffer.from(buffer.subarray(0, room));
    this.chunks.push(kept);
    this.capturedBytes += kept.length;
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

  bytes(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.capturedBytes);
  }
}
