// Reading an NDJSON journal by byte position: the whole file line by line (at open), one record (getFlow), or
// records in ascending order through a read window (iterating 100k flows without 100k separate reads).
import { closeSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

const CHUNK = 1 << 20;

export interface JournalScan {
  /** File size in bytes (0 when there is no file yet). */
  size: number;
  /** Bytes after the last newline: a record cut by a crash, or a complete one whose newline never made it. */
  tail?: { pos: number; text: string };
}

/** Calls onLine for every newline-terminated, non-empty line with its byte position and length. */
export async function scanJournal(path: string, onLine: (text: string, pos: number, len: number) => void): Promise<JournalScan> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { size: 0 };
    throw err;
  }
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    let carry = Buffer.alloc(0);
    let carryPos = 0;
    let filePos = 0;
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, CHUNK, filePos);
      if (bytesRead === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (;;) {
        const nl = data.indexOf(10, start);
        if (nl < 0) break;
        if (nl > start) onLine(data.toString('utf8', start, nl), carryPos + start, nl - start);
        start = nl + 1;
      }
      carryPos += start;
      carry = Buffer.from(data.subarray(start));
      filePos += bytesRead;
    }
    const scan: JournalScan = { size: filePos };
    if (carry.length > 0) scan.tail = { pos: carryPos, text: carry.toString('utf8') };
    return scan;
  } finally {
    await fh.close();
  }
}

/** One record, without blocking. */
export async function readLine(path: string, pos: number, len: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(len);
    let done = 0;
    while (done < len) {
      const { bytesRead } = await fh.read(bytes, done, len - done, pos + done);
      if (bytesRead === 0) throw new Error(`${path} ends before byte ${pos + len}`);
      done += bytesRead;
    }
    return bytes.toString('utf8');
  } finally {
    await fh.close();
  }
}

/** One record, synchronously (a single small positional read). */
export function readLineSync(path: string, pos: number, len: number): string {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(len);
    let done = 0;
    while (done < len) {
      const n = readSync(fd, bytes, done, len - done, pos + done);
      if (n === 0) throw new Error(`${path} ends before byte ${pos + len}`);
      done += n;
    }
    return bytes.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Reads records mostly in ascending position through a 1 MiB window. */
export class JournalCursor {
  private fh: FileHandle | undefined;
  private window = Buffer.alloc(0);
  private windowPos = 0;

  constructor(private readonly path: string) {}

  /** `goodEnd`: where the journal's written records end now; bytes past it are not kept in the window. */
  async read(pos: number, len: number, goodEnd: number): Promise<string> {
    if (pos < this.windowPos || pos + len > this.windowPos + this.window.length) {
      this.fh ??= await open(this.path, 'r');
      const bytes = Buffer.allocUnsafe(Math.max(CHUNK, len));
      const { bytesRead } = await this.fh.read(bytes, 0, bytes.length, pos);
      if (bytesRead < len) throw new Error(`${this.path} ends before byte ${pos + len}`);
      this.window = bytes.subarray(0, Math.max(len, Math.min(bytesRead, goodEnd - pos)));
      this.windowPos = pos;
    }
    const at = pos - this.windowPos;
    return this.window.toString('utf8', at, at + len);
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
  }
}
