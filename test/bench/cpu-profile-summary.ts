// Summarises a V8 .cpuprofile (node --cpu-prof): top functions by self time, and self time by area (our code,
// each dependency, Node internals, GC, idle). Run: node --import tsx test/bench/cpu-profile-summary.ts FILE [N]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  top: { name: string; where: string; selfMs: number; share: number }[];
  /** Functions by inclusive time (the sample's stack holds them), for the ones with most total time. */
  inclusive: { name: string; where: string; totalMs: number; share: number }[];
  areas: { area: string; selfMs: number; share: number }[];
}

function areaOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return '(program: native, not attributed)';
  if (!url) return 'native/builtins';
  if (url.startsWith('node:')) return 'node internals';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const src = /\/dist\/(src\/[^/]+|[^/]+\.js)/.exec(url) ?? /\/(src\/[^/]+)\//.exec(url);
  if (src) return `phonehome ${src[1]}`;
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(file: string, topN = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) byId.get(c)!.parent = n.id;
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const fns = new Map<string, { name: string; where: string; us: number }>();
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const short = url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/');
    return { key: `${functionName || '(anonymous)'}@${url}:${lineNumber}`, name: functionName || '(anonymous)', where: url ? `${short}:${lineNumber + 1}` : '' };
  };
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let node = byId.get(id); node; node = node.parent === undefined ? undefined : byId.get(node.parent)) {
      const l = label(node);
      if (seen.has(l.key) || l.name === '(root)' || l.name === '(idle)') continue;
      seen.add(l.key);
      const entry = inclusive.get(l.key) ?? { name: l.name, where: l.where, us: 0 };
      entry.us += us;
      inclusive.set(l.key, entry);
    }
  }
  const areas = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    totalUs += us;
    if (name === '(idle)') idleUs += us;
    const short = url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/');
    const key = `${name}@${url}:${lineNumber}`;
    const entry = fns.get(key) ?? { name, where: url ? `${short}:${lineNumber + 1}` : '', us: 0 };
    entry.us += us;
    fns.set(key, entry);
    const area = areaOf(url, name);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs || 1;
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    top: [...fns.values()]
      .filter((f) => f.name !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, topN)
      .map((f) => ({ name: f.name, where: f.where, selfMs: f.us / 1000, share: f.us / busyUs })),
    inclusive: [...inclusive.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topN * 2)
      .map((f) => ({ name: f.name, where: f.where, totalMs: f.us / 1000, share: f.us / busyUs })),
    areas: [...areas.entries()]
      .filter(([a]) => a !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .map(([area, us]) => ({ area, selfMs: us / 1000, share: us / busyUs })),
  };
}

export function printProfileSummary(summary: ProfileSummary, out: (line: string) => void = console.log): void {
  const busy = summary.totalMs - summary.idleMs;
  out(`profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy (${((busy / summary.totalMs) * 100).toFixed(0)}%)`);
  out('self time by area (share of busy time):');
  for (const a of summary.areas.slice(0, 14)) out(`  ${(a.share * 100).toFixed(1).padStart(5)}%  ${a.selfMs.toFixed(0).padStart(7)} ms  ${a.area}`);
  out('top functions by self time:');
  for (const f of summary.top) out(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.name}  ${f.where}`);
  if (!process.argv.includes('--inclusive')) return;
  out('top functions by inclusive time:');
  for (const f of summary.inclusive) out(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.totalMs.toFixed(0).padStart(7)} ms  ${f.name}  ${f.where}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: cpu-profile-summary.ts FILE.cpuprofile [N]');
    process.exit(2);
  }
  printProfileSummary(summarizeProfile(file, Number(process.argv[3] ?? 25)));
}
