// Starts a real phonehome (proxy + store + dashboard, the wiring `phonehome start` uses) on free ports with
// temporary folders, and maps test hostnames to a local origin.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPhonehome, type RunningPhonehome, type StartOptions } from '../../src/app/phonehome-app.js';
import type { Logger } from '../../src/types/index.js';
import type { TestOrigin } from './test-origin.js';

export const TEST_TOKEN = 'test-token-0123456789abcdef';
export const TEST_HOSTS = ['api.xiaomi.test', 'api.example.test', 'pinned.test', 'other.test', 'ws.test'];

export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface TestPhonehome {
  running: RunningPhonehome;
  proxyUrl: string;
  dashboard: string;
  caFile: string;
  dataDir: string;
  certsDir: string;
  stop(): Promise<void>;
}

export async function startTestPhonehome(origin: TestOrigin, overrides: Partial<StartOptions> = {}): Promise<TestPhonehome> {
  const root = mkdtempSync(join(tmpdir(), 'phonehome-test-'));
  const dataDir = overrides.dataDir ?? join(root, 'data');
  const certsDir = overrides.certsDir ?? join(root, 'certs');
  const mapHosts = TEST_HOSTS.flatMap((h) => [`${h}:443=127.0.0.1:${origin.httpsPort}`, `${h}:80=127.0.0.1:${origin.httpPort}`]);
  const running = await startPhonehome({
    port: 0,
    listen: '127.0.0.1',
    uiPort: 0,
    uiHost: '127.0.0.1',
    dataDir,
    certsDir,
    profileFiles: [],
    mapHosts,
    upstreamCaFiles: [origin.caFile],
    insecureUpstream: false,
    passthrough: [],
    autoPassthrough: true,
    token: TEST_TOKEN,
    maxBodyBytes: 10 * 1024 * 1024,
    upstreamTimeoutMs: 60_000,
    logger: quietLogger,
    ...overrides,
  });
  const dashboard = new URL(running.dashboardUrl).origin;
  return {
    running,
    proxyUrl: `http://127.0.0.1:${running.proxyAddress.port}`,
    dashboard,
    caFile: running.ca.certPath,
    dataDir,
    certsDir,
    async stop() {
      await running.stop();
      if (!overrides.dataDir) rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface CurlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real curl binary; never throws on a failed transfer (the exit code says). */
export function curl(args: string[], timeoutMs = 20_000): Promise<CurlResult> {
  return new Promise((resolve) => {
    execFile('curl', ['-sS', '--max-time', String(timeoutMs / 1000), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** GET an API route of the dashboard with the token. */
export async function api<T>(ph: TestPhonehome, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${ph.dashboard}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(init.headers ?? {}) } });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Polls until check() returns a value (flows reach the store asynchronously, within a second). */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
