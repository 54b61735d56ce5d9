// The detection engine: one flow's request → findings. Pure and synchronous; the work per flow is bounded by the
// decoders' depth limit and a work budget. Responses are context only and never produce findings.
import type { DetectionInput } from '../types/detection.js';
import type { DetectedFinding } from '../types/finding.js';
import type { CompiledProfile } from './profile-compile.js';
import { requestLeaves } from './request-leaves.js';
import { buildScanText, matchProfile, type ProfileHit } from './profile-matcher.js';
import { ANY_IDENTIFYING_KEY, PATTERN_DETECTORS, hintShape, keyIn, pairLocations } from './detectors/index.js';
import { WorkBudget } from './work-budget.js';

/** Leaves longer than this are not whole identifiers: the pattern tier skips them. */
const MAX_PATTERN_LEAF = 256;

const norm = (v: string): string => v.toLowerCase().replace(/[^0-9a-z\u0080-\uffff]/g, '');

function deviceMatches(p: CompiledProfile, device: string | undefined): boolean {
  if (p.devices.length === 0) return true;
  if (!device) return false;
  const d = device.replace(/^::ffff:/i, '');
  return p.devices.some((x) => x.replace(/^::ffff:/i, '') === d);
}

/** The profiles that apply to a flow's device (a profile without `devices` applies to every device). */
export function profilesFor(profiles: CompiledProfile[], device: string | undefined): CompiledProfile[] {
  return profiles.filter((p) => deviceMatches(p, device));
}

export function detectFindings(input: DetectionInput, profiles: CompiledProfile[], budget = new WorkBudget()): DetectedFinding[] {
  const applicable = profilesFor(profiles, input.device);
  const { leaves } = requestLeaves(input, budget);

  // Profile tier: one finding per (kind, value): the one found in decoded text rather than inside an undecoded
  // base64 blob, then the longest spelling matched, then the one found through the fewest layers.
  const best = new Map<string, ProfileHit>();
  if (applicable.length > 0) {
    const scan = buildScanText(leaves);
    for (const cp of applicable) {
      for (const h of matchProfile(cp, scan)) {
        const key = `${h.finding.kind}|${h.finding.value}`;
        const prev = best.get(key);
        const better =
          !prev ||
          (prev.inBlob && !h.inBlob) ||
          (prev.inBlob === h.inBlob && (h.length > prev.length || (h.length === prev.length && h.finding.encodings.length < prev.finding.encodings.length)));
        if (better) best.set(key, h);
      }
    }
  }
  const profileFindings = [...best.values()].map((h) => h.finding);
  const known = new Set(profileFindings.map((f) => norm(f.value)));
  const knownWhere = new Set(profileFindings.map((f) => `${f.kind}|${f.where}`));

  // Pattern tier: identifiers not in a profile.
  const region = applicable.find((p) => p.region)?.region;
  const patternFindings = new Map<string, DetectedFinding>();
  const addPattern = (f: DetectedFinding): void => {
    const n = norm(f.value);
    if (known.has(n) || knownWhere.has(`${f.kind}|${f.where}`)) return;
    for (const k of known) if (n.length >= 7 && k.length >= 7 && (k.endsWith(n.slice(-10)) || n.endsWith(k.slice(-10)))) return;
    const key = `${f.kind}|${n}`;
    const prev = patternFindings.get(key);
    if (!prev || (prev.confidence === 'low' && f.confidence === 'medium')) patternFindings.set(key, f);
  };
  for (const leaf of leaves) {
    if (leaf.container || leaf.text.length === 0 || leaf.text.length > MAX_PATTERN_LEAF) continue;
    // Detectors need an identifying key, except the format-only hints: skip the rest early.
    if (!keyIn(leaf.key, ANY_IDENTIFYING_KEY) && !hintShape(leaf.text.trim())) continue;
    const ctx = { key: leaf.key, where: leaf.where, region };
    for (const d of PATTERN_DETECTORS) {
      const m = d.matches(leaf.text, ctx);
      if (!m) continue;
      addPattern({
        kind: m.kind,
        value: m.value,
        where: leaf.where,
        encodings: leaf.encodings,
        confidence: m.confidence,
        source: 'pattern',
        explanation: d.explain(m, ctx),
      });
      break;
    }
  }
  if (!profileFindings.some((f) => f.kind === 'location')) {
    for (const loc of pairLocations(leaves.filter((l) => l.text.length <= 32))) {
      addPattern({ kind: 'location', value: loc.value, where: loc.where, encodings: loc.encodings, confidence: 'medium', source: 'pattern', explanation: 'latitude and longitude under location keys' });
    }
  }
  return [...profileFindings, ...patternFindings.values()];
}
