// Detection benchmark: throughput of the profile-tier matcher with a 30-value profile, and per-flow detection
// time (p50/p99) for request bodies ≤ 16 KiB of mixed shapes. Run: node --import tsx test/bench/detect-bench.ts
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { compileProfile, detectFindings, parseProfile } from '../../src/detect/index.js';
import { buildScanText, matchProfile } from '../../src/detect/profile-matcher.js';
import type { DetectionInput } from '../../src/types/detection.js';
import type { Leaf } from '../../src/detect/leaf.js';
import { BENCH_PROFILE } from './bench-profile.js';

// The same 30-value test phone as the end-to-end benchmark.
const profile = compileProfile(parseProfile(BENCH_PROFILE));

const words = ['event', 'click', 'app_open', 'com.example.app', 'wifi', 'android', 'zh_CN', 'Mozilla/5.0', 'session', 'screen'];
const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
function record(): Record<string, unknown> {
  return {
    ev: pick(words),
    ts: Date.now() - Math.floor(Math.random() * 1e6),
    id: randomUUID(),
    sig: createHash('md5').update(randomBytes(8)).digest('hex'),
    nonce: randomBytes(8).toString('hex'),
    blob: randomBytes(24).toString('base64'),
    text: `${pick(words)} ${pick(words)} ${pick(words)} ${Math.random().toFixed(4)}`,
    price: Number((Math.random() * 100).toFixed(2)),
  };
}
function jsonBody(maxBytes: number): string {
  const items: unknown[] = [];
  let s = '';
  while (true) {
    items.push(record());
    const next = JSON.stringify({ common: { os: 'android', imei: '868828661312806' }, events: items });
    if (next.length > maxBytes) break;
    s = next;
  }
  return s || JSON.stringify({ events: [record()] });
}

// 1. Profile-tier matcher throughput over realistic request text.
{
  const leaves: Leaf[] = [];
  let total = 0;
  while (total < 16 * 1024 * 1024) {
    const text = jsonBody(16 * 1024);
    leaves.push({ text, where: 'body', encodings: [], key: '', depth: 0 });
    total += text.length;
  }
  const scan = buildScanText(leaves);
  matchProfile(profile, buildScanText(leaves.slice(0, 10))); // warm-up
  const runs: number[] = [];
  let hits = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    hits = matchProfile(profile, scan).length;
    runs.push((performance.now() - t0) / 1000);
  }
  runs.sort((a, b) => a - b);
  const mbps = (s: number): string => (total / 1e6 / s).toFixed(1);
  console.log(`profile matcher: ${profile.patternCount} patterns from ${profile.targets.length + profile.locations.length} values`);
  console.log(`profile matcher: ${(total / 1e6).toFixed(1)} MB, 5 runs: median ${mbps(runs[2]!)} MB/s, best ${mbps(runs[0]!)} MB/s, worst ${mbps(runs[4]!)} MB/s (${hits} hits)`);
}

// 2. Per-flow detection time for bodies ≤ 16 KiB.
{
  const flows: DetectionInput[] = [];
  for (let i = 0; i < 3000; i++) {
    const size = 256 + Math.floor(Math.random() * (16 * 1024 - 256));
    const body = jsonBody(size);
    const kind = i % 4;
    const base: DetectionInput = {
      scheme: i % 3 ? 'https' : 'http',
      method: 'POST',
      url: `https://api${i % 20}.example.test/v${i % 5}/track?ts=${Date.now()}&aid=112ca0203c694fb2`,
      host: `api${i % 20}.example.test`,
      requestHeaders: [['Content-Type', 'application/json'], ['User-Agent', 'okhttp/3.12'], ['Cookie', `sid=${randomUUID()}; uid=${randomBytes(6).toString('hex')}`]],
      requestBody: Buffer.from(body),
    };
    if (kind === 1) {
      base.requestHeaders.push(['Content-Encoding', 'gzip']);
      base.requestBody = gzipSync(body);
    } else if (kind === 2) {
      base.requestHeaders[0] = ['Content-Type', 'application/x-www-form-urlencoded'];
      base.requestBody = Buffer.from(`imei=868828661312806&data=${encodeURIComponent(body.slice(0, 12 * 1024))}&v=1`);
    } else if (kind === 3) {
      base.requestBody = Buffer.from(JSON.stringify({ payload: gzipSync(body).toString('base64') }));
    }
    flows.push(base);
  }
  for (const f of flows.slice(0, 200)) detectFindings(f, [profile]); // warm-up
  const q = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  // Pass 1: each flow once, as the proxy would (includes GC and, on a shared machine, scheduler noise).
  const once: number[] = [];
  let bytes = 0;
  for (const f of flows) {
    const t = performance.now();
    detectFindings(f, [profile]);
    once.push(performance.now() - t);
    bytes += f.requestBody.length;
  }
  // Pass 2: best of 3 runs per flow: the work itself, without preemption by other processes.
  const best: number[] = flows.map((f) => {
    let m = Infinity;
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      detectFindings(f, [profile]);
      m = Math.min(m, performance.now() - t);
    }
    return m;
  });
  const mean = once.reduce((a, b) => a + b, 0) / once.length;
  once.sort((a, b) => a - b);
  best.sort((a, b) => a - b);
  console.log(`per flow (${flows.length} flows, bodies ≤ 16 KiB, avg ${(bytes / flows.length / 1024).toFixed(1)} KiB on the wire; JSON, gzip JSON, forms, base64(gzip(JSON)) in JSON)`);
  console.log(`  single run:   p50 ${q(once, 0.5).toFixed(3)} ms, p99 ${q(once, 0.99).toFixed(3)} ms, max ${q(once, 1).toFixed(3)} ms, mean ${mean.toFixed(3)} ms`);
  console.log(`  best of 3:    p50 ${q(best, 0.5).toFixed(3)} ms, p99 ${q(best, 0.99).toFixed(3)} ms, max ${q(best, 1).toFixed(3)} ms`);
}
