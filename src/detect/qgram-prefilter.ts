// A q-gram prefilter in front of the Aho-Corasick automaton. modern-ahocorasick walks every character through
// a generator (about 15–20 MB/s in Node 20), so scanning whole bodies with it misses the 50 MB/s target. The
// prefilter hashes the text's 4- and 8-character windows into two bitsets holding the first 4 characters of the
// short patterns (4–7 characters) and the first 8 of the others; only the windows that can start a pattern are
// handed to the automaton. It never decides a match: it only skips text where no pattern can start.

const BITS = 22;
const MASK = (1 << BITS) - 1;
/** Shortest pattern length the filter accepts. */
export const QGRAM = 4;
const LONG = 8;

export interface QgramFilter {
  short: Uint32Array;
  long: Uint32Array;
  hasShort: boolean;
  /** Longest pattern, in UTF-16 units: a candidate window spans this many characters. */
  maxLength: number;
}

/** Hash of the 4 characters ending at `end` (7 bits each, as the scan loop rolls it). */
function gram4(s: string, end: number): number {
  let h = 0;
  for (let i = end - 3; i <= end; i++) h = ((h << 7) | (s.charCodeAt(i) & 0x7f)) & 0x0fffffff;
  return h;
}
const slot4 = (h: number): number => (Math.imul(h, 0x9e3779b1) >>> (32 - BITS)) & MASK;
const slot8 = (older: number, newer: number): number => (Math.imul(older ^ Math.imul(newer, 0x85ebca6b), 0x9e3779b1) >>> (32 - BITS)) & MASK;
const set = (bits: Uint32Array, s: number): void => {
  bits[s >>> 5]! |= 1 << (s & 31);
};

/** Builds the filter; every pattern must be at least QGRAM characters long. */
export function buildQgramFilter(patterns: string[]): QgramFilter {
  const f: QgramFilter = { short: new Uint32Array((MASK + 1) >>> 5), long: new Uint32Array((MASK + 1) >>> 5), hasShort: false, maxLength: 0 };
  for (const p of patterns) {
    if (p.length < QGRAM) throw new RangeError(`pattern shorter than ${QGRAM} characters: ${JSON.stringify(p)}`);
    if (p.length < LONG) {
      set(f.short, slot4(gram4(p, 3)));
      f.hasShort = true;
    } else set(f.long, slot8(gram4(p, 3), gram4(p, 7)));
    if (p.length > f.maxLength) f.maxLength = p.length;
  }
  return f;
}

/** Half-open [start, end) windows of `text` that may hold a pattern, merged and in order. */
export function candidateWindows(text: string, f: QgramFilter): [number, number][] {
  const out: [number, number][] = [];
  const n = text.length;
  const { short, long, hasShort, maxLength } = f;
  // Reading bytes from a Latin-1 copy is faster than charCodeAt on a long string (the scan text is ASCII).
  const bytes = Buffer.from(text, 'latin1');
  // lo: the 4 characters ending at i; hi: the 4 before them (7 bits each, rolling, no allocation).
  let lo = 0;
  let hi = 0;
  let curStart = -1;
  let curEnd = -1;
  for (let i = 0; i < n; i++) {
    hi = ((hi << 7) | (lo >>> 21)) & 0x0fffffff;
    lo = ((lo << 7) | (bytes[i]! & 0x7f)) & 0x0fffffff;
    if (i < QGRAM - 1) continue;
    let start = -1;
    let end = 0;
    if (i >= LONG - 1) {
      const s = (Math.imul(hi ^ Math.imul(lo, 0x85ebca6b), 0x9e3779b1) >>> (32 - BITS)) & MASK;
      if ((long[s >>> 5]! & (1 << (s & 31))) !== 0) {
        start = i - (LONG - 1);
        end = start + maxLength;
      }
    }
    if (hasShort && start < 0) {
      const s = (Math.imul(lo, 0x9e3779b1) >>> (32 - BITS)) & MASK;
      if ((short[s >>> 5]! & (1 << (s & 31))) !== 0) {
        start = i - (QGRAM - 1);
        end = start + LONG - 1; // short patterns are under 8 characters
      }
    }
    if (start < 0) continue;
    if (end > n) end = n;
    if (start <= curEnd) {
      if (end > curEnd) curEnd = end;
    } else {
      if (curStart >= 0) out.push([curStart, curEnd]);
      curStart = start;
      curEnd = end;
    }
  }
  if (curStart >= 0) out.push([curStart, curEnd]);
  return out;
}
