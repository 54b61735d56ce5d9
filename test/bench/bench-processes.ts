// The processes a benchmark run starts and watches: the phonehome CLI (built, as a separate process, with the
// event-loop probe preloaded), mitmdump when installed, and /proc readings (RSS, peak RSS, CPU time) by PID.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO = new URL('../../', import.meta.url).pathname;
/** The built CLI (PHONEHOME_BENCH_CLI: another build, e.g. a patched copy, to measure a proposed fix). */
export const CLI = process.env.PHONEHOME_BENCH_CLI ?? join(REPO, 'dist', 'cli.js');
const PROBE = new URL('./event-loop-probe.mjs', import.meta.url).pathname;

/** The node flags `npm start` gives phonehome (package.json "start": "node FLAGS dist/cli.js start"): measured as run. */
export function startScriptNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts?: { start?: string } }).scripts?.start ?? '';
  const match = /^node\s+(.*?)\s*dist\/cli\.js\s+start$/.exec(start.trim());
  return match?.[1] ? match[1].split(/\s+/) : [];
}

/** Every process the bench started, killed if the bench itself ends early. */
const children = new Set<ChildProcess>();
function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}
process.once('exit', killChildren);

/** Share of all CPUs busy over `ms` (from /proc/stat), to warn when other work would skew the figures. */
export async function machineBusy(ms = 1000): Promise<number> {
  const read = () => {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = read();
    await new Promise((r) => setTimeout(r, ms));
    const b = read();
    return 1 - (b.idle - a.idle) / (b.total - a.total || 1);
  } catch {
    return NaN;
  }
}

/** Busy CPU seconds of some CPUs ("1", "2-3", "" = all), from /proc/stat, to see what else ran on the proxy's core. */
export function cpuBusySeconds(cpus: string): number {
  const wanted = new Set<string>();
  if (cpus) {
    for (const part of cpus.split(',')) {
      const [a, b] = part.split('-').map(Number);
      for (let c = a!; c <= (b ?? a!); c++) wanted.add(`cpu${c}`);
    }
  } else wanted.add('cpu');
  let busy = 0;
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (!wanted.has(fields[0]!)) continue;
    const n = fields.slice(1).map(Number);
    // user + nice + system, and steal (a hypervisor's contention); not irq/softirq, which loopback traffic of the
    // proxy itself causes and no process is charged for.
    busy += n[0]! + n[1]! + n[2]! + (n[7] ?? 0);
  }
  return busy / TICKS;
}

export function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Prefix for a command pinned to these CPUs ("" = no pinning). */
export function pinned(cpus: string, command: string, args: string[]): [string, string[]] {
  return cpus ? ['taskset', ['-c', cpus, command, ...args]] : [command, args];
}

