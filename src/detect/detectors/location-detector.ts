// Location: "lat,lon" under a location key, or a latitude and a longitude under lat/lon keys of the same object
// (see pairLocations). Both in range with at least 3 decimals; prices and version strings have no such keys.
import { LATLON_KEYS, LAT_KEYS, LON_KEYS } from './context-keys.js';
import { explainWith, keyIn, normKey, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

const COORD = /^-?\d{1,3}\.\d{3,}$/;

export function coordinate(text: string, max: number): number | undefined {
  const v = text.trim();
  if (!COORD.test(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && Math.abs(n) <= max && n !== 0 ? n : undefined;
}

export class LocationDetector implements PatternDetector {
  readonly kind = 'location' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    if (!keyIn(ctx.key, LATLON_KEYS)) return undefined;
    const parts = value.trim().split(/\s*[,;| ]\s*/);
    if (parts.length !== 2) return undefined;
    const a = coordinate(parts[0]!, 180);
    const b = coordinate(parts[1]!, 180);
    if (a === undefined || b === undefined) return undefined;
    if (Math.abs(a) > 90 && Math.abs(b) > 90) return undefined;
    const [lat, lon] = Math.abs(a) > 90 ? [b, a] : [a, b];
    return { kind: this.kind, value: `${lat},${lon}`, confidence: 'medium' };
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('location', m, ctx, 'coordinate pair');
  }
}

export interface CoordinateLeaf {
  key: string;
  where: string;
  text: string;
  encodings: string[];
}

/** Pairs latitude and longitude leaves of the same parent (same `where` prefix) into location matches. */
export function pairLocations(leaves: CoordinateLeaf[]): { value: string; where: string; encodings: string[] }[] {
  const parent = (where: string): string => where.replace(/[.:][^.:]*$/, '');
  const lats = new Map<string, { n: number; leaf: CoordinateLeaf }>();
  const out: { value: string; where: string; encodings: string[] }[] = [];
  for (const l of leaves) {
    if (!LAT_KEYS.has(normKey(l.key))) continue;
    const n = coordinate(l.text, 90);
    if (n !== undefined) lats.set(parent(l.where), { n, leaf: l });
  }
  if (lats.size === 0) return out;
  for (const l of leaves) {
    if (!LON_KEYS.has(normKey(l.key))) continue;
    const n = coordinate(l.text, 180);
    const lat = n === undefined ? undefined : lats.get(parent(l.where));
    if (lat) out.push({ value: `${lat.n},${n}`, where: lat.leaf.where, encodings: lat.leaf.encodings });
  }
  return out;
}
