// Small integer codes for strings that repeat across flows (hosts, devices, methods, finding-kind lists): a column
// of codes costs 4 bytes a row, where a string per row costs a pointer and often a copy.

export class StringCodes {
  private readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      // A flat copy: a slice of a longer string (e.g. a header value) would keep the whole parent alive.
      const own = value.length < 13 ? value : Buffer.from(value, 'utf8').toString('utf8');
      this.values.push(own);
      this.codes.set(own, code);
    }
    return code;
  }

  /** The code of a value already seen, or undefined. */
  find(value: string): number | undefined {
    return this.codes.get(value);
  }

  value(code: number): string {
    return this.values[code]!;
  }

  get size(): number {
    return this.values.length;
  }
}
