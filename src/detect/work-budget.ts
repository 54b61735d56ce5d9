// A per-flow work budget: every decoder charges the bytes it reads or produces, so a hostile body
// (deep nesting, base64 or gzip bombs) stops the expansion early instead of stalling the proxy.

export const MAX_DEPTH = 4;

export class WorkBudget {
  private remaining: number;
  private leaves: number;
  exhausted = false;
  /** Speculative decompressions left (raw deflate / brotli have no magic number; each try costs ~60 µs). */
  guesses = 6;

  constructor(bytes = 2_000_000, maxLeaves = 20_000) {
    this.remaining = bytes;
    this.leaves = maxLeaves;
  }

  /** Charges `n` units of work; false (and exhausted from then on) when the budget is spent. */
  charge(n: number): boolean {
    this.remaining -= n;
    if (this.remaining < 0) this.exhausted = true;
    return !this.exhausted;
  }

  /** Charges one leaf; false when too many leaves were produced. */
  takeLeaf(): boolean {
    this.leaves -= 1;
    if (this.leaves < 0) this.exhausted = true;
    return !this.exhausted;
  }

  /** How many output bytes a decompressor may still produce. */
  get bytesLeft(): number {
    return Math.max(0, this.remaining);
  }
}
