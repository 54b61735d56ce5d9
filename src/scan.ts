// `phonehome scan FILE.har [--profile FILE]... [--json]`: offline detection over a HAR file with the same engine
// as the live proxy. With --json: one JSON object {"findings":[…],"summary":{…}}, each finding carrying `entry`
// (0-based index into log.entries); otherwise a readable table grouped by host. Exit code 0, or 2 on bad input.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Finding } from './types/index.js';
import { compileProfile, detectFindings, parseProfile, ProfileError, type CompiledProfile } from './detect/index.js';
import { readHar, HarError } from './export/har-reader.js';

const USAGE = 'usage: phonehome scan FILE.har [--profile FILE]... [--json]';

interface ScanArgs {
  har: string;
  profiles: string[];
  json: boolean;
}

function parseArgs(args: string[]): ScanArgs | string {
  const profiles: string[] = [];
  let har: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') json = true;
    else if (a === '--profile') {
      const v = args[++i];
      if (!v) return '--profile needs a file';
      profiles.push(v);
    } else if (a.startsWith('--profile=')) profiles.push(a.slice('--profile='.length));
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (har === undefined) har = a;
    else return `unexpected argument ${a}`;
  }
  if (!har) return 'a HAR file is required';
  return { har, profiles, json };
}

async function loadProfile(path: string): Promise<CompiledProfile> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ProfileError('(root)', `not JSON: ${e instanceof Error ? e.message : String(e)}`, basename(path));
  }
  return compileProfile(parseProfile(json, basename(path)));
}

function summarise(findings: Finding[], entries: number, profiles: CompiledProfile[]): Record<string, unknown> {
  const alerts = findings.filter((f) => f.confidence !== 'low');
  const count = (key: (f: Finding) => string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const f of alerts) out[key(f)] = (out[key(f)] ?? 0) + 1;
    return out;
  };
  return {
    entries,
    profiles: profiles.map((p) => p.name),
    findings: findings.length,
    alerts: alerts.length,
    hints: findings.length - alerts.length,
    plaintextAlerts: alerts.filter((f) => f.plaintext).length,
    byKind: count((f) => f.kind),
    byHost: count((f) => f.host),
    byConfidence: { high: alerts.filter((f) => f.confidence === 'high').length, medium: alerts.filter((f) => f.confidence === 'medium').length, low: findings.length - alerts.length },
  };
}

/** Terminal columns a string takes (CJK and full-width characters take two). */
function width(s: string): number {
  let w = 0;
  for (const c of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1;
  return w;
}

function table(findings: Finding[], out: (line: string) => void): void {
  const byHost = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!byHost.has(f.host)) byHost.set(f.host, []);
    byHost.get(f.host)!.push(f);
  }
  const hosts = [...byHost.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  for (const [host, list] of hosts) {
    const plain = list.some((f) => f.plaintext) ? '  [PLAINTEXT HTTP]' : '';
    out(`${host}  (${list.length} finding${list.length === 1 ? '' : 's'})${plain}`);
    const rows = list.map((f) => [String(f.entry ?? ''), f.confidence, f.kind, f.value.length > 48 ? `${f.value.slice(0, 45)}...` : f.value, f.where, f.encodings.join('>') || '-', f.plaintext ? 'http' : 'https']);
    const head = ['entry', 'conf', 'kind', 'value', 'where', 'encodings', 'scheme'];
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => width(r[i]!))));
    const fmt = (r: string[]): string => '  ' + r.map((c, i) => c + ' '.repeat(w[i]! - width(c))).join('  ').trimEnd();
    out(fmt(head));
    for (const r of rows) out(fmt(r));
    out('');
  }
}

export async function runScanCommand(args: string[], out: (line: string) => void): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    out(`phonehome scan: ${parsed}`);
    out(USAGE);
    return 2;
  }
  let profiles: CompiledProfile[];
  let entries;
  try {
    profiles = await Promise.all(parsed.profiles.map(loadProfile));
    entries = readHar(await readFile(parsed.har, 'utf8'));
  } catch (e) {
    const msg = e instanceof ProfileError || e instanceof HarError ? e.message : e instanceof Error ? e.message : String(e);
    out(`phonehome scan: ${msg}`);
    return 2;
  }
  const findings: Finding[] = [];
  for (const { entry, input, time } of entries) {
    const detected = detectFindings(input, profiles);
    detected.forEach((d, i) => {
      const f: Finding = { id: `e${entry}-${i}`, entry, ...d, host: input.host, plaintext: input.scheme === 'http' };
      if (time !== undefined) f.time = time;
      findings.push(f);
    });
  }
  const rank = { high: 0, medium: 1, low: 2 } as const;
  findings.sort((a, b) => Number(b.plaintext) - Number(a.plaintext) || rank[a.confidence] - rank[b.confidence] || (a.entry ?? 0) - (b.entry ?? 0));
  const summary = summarise(findings, entries.length, profiles);
  if (parsed.json) {
    out(JSON.stringify({ findings: [...findings].sort((a, b) => (a.entry ?? 0) - (b.entry ?? 0)), summary }));
    return 0;
  }
  out(`${entries.length} entries, ${summary.alerts as number} alerts (${summary.plaintextAlerts as number} over plain HTTP), ${summary.hints as number} low-confidence hints`);
  out('');
  table(findings, out);
  return 0;
}
