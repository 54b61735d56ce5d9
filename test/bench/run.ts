// `npm run bench`: phonehome against no proxy and against mitmproxy, on this machine, in one run (issue 7).
//
// A local HTTPS origin (small JSON, 4 KiB POST echo, 1 MiB body) runs in this process; phonehome runs as its own
// process (the built CLI with the node flags of `npm start`, capture + storage + detection on, a 30-value profile),
// pinned to its own core(s) with taskset, with an event-loop-delay probe preloaded; the load generator
// (load-generator.ts, worker threads, CONNECT + TLS + keep-alive) and the origin share the other core(s). Each load runs against the origin directly (the
// limit), through phonehome, and through mitmdump when it is installed; each measurement is repeated (--runs) and
// the medians are printed, with ratios and the issue's targets. Then the storage target: the session is topped up
// to 100k flows, phonehome is restarted on it (time to ready), and test/bench/store-bench.ts measures the store alone.
//
// Options: --json [FILE]  figures as JSON (stdout, or FILE) · --runs N (3) · --seconds S per load (3)
//          --flows N (100000; 0 skips the storage part) · --no-mitmproxy · --no-pin · --cpu-prof (profile phonehome
//          and print its top self-time functions) · --no-build (do not rebuild a stale dist/) · --no-warmup
//          --phonehome-args "--max-body 0" (more flags for phonehome start, quoted as one argument)
//          --node-args "--max-semi-space-size=8" (flags for phonehome's node process, e.g. V8 heap experiments)
//          --systems direct,phonehome,mitmproxy · --loads small16,post16,big16,small1,post1,small16paced,post16paced,newhost (subsets, to profile one load)
//          --paced-rate N (400: requests/s of the paced loads, over 16 connections, timed as wrk2 does)
//          --no-unstored (skip the 1 MiB load through a second phonehome that stores no bodies, and the file append probe)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startOrigin } from '../helpers/test-origin.js';
import { BENCH_PROFILE, postBody, SMALL_PATH } from './bench-profile.js';
import { CLI, cpuBusySeconds, has, killChildren, machineBusy, pinned, procStats, REPO, RssSampler, startMitmdump, startPhonehomeProcess, type MitmdumpProcess, type PhonehomeProcess, type ProbeSnapshot } from './bench-processes.js';
import { printProfileSummary, summarizeProfile, type ProfileSummary } from './cpu-profile-summary.js';
import { runLoad, timeFreshRequest, type LoadResult, type RequestSpec, type Target } from './load-generator.js';

// ---------------------------------------------------------------------------------------------------- options
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
};
const jsonIndex = argv.indexOf('--json');
const jsonOut = jsonIndex < 0 ? undefined : argv[jsonIndex + 1] && !argv[jsonIndex + 1]!.startsWith('--') ? argv[jsonIndex + 1]! : '-';
const RUNS = value('--runs', 3);
const SECONDS = value('--seconds', 3);
const FLOWS = value('--flows', 100_000);
const CONNECTIONS = 16;
// The paced loads' rate, over 16 connections: below every system's capacity (mitmproxy's is ~700 POSTs/s here), so
// their latency is what a proxy adds to a request, not the queue a saturating closed loop builds (16 ÷ throughput).
const PACED_RATE = value('--paced-rate', 400);
const NEW_HOSTS = 20;
// With --json to stdout, the human-readable progress goes to stderr.
const log = (line = '') => (jsonOut === '-' ? process.stderr : process.stdout).write(`${line}\n`);

type System = 'direct' | 'phonehome' | 'mitmproxy';
type LoadName = 'small16' | 'post16' | 'big16' | 'small1' | 'post1' | 'small16paced' | 'post16paced';
const ALL_LOADS: LoadName[] = ['small16', 'post16', 'big16', 'small1', 'post1', 'small16paced', 'post16paced'];
const median = (xs: number[]): number => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// ---------------------------------------------------------------------------------------------------- build
function ensureBuilt(): string {
  const newest = (dir: string): number => {
    let t = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return t;
  };
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    /* not built */
  }
  if (built && newest(join(REPO, 'src')) <= built) return 'fresh';
  if (built && flag('--no-build')) {
    log('note: dist/ is older than src/ (--no-build: measuring the existing build)');
    return 'stale';
  }
  log('building dist/ (tsc -p tsconfig.build.json)…');
  const r = spawnSync(join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) {
    log(`${r.stdout}${r.stderr}`);
    throw new Error('the build failed (fix it, or pass --no-build to measure the existing dist/)');
  }
  return 'rebuilt';
}

// ---------------------------------------------------------------------------------------------------- pinning
function cpuPlan(): { proxy: string; load: string; note: string } {
  const cpus = os.availableParallelism();
  if (flag('--no-pin')) return { proxy: '', load: '', note: 'not pinned (--no-pin)' };
  if (cpus < 2 || !has('taskset')) return { proxy: '', load: '', note: cpus < 2 ? 'not pinned (one CPU)' : 'not pinned (no taskset)' };
  const half = Math.floor(cpus / 2);
  const range = (a: number, b: number) => (a === b ? `${a}` : `${a}-${b}`);
  const plan = { load: range(0, half - 1), proxy: range(half, cpus - 1) };
  // This process (origin + load generator threads, and every thread they start later) on the load CPUs.
  spawnSync('taskset', ['-a', '-p', '-c', plan.load, String(process.pid)], { stdio: 'ignore' });
  return { ...plan, note: `proxy on CPU ${plan.proxy}; origin + load generator on CPU ${plan.load}` };
}

