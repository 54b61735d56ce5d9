// Soak run: `npm run soak -- --minutes N` (default 1). Steady HTTP and HTTPS load from 20 "devices"
// (source addresses 127.0.0.2–21) to 200 hosts, with a burst of hostile input every 10 s, against the built CLI
// in its own process. Reports the proxy's RSS and open file descriptors at start and end: growth beyond the
// caches' bounds (leaf cache, keep-alive pools) would be a leak.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { startOrigin } from '../helpers/test-origin.js';
import { rawExchange } from '../helpers/proxy-clients.js';
import { hostileInputs, prng } from '../helpers/hostile-inputs.js';
import { startScriptNodeFlags } from './bench-processes.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '1' } } });
const minutes = Number(values.minutes);
const CLI = join(import.meta.dirname, '../../dist/cli.js');

function procStatus(pid: number): { rssMiB: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  return { rssMiB: rss, fds: readdirSync(`/proc/${pid}/fd`).length };
}

const failures = new Map<string, number>();
function failure(reason: string): false {
  failures.set(reason, (failures.get(reason) ?? 0) + 1);
  return false;
}

function plainRequest(proxyPort: number, host: string, device: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, localAddress: device, path: `http://${host}/echo?soak=1`, headers: { host, 'content-type': 'application/json' }, method: 'POST', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 || failure(`http status ${res.statusCode}`)));
    });
    req.on('error', (e) => resolve(failure(`http ${e.message}`)));
    req.end(JSON.stringify({ imei: '865432100123457', tel: '+8613812345678' }));
  });
}

function tlsRequest(proxyPort: number, host: string, device: string, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: proxyPort, localAddress: device });
    socket.on('error', (e) => resolve(failure(`tunnel ${e.message}`)));
    socket.write(`CONNECT ${host}:443 HTTP/1.1\r\nHost: ${host}:443\r\n\r\n`);
    socket.once('data', () => {
      const secure = tls.connect({ socket, servername: host, ca }, () => {
        secure.write(`GET /small HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      });
      let reply = '';
      secure.on('data', (d: Buffer) => (reply += d.toString('latin1')));
      secure.on('error', (e) => resolve(failure(`tls ${e.message}`)));
      secure.on('close', () => resolve(reply.startsWith('HTTP/1.1 200') || failure(`https reply ${reply.slice(0, 30).replace(/\r?\n.*/s, '')}`)));
    });
  });
}

async function main(): Promise<void> {
  const origin = await startOrigin();
  const root = mkdtempSync(join(tmpdir(), 'phonehome-soak-'));
  writeFileSync(join(root, 'profile.json'), JSON.stringify({ name: 'soak phone', imei: ['865432100123457'], phoneNumbers: ['+8613812345678'] }));
  const child = spawn(process.execPath, [...startScriptNodeFlags(), CLI, 'start', '--port', '0', '--ui-port', '0', '--listen', '127.0.0.1', '--data', join(root, 'data'), '--certs', join(root, 'certs'),
    '--profile', join(root, 'profile.json'), '--upstream-ca', origin.caFile, '--map-host', `*.soak.test:443=127.0.0.1:${origin.httpsPort}`, '--map-host', `*.soak.test:80=127.0.0.1:${origin.httpPort}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const proxyPort = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const port = /proxy listening on [^\s]*:(\d+)/.exec(out)?.[1];
      if (port) {
        clearInterval(timer);
        resolve(Number(port));
      }
    }, 50);
    child.once('exit', () => reject(new Error(`phonehome exited:\n${out}`)));
  });
  const ca = readFileSync(join(root, 'certs', 'phonehome-ca.pem'), 'utf8');
  const random = prng(7);
  const hosts = Array.from({ length: 200 }, (_, i) => `h${i}.soak.test`);
  const devices = Array.from({ length: 20 }, (_, i) => `127.0.0.${i + 2}`);
  let ok = 0;
  let failed = 0;
  let hostile = 0;
  const deadline = Date.now() + minutes * 60_000;
  const worker = async () => {
    while (Date.now() < deadline) {
      const host = hosts[Math.floor(random() * hosts.length)]!;
      const device = devices[Math.floor(random() * devices.length)]!;
      const good = random() < 0.5 ? await plainRequest(proxyPort, host, device) : await tlsRequest(proxyPort, host, device, ca);
      if (good) ok++;
      else failed++;
    }
  };
  const fuzzer = async () => {
    while (Date.now() < deadline) {
      await Promise.all(hostileInputs(random, 14).map((input) => rawExchange(proxyPort, input.bytes, 1_000)));
      hostile += 14;
      await new Promise((r) => setTimeout(r, 10_000));
    }
  };
  await new Promise((r) => setTimeout(r, 1_000));
  const start = procStatus(child.pid!);
  let peak = start.rssMiB;
  const sampler = setInterval(() => (peak = Math.max(peak, procStatus(child.pid!).rssMiB)), 1_000);
  await Promise.all([...Array.from({ length: 8 }, worker), fuzzer()]);
  await new Promise((r) => setTimeout(r, 6_000)); // keep-alive pools drain (5 s)
  clearInterval(sampler);
  const end = procStatus(child.pid!);
  console.log(`\nsoak: ${minutes} min, ${ok} requests served, ${failed} failed, ${hostile} hostile inputs, ${hosts.length} hosts, ${devices.length} devices`);
  if (failures.size > 0) console.log('failures:', Object.fromEntries(failures));
  console.log('measure'.padEnd(22) + 'start'.padStart(10) + 'end'.padStart(10) + 'peak'.padStart(10));
  console.log('RSS (MiB)'.padEnd(22) + start.rssMiB.toFixed(1).padStart(10) + end.rssMiB.toFixed(1).padStart(10) + peak.toFixed(1).padStart(10));
  console.log('open descriptors'.padEnd(22) + String(start.fds).padStart(10) + String(end.fds).padStart(10));
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await origin.close();
  rmSync(root, { recursive: true, force: true });
  if (failed > 0) process.exitCode = 1;
}

await main();
