// Runs a compiled profile's automaton over all of a flow's leaves in one pass (the leaves are joined with NUL
// separators and lower-cased), checks each hit's boundaries, and turns hits into high-confidence findings.
import type { DetectedFinding } from '../types/finding.js';
import type { Leaf } from './leaf.js';
import type { CompiledProfile, PatternData } from './profile-compile.js';
import { uescape, type Edge } from './profile-variants.js';
import { candidateWindows } from './qgram-prefilter.js';

export interface ScanText {
  /** Lower-cased leaf texts joined by '\0'. */
  joined: string;
  /** Start offset of each leaf in `joined`. */
  starts: number[];
  leaves: Leaf[];
  /** Leaves whose non-ASCII text was \u-escaped for the scan (offsets differ from the leaf's text). */
  escaped: boolean[];
}

/** Lower-cases ASCII letters only when full lower-casing would change the text's length (offsets must hold). */
function lowerSameLength(s: string): string {
  const l = s.toLowerCase();
  return l.length === s.length ? l : s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export function buildScanText(allLeaves: Leaf[]): ScanText {
  const parts: string[] = [];
  const starts: number[] = [];
  const leaves = allLeaves.filter((l) => !l.container);
  const escaped: boolean[] = [];
  let pos = 0;
  for (const leaf of leaves) {
    starts.push(pos);
    let low = lowerSameLength(leaf.text);
    const esc = /[\u0080-\uffff]/.test(low);
    if (esc) low = uescape(low);
    escaped.push(esc);
    parts.push(low);
    pos += low.length + 1;
  }
  return { joined: parts.join('\0'), starts, leaves, escaped };
}

function leafAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function edgeOk(edge: Edge, code: number): boolean {
  if (edge === 0 || Number.isNaN(code)) return true;
  const digit = code >= 48 && code <= 57;
  if (edge === 1) return !digit;
  const hexLetter = code >= 97 && code <= 102;
  if (edge === 3) return !digit && !hexLetter;
  const letter = code >= 97 && code <= 122;
  if (edge === 2) return !digit && !letter;
  // 4: no base64 character
  return !digit && !letter && code !== 43 && code !== 47 && code !== 95 && code !== 45;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** True when an escaped CJK character (\u3400–\u9fff) starts at `at` in the scan text. */
function escapedCjkAt(joined: string, at: number): boolean {
  if (at < 0 || joined.charCodeAt(at) !== 92 || joined.charCodeAt(at + 1) !== 117) return false;
  const cp = parseInt(joined.slice(at + 2, at + 6), 16);
  return cp >= 0x3400 && cp <= 0x9fff;
}

/** True when the text before `start` ends a \uXXXX escape (an escaped non-ASCII character is a boundary). */
function afterEscape(joined: string, start: number): boolean {
  return start >= 6 && joined.charCodeAt(start - 6) === 92 && joined.charCodeAt(start - 5) === 117 && /^[0-9a-f]{4}$/.test(joined.slice(start - 4, start));
}

function locationOk(d: PatternData, joined: string, start: number, end: number): boolean {
  const before = joined.charCodeAt(start - 1);
  if (isDigit(before) || before === 46 /* . */ || before === 45 /* - */) return false;
  if (d.location!.scale === 0) return !(d.location!.exact && isDigit(joined.charCodeAt(end)));
  let n = 0;
  while (isDigit(joined.charCodeAt(end + n))) n++;
  return n === 3 || n === 4;
}

/** A profile finding, and whether it was seen as base64 inside an undecoded blob (a fallback to decoding). */
export interface ProfileHit {
  finding: DetectedFinding;
  inBlob: boolean;
  /** Length of the matched spelling: a longer one ("+86-132-9375-7218") explains the text better than a part of it. */
  length: number;
}

export function matchProfile(cp: CompiledProfile, scan: ScanText): ProfileHit[] {
  if (!cp.automaton || scan.leaves.length === 0) return [];
  const out: ProfileHit[] = [];
  const lat = new Map<number, { where: string; encodings: string[] }>();
  const lon = new Map<number, { where: string; encodings: string[] }>();
  const { joined } = scan;
  const hits: { start: number; end: number; data: PatternData | undefined }[] = [];
  for (const [ws, we] of candidateWindows(joined, cp.prefilter)) {
    for (const m of cp.automaton.search(joined.slice(ws, we))) hits.push({ start: m.start + ws, end: m.end + ws, data: m.data });
  }
  for (const m of hits) {
    const d = m.data;
    if (!d) continue;
    const li = leafAt(scan.starts, m.start);
    const leaf = scan.leaves[li]!;
    if (d.location) {
      if (!locationOk(d, joined, m.start, m.end)) continue;
      const map = d.location.axis === 'lat' ? lat : lon;
      if (!map.has(d.location.index)) map.set(d.location.index, { where: leaf.where, encodings: leaf.encodings });
      continue;
    }
    if (d.left === 5 || d.right === 5) {
      if (escapedCjkAt(joined, m.start - 6) || escapedCjkAt(joined, m.end)) continue;
    } else {
      if (!edgeOk(d.left, joined.charCodeAt(m.start - 1)) && !afterEscape(joined, m.start)) continue;
      if (!edgeOk(d.right, joined.charCodeAt(m.end))) continue;
    }
    const target = cp.targets[d.target];
    if (!target) continue;
    const escaped = scan.escaped[li] === true;
    // In an escaped leaf, the uescape spelling is how the scan wrote plain text: not a layer of the request.
    const variantEncodings = escaped && d.encodings[0] === 'uescape' ? d.encodings.slice(1) : d.encodings;
    const encodings = [...leaf.encodings, ...variantEncodings];
    if (d.hexDigest && !escaped) {
      const original = leaf.text.slice(m.start - scan.starts[li]!, m.end - scan.starts[li]!);
      if (/[A-F]/.test(original) && !/[a-f]/.test(original)) encodings[encodings.length - 1] += '-upper';
    }
    const finding: DetectedFinding = {
      kind: target.kind,
      value: target.value,
      where: leaf.where,
      encodings,
      confidence: 'high',
      source: 'profile',
      explanation: `profile ${target.label ? `custom "${target.label}"` : target.field} value${d.encodings.length ? ` as ${d.encodings.join(' of ')}` : ''}`,
      label: target.label ?? cp.name,
    };
    out.push({ finding, inBlob: d.encodings[0] === 'base64' || d.encodings[0] === 'base64url', length: m.end - m.start });
  }
  for (const [index, a] of lat) {
    if (!lon.has(index)) continue;
    const l = cp.locations[index]!;
    const finding: DetectedFinding = {
      kind: 'location',
      value: l.value,
      where: a.where,
      encodings: a.encodings,
      confidence: 'high',
      source: 'profile',
      explanation: 'profile location: latitude and longitude both sent (≥ 3 decimals or E6)',
      label: cp.name,
    };
    out.push({ finding, inBlob: false, length: 0 });
  }
  return out;
}