// ---------------------------------------------------------------------------------------------------- file append
/** test/bench/file-append-probe.ts in its own process on the proxy's CPUs: 512 MiB appended to a new file in `dir`. */
function measureFileAppend(dir: string, cpus: string): { mibPerSecond: number; cpuMsPerMib: number } | undefined {
  const [cmd, args] = pinned(cpus, process.execPath, ['--import', 'tsx', join(REPO, 'test/bench/file-append-probe.ts'), dir, '512']);
  const r = spawnSync(cmd, args, { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  try {
    const { mib, ms, cpuMs } = JSON.parse(r.stdout) as { mib: number; ms: number; cpuMs: number };
    return { mibPerSecond: mib / (ms / 1000), cpuMsPerMib: cpuMs / mib };
  } catch {
    log(`file append probe failed: ${r.stderr || r.error?.message}`);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------- main
interface SystemFigures {
  loads: Partial<Record<LoadName, LoadResult[]>>;
  newHostFirst: number[];
  newHostRepeat: number[];
  /** Proxy CPU ms per request during small16. */
  cpuMsPerSmall: number[];
  /** Proxy CPU use during each load (1 = one core busy all the time). */
  cpuShare: Partial<Record<LoadName, number[]>>;
  /** CPU time other processes took on the proxy's CPUs during each load (1 = one core): contention. */
  otherShare: Partial<Record<LoadName, number[]>>;
  eventLoopP99: Partial<Record<LoadName, number[]>>;
  peakRssMiB?: number;
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killChildren();
      process.exit(130);
    });
  }
  const buildState = ensureBuilt();
  const busy = await machineBusy();
  if (busy > 0.1) log(`warning: ${(busy * 100).toFixed(0)}% of the CPUs were busy before the bench started (other work running?): the figures will be noisy`);
  const cpus = cpuPlan();
  const threads = Math.max(1, value('--threads', cpus.load ? cpus.load.split('-').map(Number).reduce((a, b) => b - a + 1) : 1));
  const root = mkdtempSync(join(os.tmpdir(), 'phonehome-bench-'));
  const origin = await startOrigin();
  // The origin keeps every request for tests; a benchmark does not need them.
  const clearOrigin = setInterval(() => (origin.requests.length = 0), 250);
  const profileFile = join(root, 'profile.json');
  writeFileSync(profileFile, JSON.stringify(BENCH_PROFILE, null, 2));
  const mapHosts = [`*.example.test:443=127.0.0.1:${origin.httpsPort}`];
  const cpuProfDir = flag('--cpu-prof') ? join(root, 'cpu-prof') : undefined;
  if (cpuProfDir) mkdirSync(cpuProfDir);
  const phonehomeArgs = argv.includes('--phonehome-args') ? (argv[argv.indexOf('--phonehome-args') + 1] ?? '').split(/\s+/).filter(Boolean) : [];
  const nodeArgs = argv.includes('--node-args') ? (argv[argv.indexOf('--node-args') + 1] ?? '').split(/\s+/).filter(Boolean) : [];
  const phOptions = { extraArgs: phonehomeArgs, nodeArgs, cpus: cpus.proxy, dataDir: join(root, 'data'), certsDir: join(root, 'certs'), profileFile, mapHosts, upstreamCa: origin.caFile, probeFile: join(root, 'event-loop.json') };

  log(`phonehome benchmark · ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}) · Node ${process.version} · ${cpus.note}`);
  log(`${RUNS} runs × ${SECONDS} s per load, ${CONNECTIONS} keep-alive connections, load generator on ${threads} worker thread(s)`);
  const ph: PhonehomeProcess = await startPhonehomeProcess({ ...phOptions, ...(cpuProfDir ? { cpuProfDir } : {}) });
  const phRss = new RssSampler(ph.pid);
  let mitm: MitmdumpProcess | undefined;
  let mitmNote: string;
  if (flag('--no-mitmproxy')) mitmNote = 'mitmproxy skipped (--no-mitmproxy)';
  else if (argv.includes('--systems') && !argv[argv.indexOf('--systems') + 1]?.split(',').includes('mitmproxy')) mitmNote = 'mitmproxy not selected (--systems)';
  else if (!has('mitmdump')) mitmNote = 'mitmproxy skipped: mitmdump is not installed (Debian: apt-get install mitmproxy)';
  else {
    mkdirSync(join(root, 'mitm'));
    mitm = await startMitmdump(cpus.proxy, join(root, 'mitm'), origin.caFile);
    mitmNote = `mitmproxy ${mitm.version}: mitmdump -q (no per-flow output, nothing stored), upstream verified with the origin's CA; CONNECT 127.0.0.1:${origin.httpsPort} with the test host as SNI and Host`;
  }
  const mitmRss = mitm ? new RssSampler(mitm.pid) : undefined;
  log(mitmNote);
  log(`phonehome: dist/cli.js (${buildState}), pid ${ph.pid}, ready in ${ph.startMs.toFixed(0)} ms; CONNECT api.example.test:443, mapped with --map-host ${mapHosts[0]}`);

  const host = 'api.example.test';
  const targetOf = (system: System, servername: string): Target => {
    if (system === 'direct') return { port: origin.httpsPort, servername, ca: origin.caPem };
    if (system === 'phonehome') return { port: ph.port, tunnel: `${servername}:443`, servername, ca: ph.caPem };
    return { port: mitm!.port, tunnel: `127.0.0.1:${origin.httpsPort}`, servername, ca: mitm!.caPem };
  };
  const body = postBody();
  const requests: Record<LoadName, { request: RequestSpec; connections: number; seconds: number; label: string; ratePerSecond?: number }> = {
    small16: { request: { method: 'GET', path: SMALL_PATH }, connections: CONNECTIONS, seconds: SECONDS, label: 'small GET' },
    post16: { request: { method: 'POST', path: '/echo', body, contentType: 'application/json' }, connections: CONNECTIONS, seconds: SECONDS, label: '4 KiB POST echo' },
    big16: { request: { method: 'GET', path: '/big?mb=1' }, connections: CONNECTIONS, seconds: SECONDS, label: '1 MiB GET' },
    small1: { request: { method: 'GET', path: SMALL_PATH }, connections: 1, seconds: Math.max(1, SECONDS * 0.67), label: 'small GET, 1 connection' },
    post1: { request: { method: 'POST', path: '/echo', body, contentType: 'application/json' }, connections: 1, seconds: Math.max(1, SECONDS * 0.67), label: '4 KiB POST, 1 connection' },
    small16paced: { request: { method: 'GET', path: SMALL_PATH }, connections: CONNECTIONS, seconds: SECONDS, label: `small GET, ${PACED_RATE} req/s`, ratePerSecond: PACED_RATE },
    post16paced: { request: { method: 'POST', path: '/echo', body, contentType: 'application/json' }, connections: CONNECTIONS, seconds: SECONDS, label: `4 KiB POST, ${PACED_RATE} req/s`, ratePerSecond: PACED_RATE },
  };
  const listOption = (name: string): string[] | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1]?.split(',') : undefined;
  };
  const systems = (mitm ? ['direct', 'phonehome', 'mitmproxy'] : ['direct', 'phonehome']).filter((s) => listOption('--systems')?.includes(s) ?? true) as System[];
  const loadNames = ALL_LOADS.filter((n) => listOption('--loads')?.includes(n) ?? true);
  const newHosts = listOption('--loads')?.includes('newhost') ?? true;
  const figures: Record<string, SystemFigures> = {};
  for (const s of ['direct', 'phonehome', 'mitmproxy']) figures[s] = { loads: {}, newHostFirst: [], newHostRepeat: [], cpuMsPerSmall: [], cpuShare: {}, otherShare: {}, eventLoopP99: {} };
  const pidOf = (s: System) => (s === 'phonehome' ? ph.pid : s === 'mitmproxy' ? mitm!.pid : undefined);
  const benchStarted = performance.now();
  let runNo = 0;
  const memoryLog: ({ after: string } & NonNullable<ProbeSnapshot['memory']>)[] = [];
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)}`;

  const measure = async (system: System, name: LoadName): Promise<LoadResult> => {
    const spec = requests[name];
    const pid = pidOf(system);
    if (system === 'phonehome') await ph.eventLoop(); // resets the probe's histogram
    const cpuBefore = pid ? procStats(pid)?.cpuSeconds : undefined;
    const wallBefore = performance.now();
    const coreBefore = cpus.proxy ? cpuBusySeconds(cpus.proxy) : undefined;
    const result = await runLoad({ target: targetOf(system, host), request: spec.request, connections: spec.connections, threads, warmupMs: 500, durationMs: spec.seconds * 1000, ...(spec.ratePerSecond ? { ratePerSecond: spec.ratePerSecond } : {}) });
    const cpuAfter = pid ? procStats(pid)?.cpuSeconds : undefined;
    const wallSeconds = (performance.now() - wallBefore) / 1000;
    const f = figures[system]!;
    if (cpuBefore !== undefined && cpuAfter !== undefined) {
      (f.cpuShare[name] ??= []).push((cpuAfter - cpuBefore) / wallSeconds);
      if (coreBefore !== undefined) {
        const other = Math.max(0, (cpuBusySeconds(cpus.proxy) - coreBefore - (cpuAfter - cpuBefore)) / wallSeconds);
        (f.otherShare[name] ??= []).push(other);
        if (other > 0.1) log(`  note: other processes took ${(other * 100).toFixed(0)}% of the proxy's CPU during ${system} ${name}: that figure is low`);
      }
    }
    (f.loads[name] ??= []).push(result);
    if (system === 'phonehome') {
      const probe = await ph.eventLoop();
      (f.eventLoopP99[name] ??= []).push(probe.p99);
      if (probe.memory) memoryLog.push({ after: `${name} run ${runNo}`, ...probe.memory });
    }
    // CPU over warm-up + measured window, per measured request (warm-up requests are ~1/7 more: an upper bound).
    if (name === 'small16' && cpuBefore !== undefined && cpuAfter !== undefined) f.cpuMsPerSmall.push(((cpuAfter - cpuBefore) * 1000 * spec.seconds) / (spec.seconds + 0.5) / result.requests);
    if (result.errors) log(`  ${system} ${name}: ${result.errors} errors (first: ${result.firstError})`);
    return result;
  };

  // Warm-up (not measured): JIT, connection pools and certificate caches of every system. --no-warmup skips it, so
  // that a --cpu-prof of one load shows that load alone.
  for (const system of flag('--no-warmup') ? [] : systems) {
    for (const name of ['small16', 'post16'] as LoadName[]) {
      await runLoad({ target: targetOf(system, host), request: requests[name].request, connections: CONNECTIONS, threads, warmupMs: 0, durationMs: 1000 });
    }
  }
  for (let run = 1; run <= RUNS; run++) {
    runNo = run;
    for (const system of systems) {
      const parts: string[] = [];
      for (const name of loadNames) {
        const r = await measure(system, name);
        parts.push(name === 'big16' ? `${name} ${r.mibPerSecond.toFixed(0)} MiB/s` : `${name} ${r.rps.toFixed(0)}/s p50 ${r.p50.toFixed(2)}`);
      }
      // Never-seen hosts: the first request pays for the proxy's certificate; the repeat (a new connection) does not.
      const f = figures[system]!;
      const firsts: number[] = [];
      const repeats: number[] = [];
      for (let i = 0; i < (newHosts ? NEW_HOSTS : 0); i++) {
        const name = `r${run}n${i}x${process.pid}.example.test`;
        firsts.push(await timeFreshRequest(targetOf(system, name), SMALL_PATH));
        repeats.push(await timeFreshRequest(targetOf(system, name), SMALL_PATH));
      }
      f.newHostFirst.push(median(firsts));
      f.newHostRepeat.push(median(repeats));
      if (newHosts) parts.push(`new host ${median(firsts).toFixed(1)} vs ${median(repeats).toFixed(1)} ms`);
      const pid = pidOf(system);
      if (pid) parts.push(`RSS ${((procStats(pid)?.rssKiB ?? NaN) / 1024).toFixed(0)} MiB`);
      log(`run ${run} ${system.padEnd(9)} ${parts.join(' · ')}`);
    }
  }
  const loadSeconds = (performance.now() - benchStarted) / 1000;
  // Peak RSS through the loads above, before the session is topped up to 100k flows.
  phRss.sample();
  mitmRss?.sample();
  const peakLoadsMiB = { phonehome: phRss.peakKiB / 1024, mitmproxy: mitmRss ? mitmRss.peakKiB / 1024 : NaN };

  // ------------------------------------------------------------------------------------------------ storage
  interface Storage {
    flows: number;
    smallRpsAtStart: number;
    smallRpsAtEnd?: number;
    journalBytesPerFlow?: number;
    stopMs?: number;
    restartMs?: number;
    emptyStartMs?: number;
    rssAfterRestartMiB?: number;
    storeBench?: { first10kUs?: number; last10kUs?: number; reopenMs?: number; output: string };
  }
  const sessionFlows = async (): Promise<number> => {
    const res = await fetch(`${ph.dashboard}/api/sessions`, { headers: { authorization: `Bearer ${ph.token}` } });
    const json = (await res.json()) as { flowCount?: number }[] | { sessions: { flowCount?: number }[] };
    const list = Array.isArray(json) ? json : json.sessions;
    return Math.max(0, ...list.map((s) => s.flowCount ?? 0));
  };
  // The runs above happened on a session of 0 to ~50k flows: their median is the reference for the 100k-flow figure.
  const storage: Storage = { flows: 0, smallRpsAtStart: median((figures.phonehome?.loads.small16 ?? []).map((r) => r.rps)) };
  if (FLOWS > 0) {
    let flows = await sessionFlows();
    log(`storage: the session holds ${flows} flows; topping up to ${FLOWS} with small GETs…`);
    const rate = median((figures.phonehome?.loads.small16 ?? []).map((r) => r.rps)) || 1000;
    while (flows < FLOWS * 0.98) {
      const seconds = Math.min(30, Math.max(1, (FLOWS - flows) / rate));
      await runLoad({ target: targetOf('phonehome', host), request: requests.small16.request, connections: CONNECTIONS, threads, warmupMs: 0, durationMs: seconds * 1000 });
      await new Promise((r) => setTimeout(r, 300));
      flows = await sessionFlows();
      const memory = (await ph.eventLoop()).memory;
      if (memory) memoryLog.push({ after: `top-up to ${flows} flows`, ...memory });
      log(`  ${flows} flows, phonehome RSS ${((procStats(ph.pid)?.rssKiB ?? NaN) / 1024).toFixed(0)} MiB${memory ? ` (V8 heap ${mib(memory.heapUsed)} used of ${mib(memory.heapTotal)} MiB, buffers ${mib(memory.arrayBuffers)} MiB)` : ''}`);
    }
    const atEnd = await measure('phonehome', 'small16');
    storage.smallRpsAtEnd = atEnd.rps;
    await new Promise((r) => setTimeout(r, 1500));
    storage.flows = await sessionFlows();
    log(`storage: ${storage.flows} flows; small GET ${storage.smallRpsAtStart.toFixed(0)} req/s during the runs (median), ${atEnd.rps.toFixed(0)} req/s at ${storage.flows - atEnd.requests} flows`);
  }
  phRss.stop();
  mitmRss?.stop();
  figures.phonehome!.peakRssMiB = phRss.peakKiB / 1024;
  if (mitm && mitmRss) figures.mitmproxy!.peakRssMiB = mitmRss.peakKiB / 1024;
  storage.stopMs = await ph.stop();
  await mitm?.stop();
  let profile: ProfileSummary | undefined;
  if (cpuProfDir) {
    const file = readdirSync(cpuProfDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      const kept = join(os.tmpdir(), `phonehome-bench-${Date.now()}.cpuprofile`);
      copyFileSync(join(cpuProfDir, file), kept);
      profile = summarizeProfile(kept, 25);
      log(`CPU profile of phonehome: ${kept} (node --import tsx test/bench/cpu-profile-summary.ts FILE 40 --inclusive)`);
    }
  }
  if (FLOWS > 0) {
    const sessions = join(phOptions.dataDir, 'sessions');
    let journal = 0;
    for (const s of readdirSync(sessions)) {
      try {
        journal += statSync(join(sessions, s, 'journal.ndjson')).size;
      } catch {
        /* no journal */
      }
    }
    storage.journalBytesPerFlow = journal / storage.flows;
    const restartProfDir = cpuProfDir ? join(root, 'cpu-prof-restart') : undefined;
    if (restartProfDir) mkdirSync(restartProfDir);
    const restarted = await startPhonehomeProcess({ ...phOptions, ...(restartProfDir ? { cpuProfDir: restartProfDir } : {}) });
    storage.restartMs = restarted.startMs;
    storage.rssAfterRestartMiB = (procStats(restarted.pid)?.rssKiB ?? NaN) / 1024;
    await restarted.stop();
    const restartProfile = restartProfDir && readdirSync(restartProfDir).find((f) => f.endsWith('.cpuprofile'));
    if (restartProfDir && restartProfile) {
      const kept = join(os.tmpdir(), `phonehome-bench-restart-${Date.now()}.cpuprofile`);
      copyFileSync(join(restartProfDir, restartProfile), kept);
      log(`CPU profile of the restart on ${storage.flows} flows: ${kept}`);
      printProfileSummary(summarizeProfile(kept, 15), log);
    }
    const empty = await startPhonehomeProcess({ ...phOptions, dataDir: join(root, 'data-empty') });
    storage.emptyStartMs = empty.startMs;
    await empty.stop();
    log(`storage: restart on ${storage.flows} flows ready in ${storage.restartMs.toFixed(0)} ms (empty data folder: ${storage.emptyStartMs.toFixed(0)} ms), RSS after restart ${storage.rssAfterRestartMiB.toFixed(0)} MiB`);
    const [cmd, args] = cpus.proxy ? ['taskset', ['-c', cpus.proxy, process.execPath, '--import', 'tsx', join(REPO, 'test/bench/store-bench.ts')]] : [process.execPath, ['--import', 'tsx', join(REPO, 'test/bench/store-bench.ts')]];
    const sb = spawnSync(cmd as string, args as string[], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    const output = `${sb.stdout}${sb.stderr}`;
    const fl = /first \d+: ([\d.]+) µs\/flow · last \d+: ([\d.]+) µs\/flow/.exec(output);
    const reopen = /reopen: (\d+) ms/.exec(output);
    storage.storeBench = { output, ...(fl ? { first10kUs: Number(fl[1]), last10kUs: Number(fl[2]) } : {}), ...(reopen ? { reopenMs: Number(reopen[1]) } : {}) };
    log(`store alone (test/bench/store-bench.ts, 100k flows): ${fl ? `first 10k ${fl[1]} µs/flow, last 10k ${fl[2]} µs/flow` : 'no per-flow figures'}${reopen ? `, reopen ${reopen[1]} ms` : ''}`);
  }
  // What storing the bodies costs: the same 1 MiB load through a phonehome that keeps no body bytes (--max-body 0),
  // everything else on. The gap to the figure above is the writing of ~150 MiB/s to bodies.bin.
  const unstoredBig: LoadResult[] = [];
  if (loadNames.includes('big16') && systems.includes('phonehome') && !flag('--no-unstored')) {
    const bare = await startPhonehomeProcess({ ...phOptions, dataDir: join(root, 'data-unstored'), extraArgs: [...phonehomeArgs, '--max-body', '0'] });
    const target: Target = { port: bare.port, tunnel: `${host}:443`, servername: host, ca: bare.caPem };
    for (let run = 0; run < RUNS; run++) {
      unstoredBig.push(await runLoad({ target, request: requests.big16.request, connections: CONNECTIONS, threads, warmupMs: 500, durationMs: requests.big16.seconds * 1000 }));
    }
    await bare.stop();
    log(`1 MiB GET through phonehome --max-body 0 (bodies not stored): ${unstoredBig.map((r) => r.mibPerSecond.toFixed(0)).join(', ')} MiB/s`);
  }
  // And what appending to a file costs this machine, on the proxy's core: with the unstored figure it bounds the
  // stored one (proxying and writing each MiB share that core), whatever phonehome does.
  const fileAppend = loadNames.includes('big16') && systems.includes('phonehome') && !flag('--no-unstored') ? measureFileAppend(root, cpus.proxy) : undefined;
  if (fileAppend) {
    log(`appending to a new file on this machine (one core, the data folder's file system): ${fileAppend.mibPerSecond.toFixed(0)} MiB/s, ${fileAppend.cpuMsPerMib.toFixed(2)} ms CPU per MiB`);
  }
  const unstoredMedian = median(unstoredBig.map((r) => r.mibPerSecond));
  const storedCeiling = fileAppend && unstoredBig.length ? 1 / (1 / unstoredMedian + 1 / fileAppend.mibPerSecond) : NaN;
  clearInterval(clearOrigin);
  await origin.close();

  // ------------------------------------------------------------------------------------------------ report
  const m = (s: System, name: LoadName, key: keyof LoadResult): number => median((figures[s]?.loads[name] ?? []).map((r) => Number(r[key])));
  const has3 = Boolean(mitm);
  const d = (name: LoadName, key: keyof LoadResult) => m('direct', name, key);
  const p = (name: LoadName, key: keyof LoadResult) => m('phonehome', name, key);
  const x = (name: LoadName, key: keyof LoadResult) => (has3 ? m('mitmproxy', name, key) : NaN);
  const nh = (s: System) => ({ first: median(figures[s]?.newHostFirst ?? []), repeat: median(figures[s]?.newHostRepeat ?? []) });
  const elWorst = (name: LoadName) => median(figures.phonehome!.eventLoopP99[name] ?? []);
  const eventLoopP99 = Math.max(...ALL_LOADS.map(elWorst));
  const cpuMs = (s: System) => median(figures[s]?.cpuMsPerSmall ?? []);
  const rows: { measure: string; direct: number; phonehome: number; mitmproxy: number; lowerIsBetter: boolean; digits: number }[] = [
    { measure: 'small GET req/s (16 conns)', direct: d('small16', 'rps'), phonehome: p('small16', 'rps'), mitmproxy: x('small16', 'rps'), lowerIsBetter: false, digits: 0 },
    { measure: 'small GET p50 ms (16 conns)', direct: d('small16', 'p50'), phonehome: p('small16', 'p50'), mitmproxy: x('small16', 'p50'), lowerIsBetter: true, digits: 2 },
    { measure: 'small GET p99 ms (16 conns)', direct: d('small16', 'p99'), phonehome: p('small16', 'p99'), mitmproxy: x('small16', 'p99'), lowerIsBetter: true, digits: 2 },
    { measure: 'small GET p50 ms (1 conn)', direct: d('small1', 'p50'), phonehome: p('small1', 'p50'), mitmproxy: x('small1', 'p50'), lowerIsBetter: true, digits: 2 },
    { measure: 'small GET p99 ms (1 conn)', direct: d('small1', 'p99'), phonehome: p('small1', 'p99'), mitmproxy: x('small1', 'p99'), lowerIsBetter: true, digits: 2 },
    { measure: '4 KiB POST req/s (16 conns)', direct: d('post16', 'rps'), phonehome: p('post16', 'rps'), mitmproxy: x('post16', 'rps'), lowerIsBetter: false, digits: 0 },
    { measure: '4 KiB POST p50 ms (16 conns)', direct: d('post16', 'p50'), phonehome: p('post16', 'p50'), mitmproxy: x('post16', 'p50'), lowerIsBetter: true, digits: 2 },
    { measure: '4 KiB POST p50 ms (1 conn)', direct: d('post1', 'p50'), phonehome: p('post1', 'p50'), mitmproxy: x('post1', 'p50'), lowerIsBetter: true, digits: 2 },
    { measure: `small GET p50 ms (16 c, ${PACED_RATE}/s)`, direct: d('small16paced', 'p50'), phonehome: p('small16paced', 'p50'), mitmproxy: x('small16paced', 'p50'), lowerIsBetter: true, digits: 2 },
    { measure: `small GET p99 ms (16 c, ${PACED_RATE}/s)`, direct: d('small16paced', 'p99'), phonehome: p('small16paced', 'p99'), mitmproxy: x('small16paced', 'p99'), lowerIsBetter: true, digits: 2 },
    { measure: `4 KiB POST p50 ms (16 c, ${PACED_RATE}/s)`, direct: d('post16paced', 'p50'), phonehome: p('post16paced', 'p50'), mitmproxy: x('post16paced', 'p50'), lowerIsBetter: true, digits: 2 },
    { measure: `4 KiB POST p99 ms (16 c, ${PACED_RATE}/s)`, direct: d('post16paced', 'p99'), phonehome: p('post16paced', 'p99'), mitmproxy: x('post16paced', 'p99'), lowerIsBetter: true, digits: 2 },
    { measure: '1 MiB GET MiB/s (16 conns)', direct: d('big16', 'mibPerSecond'), phonehome: p('big16', 'mibPerSecond'), mitmproxy: x('big16', 'mibPerSecond'), lowerIsBetter: false, digits: 0 },
    ...(unstoredBig.length
      ? [{ measure: '1 MiB GET MiB/s, bodies not stored', direct: NaN, phonehome: unstoredMedian, mitmproxy: x('big16', 'mibPerSecond'), lowerIsBetter: false, digits: 0 }]
      : []),
    ...(fileAppend ? [{ measure: 'file append MiB/s (one core)', direct: fileAppend.mibPerSecond, phonehome: NaN, mitmproxy: NaN, lowerIsBetter: false, digits: 0 }] : []),
    ...(Number.isFinite(storedCeiling) ? [{ measure: '1 MiB GET bound if stored (2 rows up)', direct: NaN, phonehome: storedCeiling, mitmproxy: x('big16', 'mibPerSecond'), lowerIsBetter: false, digits: 0 }] : []),
    { measure: 'new host: first request ms', direct: nh('direct').first, phonehome: nh('phonehome').first, mitmproxy: has3 ? nh('mitmproxy').first : NaN, lowerIsBetter: true, digits: 2 },
    { measure: 'new host: repeat (new conn) ms', direct: nh('direct').repeat, phonehome: nh('phonehome').repeat, mitmproxy: has3 ? nh('mitmproxy').repeat : NaN, lowerIsBetter: true, digits: 2 },
    { measure: 'proxy CPU ms per small GET', direct: NaN, phonehome: cpuMs('phonehome'), mitmproxy: has3 ? cpuMs('mitmproxy') : NaN, lowerIsBetter: true, digits: 3 },
    { measure: 'proxy peak RSS MiB (the loads)', direct: NaN, phonehome: peakLoadsMiB.phonehome, mitmproxy: peakLoadsMiB.mitmproxy, lowerIsBetter: true, digits: 0 },
    ...(FLOWS > 0 ? [{ measure: `peak RSS MiB (+ ${Math.round(FLOWS / 1000)}k-flow session)`, direct: NaN, phonehome: figures.phonehome!.peakRssMiB ?? NaN, mitmproxy: NaN, lowerIsBetter: true, digits: 0 }] : []),
  ];
  const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b ? a / b : NaN);
  const smallAdded1 = p('small1', 'p50') - d('small1', 'p50');
  const smallAdded16 = p('small16', 'p50') - d('small16', 'p50');
  const smallAddedPaced = p('small16paced', 'p50') - d('small16paced', 'p50');
  const newHostExtra = nh('phonehome').first - nh('phonehome').repeat;
  const targets = [
    { target: 'small GET req/s ≥ 3× mitmproxy', value: ratio(p('small16', 'rps'), x('small16', 'rps')), unit: '×', met: has3 ? ratio(p('small16', 'rps'), x('small16', 'rps')) >= 3 : null },
    { target: 'small GET added p50 ≤ 2 ms (1 conn)', value: smallAdded1, unit: 'ms', met: smallAdded1 <= 2 },
    { target: 'small GET added p50 ≤ 2 ms (16 conns, saturated)', value: smallAdded16, unit: 'ms', met: smallAdded16 <= 2 },
    { target: `small GET added p50 ≤ 2 ms (16 conns at ${PACED_RATE} req/s)`, value: smallAddedPaced, unit: 'ms', met: Number.isFinite(smallAddedPaced) ? smallAddedPaced <= 2 : null },
    { target: '4 KiB POST p50 ≤ 5 ms (1 conn)', value: p('post1', 'p50'), unit: 'ms', met: p('post1', 'p50') <= 5 },
    { target: '4 KiB POST p50 ≤ 5 ms (16 conns, saturated)', value: p('post16', 'p50'), unit: 'ms', met: p('post16', 'p50') <= 5 },
    { target: `4 KiB POST p50 ≤ 5 ms (16 conns at ${PACED_RATE} req/s)`, value: p('post16paced', 'p50'), unit: 'ms', met: Number.isFinite(p('post16paced', 'p50')) ? p('post16paced', 'p50') <= 5 : null },
    { target: '1 MiB GET MiB/s ≥ 1.5× mitmproxy', value: ratio(p('big16', 'mibPerSecond'), x('big16', 'mibPerSecond')), unit: '×', met: has3 ? ratio(p('big16', 'mibPerSecond'), x('big16', 'mibPerSecond')) >= 1.5 : null },
    { target: 'new host ≤ 5 ms more than a repeat', value: newHostExtra, unit: 'ms', met: newHostExtra <= 5 },
    { target: 'peak RSS ≤ 200 MiB (through the loads)', value: peakLoadsMiB.phonehome, unit: 'MiB', met: peakLoadsMiB.phonehome <= 200 },
    ...(FLOWS > 0 ? [{ target: `peak RSS ≤ 200 MiB (with the ${Math.round(FLOWS / 1000)}k-flow session too)`, value: figures.phonehome!.peakRssMiB ?? NaN, unit: 'MiB', met: (figures.phonehome!.peakRssMiB ?? Infinity) <= 200 }] : []),
    { target: 'event-loop delay p99 ≤ 20 ms (worst load)', value: eventLoopP99, unit: 'ms', met: eventLoopP99 <= 20 },
    ...(FLOWS > 0
      ? [
          { target: `restart on ${storage.flows} flows ≤ 5 s`, value: (storage.restartMs ?? NaN) / 1000, unit: 's', met: (storage.restartMs ?? Infinity) <= 5000 },
          {
            target: 'per-flow store cost flat (last 10k ≤ 1.5× first 10k, store alone)',
            value: ratio(storage.storeBench?.last10kUs ?? NaN, storage.storeBench?.first10kUs ?? NaN),
            unit: '×',
            met: storage.storeBench?.last10kUs !== undefined ? ratio(storage.storeBench.last10kUs, storage.storeBench.first10kUs!) <= 1.5 : null,
          },
          { target: 'small GET req/s at 100k flows ≥ 0.8× the runs (0–50k flows)', value: ratio(storage.smallRpsAtEnd ?? NaN, storage.smallRpsAtStart), unit: '×', met: ratio(storage.smallRpsAtEnd ?? NaN, storage.smallRpsAtStart) >= 0.8 },
        ]
      : []),
  ];

  const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
  const fr = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');
  log('');
  log(`${'measure'.padEnd(36)}${'direct'.padStart(10)}${'phonehome'.padStart(11)}${'mitmproxy'.padStart(11)}${'ph/mitm'.padStart(9)}${'ph/direct'.padStart(11)}`);
  for (const r of rows) log(`${r.measure.padEnd(36)}${fmt(r.direct, r.digits).padStart(10)}${fmt(r.phonehome, r.digits).padStart(11)}${fmt(r.mitmproxy, r.digits).padStart(11)}${fr(ratio(r.phonehome, r.mitmproxy)).padStart(9)}${fr(ratio(r.phonehome, r.direct)).padStart(11)}`);
  const best = (s: System, n: LoadName, key: 'rps' | 'mibPerSecond') => Math.max(...(figures[s]?.loads[n] ?? []).map((r) => r[key]));
  const bestLine = (n: LoadName, key: 'rps' | 'mibPerSecond', label: string) =>
    `${label} ${fmt(best('direct', n, key), 0)} / ${fmt(best('phonehome', n, key), 0)} / ${has3 ? fmt(best('mitmproxy', n, key), 0) : '–'} (ph/mitm ${fr(ratio(best('phonehome', n, key), has3 ? best('mitmproxy', n, key) : NaN))})`;
  log(`best run of ${RUNS} (the least disturbed), direct / phonehome / mitmproxy: ${bestLine('small16', 'rps', 'small GET req/s')} · ${bestLine('post16', 'rps', 'POST req/s')} · ${bestLine('big16', 'mibPerSecond', '1 MiB MiB/s')}`);
  const share = (s: System, n: LoadName) => median(figures[s]?.cpuShare[n] ?? []) * 100;
  for (const s of ['phonehome', 'mitmproxy'] as System[]) {
    if (s === 'mitmproxy' && !has3) continue;
    log(`proxy CPU use (${s}; 100% = one core), per load: ${ALL_LOADS.map((n) => `${n} ${fmt(share(s, n), 0)}%`).join(', ')}`);
    if (cpus.proxy) log(`  other processes on the proxy's CPU meanwhile: ${ALL_LOADS.map((n) => `${n} ${fmt(median(figures[s]?.otherShare[n] ?? []) * 100, 0)}%`).join(', ')}`);
  }
  if (memoryLog.length) {
    log('phonehome memory after each load (MiB): rss / V8 heap used / heap total / array buffers');
    log(`  ${memoryLog.map((m) => `${m.after}: ${mib(m.rss)}/${mib(m.heapUsed)}/${mib(m.heapTotal)}/${mib(m.arrayBuffers)}`).join(' · ')}`);
  }
  log(`event-loop delay p99 (phonehome), per load: ${ALL_LOADS.map((n) => `${n} ${fmt(elWorst(n), 1)} ms`).join(', ')}`);
  if (FLOWS > 0) {
    log(`storage: ${storage.flows} flows, journal ${fmt(storage.journalBytesPerFlow ?? NaN, 0)} B/flow; restart ${fmt(storage.restartMs ?? NaN, 0)} ms (empty: ${fmt(storage.emptyStartMs ?? NaN, 0)} ms); stop + flush ${fmt(storage.stopMs ?? NaN, 0)} ms; small GET ${fmt(storage.smallRpsAtStart, 0)} req/s during the runs → ${fmt(storage.smallRpsAtEnd ?? NaN, 0)} req/s at 100k flows`);
  }
  log('');
  log('targets:');
  for (const t of targets) if (!Number.isFinite(t.value)) t.met = null;
  for (const t of targets) log(`  ${t.met === null ? '?' : t.met ? '✓' : '✗'} ${t.target.padEnd(64)} ${fmt(t.value, 2)} ${t.unit}${t.met === null ? ' (not measured)' : ''}`);
  if (profile) {
    log('');
    printProfileSummary(profile, log);
  }
  log(`\n(${((performance.now() - benchStarted) / 1000).toFixed(0)} s; loads ${loadSeconds.toFixed(0)} s)`);

  if (jsonOut) {
    const json = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, pinning: cpus.note, mitmproxy: mitm?.version ?? null },
      config: { busyBefore: busy, runs: RUNS, seconds: SECONDS, connections: CONNECTIONS, newHosts: NEW_HOSTS, build: buildState, mitmproxy: mitmNote },
      table: rows.map((r) => ({ measure: r.measure, direct: r.direct, phonehome: r.phonehome, mitmproxy: r.mitmproxy, phonehomeVsMitmproxy: ratio(r.phonehome, r.mitmproxy), phonehomeVsDirect: ratio(r.phonehome, r.direct) })),
      eventLoopP99: Object.fromEntries(ALL_LOADS.map((n) => [n, elWorst(n)])),
      storage: { ...storage, storeBench: storage.storeBench ? { ...storage.storeBench, output: undefined } : undefined },
      fileAppend: fileAppend ?? null,
      targets,
      memory: memoryLog,
      runs: figures,
      ...(profile ? { profile } : {}),
    };
    const text = JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
    if (jsonOut === '-') process.stdout.write(`${text}\n`);
    else writeFileSync(jsonOut, `${text}\n`);
  }
  rmSync(root, { recursive: true, force: true });
}

await main();
process.exit(0);
