// The decoded layers of a request as the engine sees them, for people: every value with where it sits and the
// chain undone to reach it (gzip → JSON → base64 …), so a tester can follow what detection followed.
import type { DetectionInput } from '../types/detection.js';
import { requestLeaves } from './request-leaves.js';

export interface DecodedLayer {
  where: string;
  encodings: string[];
  /** The decoded text (cut at `maxChars`). */
  text: string;
  truncated: boolean;
}

/** Values reached through at least one layer of encoding (plain values are visible in the request itself). */
export function decodedLayers(input: DetectionInput, maxLayers = 500, maxChars = 2_000): DecodedLayer[] {
  const layers: DecodedLayer[] = [];
  for (const leaf of requestLeaves(input).leaves) {
    if (leaf.container || leaf.encodings.length === 0 || leaf.text.trim() === '') continue;
    layers.push({ where: leaf.where, encodings: leaf.encodings, text: leaf.text.slice(0, maxChars), truncated: leaf.text.length > maxChars });
    if (layers.length >= maxLayers) break;
  }
  return layers;
}
