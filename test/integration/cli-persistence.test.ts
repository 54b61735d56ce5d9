// The built CLI as a user runs it: printed lines, restart persistence, a clean SIGTERM, kill -9 under load,
// and clear errors for an unwritable data folder and bad flags.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js';
import { curl, TEST_HOSTS } from '../helpers/test-phonehome.js';
import type { FlowSummary } from '../../src/types/index.js';

const CLI = join(import.meta.dirname, '../../dist/cli.js');

interface Started {
  child: ChildProcess;
  proxy: string;
  dashboard: string;
  token: string;
  caFile: string;
  output: () => string;
}

function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [CLI, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PHONEHOME_TOKEN: '' } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start lines:\n${out}`)), 15_000);
    const check = () => {
      const proxy = /proxy listening on (\S+)/.exec(out)?.[1];
      const dash = /dashboard on (http:\/\/[^/]+)\/\?token=([A-Za-z0-9_.~-]+)/.exec(out);
      const ca = /CA certificate: (\S+)/.exec(out)?.[1];
      if (proxy && dash && ca) {
        clearTimeout(timer);
        resolve({ child, proxy: `http://${proxy}`, dashboard: dash[1]!, token: dash[2]!, caFile: ca, output: () => out });
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}:\n${out}`));
    });
  });
}

function runCli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

async function flowsOf(s: Started): Promise<FlowSummary[]> {
  const response = await fetch(`${s.dashboard}/api/flows?limit=1000`, { headers: { authorization: `Bearer ${s.token}` } });
  return ((await response.json()) as { flows: FlowSummary[] }).flows;
}

function exited(child: ChildProcess): Promise<number | null> {
  // A child killed by a signal keeps exitCode null: check signalCode too, or a past exit is waited for forever.
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

describe('phonehome start (the built CLI)', () => {
  let origin: TestOrigin;
  let root: string;
  let args: string[];

  before(async () => {
    origin = await startOrigin();
    root = mkdtempSync(join(tmpdir(), 'phonehome-cli-'));
    args = ['--port', '0', '--ui-port', '0', '--listen', '127.0.0.1', '--data', join(root, 'data'), '--certs', join(root, 'certs'), '--upstream-ca', origin.caFile];
    for (const host of TEST_HOSTS) args.push('--map-host', `${host}:443=127.0.0.1:${origin.httpsPort}`, '--map-host', `${host}:80=127.0.0.1:${origin.httpPort}`);
  });
  after(async () => {
    await origin.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('prints its addresses, keeps flows across a SIGTERM restart, and reuses the CA', async () => {
    const first = await startCli(args);
    assert.match(first.output(), /proxy listening on 127\.0\.0\.1:\d+/);
    assert.equal(statSync(join(root, 'certs', 'phonehome-ca-key.pem')).mode & 0o777, 0o600);
    for (let i = 0; i < 5; i++) {
      const r = await curl(['-x', first.proxy, '--cacert', first.caFile, `https://api.xiaomi.test/echo?restart=${i}`]);
      assert.equal(r.code, 0, r.stderr);
    }
    await new Promise((r) => setTimeout(r, 200));
    const caBefore = (await fetch(`${first.dashboard}/ca.pem`)).text();
    first.child.kill('SIGTERM');
    assert.equal(await exited(first.child), 0);

    const second = await startCli(args);
    try {
      const flows = await flowsOf(second);
      assert.equal(flows.filter((f) => f.path.startsWith('/echo?restart=')).length, 5);
      assert.equal(await (await fetch(`${second.dashboard}/ca.pem`)).text(), await caBefore);
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });

  it('after kill -9 under load, every flow completed ≥ 1 s before the kill is there', async () => {
    const running = await startCli(args);
    const completedAt = new Map<string, number>();
    let stop = false;
    const load = (async () => {
      for (let i = 0; !stop && i < 2000; i++) {
        const path = `/echo?load=${i}`;
        const r = await curl(['-x', running.proxy, '--cacert', running.caFile, `https://api.xiaomi.test${path}`], 5_000);
        if (r.code === 0) completedAt.set(path, Date.now());
      }
    })();
    await new Promise((r) => setTimeout(r, 2_500));
    const killedAt = Date.now();
    running.child.kill('SIGKILL');
    stop = true;
    await load;
    await exited(running.child);

    const restarted = await startCli(args);
    try {
      const stored = new Set((await flowsOf(restarted)).map((f) => f.path));
      const due = [...completedAt].filter(([, at]) => at <= killedAt - 1_000).map(([path]) => path);
      assert.ok(due.length > 5, `only ${due.length} flows completed early enough`);
      const missing = due.filter((p) => !stored.has(p));
      const recovered = [...completedAt.keys()].filter((p) => stored.has(p)).length;
      console.log(`kill -9: ${completedAt.size} flows completed before the kill, ${due.length} of them ≥ 1 s before, ${due.length - missing.length} of those recovered (${recovered} recovered in all)`);
      assert.deepEqual(missing, []);
    } finally {
      restarted.child.kill('SIGTERM');
      await exited(restarted.child);
    }
  });

  it('an unwritable data folder is a clear error at start', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const result = await runCli(['start', '--port', '0', '--ui-port', '0', '--data', join(file, 'data'), '--certs', join(root, 'certs')]);
    assert.equal(result.code, 2);
    assert.match(result.out, /phonehome: data folder .*a-file\/data/);
    assert.doesNotMatch(result.out, /\n\s+at /, 'no stack trace for a user mistake');
  });

  it('bad flags and bad profiles are refused with the reason', async () => {
    const badPort = await runCli(['start', '--port', 'abc']);
    assert.equal(badPort.code, 2);
    assert.match(badPort.out, /--port must be an integer/);
    const badMap = await runCli(['start', '--port', '0', '--ui-port', '0', '--data', join(root, 'd2'), '--certs', join(root, 'certs'), '--map-host', 'nonsense']);
    assert.equal(badMap.code, 2);
    assert.match(badMap.out, /--map-host "nonsense"/);
    const profile = join(root, 'bad-profile.json');
    writeFileSync(profile, JSON.stringify({ name: 'x', imeii: ['1'] }));
    const badProfile = await runCli(['start', '--port', '0', '--ui-port', '0', '--data', join(root, 'd3'), '--certs', join(root, 'certs'), '--profile', profile]);
    assert.equal(badProfile.code, 2);
    assert.match(badProfile.out, /imeii/);
  });

  it('phonehome ca prints the CA path and its SHA-256 fingerprint', async () => {
    const result = await runCli(['ca', '--certs', join(root, 'certs')]);
    assert.equal(result.code, 0);
    assert.match(result.out, /phonehome-ca\.pem\nSHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\n/);
  });
});
