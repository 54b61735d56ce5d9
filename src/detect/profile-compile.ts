// A compiled profile: every value's spellings and variants in one Aho-Corasick automaton, built once per profile
// and reused for every flow.
import AhoCorasick from 'modern-ahocorasick';
import type { DeviceProfile } from '../types/profile.js';
import { defaultRegion, profileTargets, type LocationTarget, type Target } from './profile-targets.js';
import { digestVariants, textVariants, type Edge } from './profile-variants.js';
import { buildQgramFilter, QGRAM, type QgramFilter } from './qgram-prefilter.js';

export interface LocationPattern {
  index: number;
  axis: 'lat' | 'lon';
  /** 0: decimal degrees (≥ 3 decimals); 6 or 7: integer E6/E7. */
  scale: 0 | 6 | 7;
  /** A value rounded (not cut) to exactly 3 decimals: no further digit may follow. */
  exact?: boolean;
}

export interface PatternData {
  /** Index into `targets`, or -1 for a location coordinate. */
  target: number;
  encodings: string[];
  left: Edge;
  right: Edge;
  hexDigest?: boolean;
  location?: LocationPattern;
}

export interface CompiledProfile {
  profile: DeviceProfile;
  name: string;
  /** Client addresses the profile applies to; empty = every device. */
  devices: string[];
  targets: Target[];
  locations: LocationTarget[];
  patternCount: number;
  /** Region of national phone numbers (the phone's own number, else the IMSI's country). */
  region?: string;
  automaton: AhoCorasick<PatternData> | undefined;
  /** Skips text where no pattern can start (see qgram-prefilter.ts). */
  prefilter: QgramFilter;
}

/** Truncates a coordinate to 3 decimals as text, e.g. 116.2874 → "116.287", -33.86889 → "-33.868". */
export function coordinateCell(x: number): string {
  const s = x.toFixed(6);
  return s.slice(0, s.indexOf('.') + 4);
}

export function compileProfile(profile: DeviceProfile): CompiledProfile {
  const { targets, locations } = profileTargets(profile);
  const seen = new Set<string>();
  const patterns: { pattern: string; data: PatternData }[] = [];
  const add = (pattern: string, data: PatternData): void => {
    const key = `${data.target}|${data.location?.index ?? ''}|${data.location?.axis ?? ''}|${pattern}`;
    // The matcher scans ASCII text (non-ASCII is \u-escaped), so non-ASCII spellings live in their uescape variant.
    if (pattern.length < QGRAM || /[\u0080-\uffff]/.test(pattern) || seen.has(key)) return;
    seen.add(key);
    patterns.push({ pattern, data });
  };
  targets.forEach((t, i) => {
    for (const form of t.forms) {
      for (const v of textVariants(form, t.freeText, t.chunked)) {
        const cjkEdge = t.cjkWord && v.encodings[0] === 'uescape';
        add(v.pattern, { target: i, encodings: v.encodings, left: cjkEdge ? 5 : v.left, right: cjkEdge ? 5 : v.right });
      }
    }
    for (const form of t.hashForms) {
      if ([...form].length < 4) continue;
      for (const v of digestVariants(form)) add(v.pattern, { target: i, encodings: v.encodings, left: v.left, right: v.right, hexDigest: v.hexDigest });
    }
  });
  locations.forEach((l, index) => {
    for (const axis of ['lat', 'lon'] as const) {
      const cell = coordinateCell(axis === 'lat' ? l.lat : l.lon);
      add(cell, { target: -1, encodings: [], left: 0, right: 0, location: { index, axis, scale: 0 } });
      const rounded = (axis === 'lat' ? l.lat : l.lon).toFixed(3);
      if (rounded !== cell) add(rounded, { target: -1, encodings: [], left: 0, right: 0, location: { index, axis, scale: 0, exact: true } });
      const intDigits = cell.replace('.', '');
      add(intDigits, { target: -1, encodings: [], left: 0, right: 0, location: { index, axis, scale: 6 } });
    }
  });
  return {
    profile,
    name: profile.name ?? 'profile',
    devices: profile.devices ?? [],
    targets,
    locations,
    patternCount: patterns.length,
    region: defaultRegion(profile),
    automaton: patterns.length > 0 ? new AhoCorasick<PatternData>(patterns) : undefined,
    prefilter: buildQgramFilter(patterns.map((p) => p.pattern)),
  };
}