export interface ProcStats {
  rssKiB: number;
  hwmKiB: number;
  /** user + system CPU seconds so far. */
  cpuSeconds: number;
}

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export function procStats(pid: number): ProcStats | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM'), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS };
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` and keeps the largest value seen. */
export class RssSampler {
  peakKiB = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(
    private readonly pid: number,
    everyMs = 100,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }
  sample(): void {
    const s = procStats(this.pid);
    if (s) this.peakKiB = Math.max(this.peakKiB, s.rssKiB, s.hwmKiB);
  }
  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface ProbeSnapshot {
  seq: number;
  p50: number;
  p99: number;
  max: number;
  count: number;
  memory?: { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
}

export interface PhonehomeProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  dashboard: string;
  token: string;
  caPem: string;
  /** ms from spawn to the "proxy listening" line. */
  startMs: number;
  stderr: () => string;
  /** Event-loop delay since the previous call (ms), from the preloaded probe. */
  eventLoop(): Promise<ProbeSnapshot>;
  /** SIGTERM, and resolves with ms until the process has flushed and exited. */
  stop(): Promise<number>;
}

export interface PhonehomeOptions {
  cpus: string;
  dataDir: string;
  certsDir: string;
  profileFile: string;
  mapHosts: string[];
  upstreamCa: string;
  probeFile: string;
  cpuProfDir?: string;
  /** More `phonehome start` flags (e.g. --max-body 0, to see what capture costs). */
  extraArgs?: string[];
  /** Flags for phonehome's node process (V8 heap experiments). */
  nodeArgs?: string[];
}

export async function startPhonehomeProcess(options: PhonehomeOptions): Promise<PhonehomeProcess> {
  const token = 'bench-token-0123456789abcdef';
  const nodeArgs = [...startScriptNodeFlags(), ...(options.nodeArgs ?? []), '--import', pathToFileURL(PROBE).href];
  if (options.cpuProfDir) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfDir);
  const cliArgs = ['start', '--port', '0', '--ui-port', '0', '--listen', '127.0.0.1', '--data', options.dataDir, '--certs', options.certsDir, '--profile', options.profileFile, '--upstream-ca', options.upstreamCa, '--token', token];
  for (const m of options.mapHosts) cliArgs.push('--map-host', m);
  cliArgs.push(...(options.extraArgs ?? []));
  const [command, args] = pinned(options.cpus, process.execPath, [...nodeArgs, CLI, ...cliArgs]);
  const started = performance.now();
  const child = track(spawn(command, args, { env: { ...process.env, PHONEHOME_BENCH_PROBE: options.probeFile, PHONEHOME_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  const ready = await new Promise<{ port: number; dashboard: string; caPath: string }>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const port = /proxy listening on .*:(\d+)/.exec(stdout);
      const dashboard = /dashboard on (http:\/\/\S+?)\/\?token=/.exec(stdout);
      const ca = /CA certificate: (.+)/.exec(stdout);
      if (port && dashboard && ca) resolve({ port: Number(port[1]), dashboard: dashboard[1]!, caPath: ca[1]!.trim() });
    });
    void exited.then((code) => reject(new Error(`phonehome exited with ${code} before it was ready:\n${stderr}`)));
  });
  const startMs = performance.now() - started;
  let seq = 0;
  return {
    child,
    pid: child.pid!,
    port: ready.port,
    dashboard: ready.dashboard,
    token,
    caPem: readFileSync(ready.caPath, 'utf8'),
    startMs,
    stderr: () => stderr,
    async eventLoop() {
      const want = ++seq;
      child.kill('SIGUSR2');
      let snapshot: ProbeSnapshot | undefined;
      await waitFor(
        () => {
          try {
            snapshot = JSON.parse(readFileSync(options.probeFile, 'utf8')) as typeof snapshot;
            return snapshot!.seq >= want;
          } catch {
            return false;
          }
        },
        10_000,
        'the event-loop probe',
      );
      return snapshot!;
    },
    async stop() {
      const t = performance.now();
      child.kill('SIGTERM');
      await exited;
      return performance.now() - t;
    },
  };
}

export interface MitmdumpProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  caPem: string;
  version: string;
  stop(): Promise<void>;
}

/**
 * mitmdump, pinned like phonehome, quiet (-q: no per-flow console output) and storing nothing: the lightest
 * configuration mitmproxy has. It verifies the origin with the origin's CA, as phonehome does.
 */
export async function startMitmdump(cpus: string, confDir: string, upstreamCa: string): Promise<MitmdumpProcess> {
  const version = /Mitmproxy:\s*(\S+)/.exec(spawnSync('mitmdump', ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? '?';
  const port = await freePort();
  const [command, args] = pinned(cpus, 'mitmdump', ['-q', '--listen-host', '127.0.0.1', '--listen-port', String(port), '--set', `confdir=${confDir}`, '--set', `ssl_verify_upstream_trusted_ca=${upstreamCa}`]);
  const child = track(spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] }));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const caFile = join(confDir, 'mitmproxy-ca-cert.pem');
  await waitFor(async () => existsSync(caFile) && (await portOpen(port)), 30_000, `mitmdump on port ${port}: ${stderr}`);
  return {
    child,
    pid: child.pid!,
    port,
    caPem: readFileSync(caFile, 'utf8'),
    version,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
