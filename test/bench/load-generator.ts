// A small closed-loop HTTPS load generator that speaks to a proxy the way a phone does: CONNECT, then TLS inside the
// tunnel (verifying the proxy's CA), then HTTP/1.1 keep-alive requests, one at a time per connection. Without a
// proxy it opens TLS straight to the origin, with the same SNI and Host, so "direct" is the same client doing the
// same work minus the proxy.
//
// Each connection is a raw TLS socket with a minimal HTTP/1.1 response parser (Content-Length and chunked), not
// node:http: the generator shares a core with the origin, so it must cost as little per request as possible.
// runLoad() spreads the connections over worker threads (load-worker.ts) so it is not bound to one event loop.
import net from 'node:net';
import tls from 'node:tls';
import { Worker } from 'node:worker_threads';

export interface Target {
  /** TCP port to connect to on 127.0.0.1: the origin (direct) or the proxy. */
  port: number;
  /** When set, a CONNECT for this authority ("host:port") is sent first: the port above is a proxy. */
  tunnel?: string;
  /** SNI and Host header. */
  servername: string;
  /** PEM CA certificates to trust (the origin's CA direct, the proxy's CA through a proxy). */
  ca: string;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: Uint8Array;
  contentType?: string;
}

export interface LoadSpec {
  target: Target;
  request: RequestSpec;
  connections: number;
  threads: number;
  warmupMs: number;
  durationMs: number;
  /** Open loop: this many requests per second over all connections, on a fixed schedule (absent: closed loop). */
  ratePerSecond?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  /** Response body bytes received in the measured window. */
  bodyBytes: number;
  rps: number;
  mibPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  firstError?: string;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function requestHead(spec: RequestSpec, host: string): Buffer {
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`, `Host: ${host}`, 'User-Agent: phonehome-bench/1', 'Accept: */*', 'Connection: keep-alive'];
  if (spec.body) {
    lines.push(`Content-Type: ${spec.contentType ?? 'application/octet-stream'}`, `Content-Length: ${spec.body.length}`);
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return spec.body ? Buffer.concat([head, spec.body]) : head;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/** Opens a TCP connection (and a CONNECT tunnel through a proxy when asked), then TLS. */
export function openTls(target: Target): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const raw = net.connect({ host: '127.0.0.1', port: target.port, noDelay: true });
    raw.once('error', reject);
    const startTls = (head?: Buffer) => {
      if (head && head.length) raw.unshift(head);
      const secure = tls.connect({ socket: raw, servername: target.servername, ca: target.ca });
      secure.once('secureConnect', () => {
        raw.removeListener('error', reject);
        secure.removeListener('error', reject);
        resolve(secure);
      });
      secure.once('error', reject);
    };
    if (!target.tunnel) {
      raw.once('connect', () => startTls());
      return;
    }
    raw.once('connect', () => raw.write(`CONNECT ${target.tunnel} HTTP/1.1\r\nHost: ${target.tunnel}\r\n\r\n`));
    let got = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      const end = got.indexOf(CRLFCRLF);
      if (end < 0) return;
      raw.removeListener('data', onData);
      raw.pause();
      const status = got.subarray(0, got.indexOf(CRLF)).toString('latin1');
      if (!/^HTTP\/1\.[01] 200/.test(status)) {
        raw.destroy();
        reject(new Error(`CONNECT ${target.tunnel}: ${status}`));
        return;
      }
      startTls(got.subarray(end + 4));
    };
    raw.on('data', onData);
  });
}

type ParseState = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailer' | 'until-close';

/** One keep-alive connection: send a request, parse the response, resolve with the body size. */
export class BenchConnection {
  private state: ParseState = 'head';
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private bodyBytes = 0;
  private status = 0;
  private resolveResponse: ((bytes: number) => void) | undefined;
  private rejectResponse: ((error: Error) => void) | undefined;
  closed = false;

  private constructor(private readonly socket: tls.TLSSocket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (error: Error) => {
      this.closed = true;
      const reject = this.rejectResponse;
      this.resolveResponse = this.rejectResponse = undefined;
      if (reject) reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static async open(target: Target): Promise<BenchConnection> {
    return new BenchConnection(await openTls(target));
  }

  /** Sends one request (pre-serialised head + body) and resolves with the response body size. */
  send(request: Buffer): Promise<number> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    this.state = 'head';
    this.pending = Buffer.alloc(0);
    this.bodyBytes = 0;
    return new Promise((resolve, reject) => {
      this.resolveResponse = resolve;
      this.rejectResponse = reject;
      this.socket.write(request);
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private finish(): void {
    const resolve = this.resolveResponse;
    const reject = this.rejectResponse;
    this.resolveResponse = this.rejectResponse = undefined;
    if (this.status >= 200 && this.status < 400) resolve?.(this.bodyBytes);
    else reject?.(new Error(`HTTP ${this.status}`));
  }

  private onData(chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0 && this.resolveResponse) {
      switch (this.state) {
        case 'head': {
          this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
          const end = this.pending.indexOf(CRLFCRLF);
          if (end < 0) return;
          const head = this.pending.subarray(0, end).toString('latin1');
          data = this.pending.subarray(end + 4);
          this.pending = Buffer.alloc(0);
          this.status = Number(head.slice(9, 12));
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) this.state = 'chunk-size';
          else if (length) {
            this.remaining = Number(length[1]);
            this.state = 'length';
            if (this.remaining === 0) return this.finish();
          } else if (this.status === 204 || this.status === 304) return this.finish();
          else this.state = 'until-close';
          break;
        }
        case 'length': {
          const take = Math.min(this.remaining, data.length);
          this.remaining -= take;
          this.bodyBytes += take;
          data = data.subarray(take);
          if (this.remaining === 0) return this.finish();
          break;
        }
        case 'chunk-size':
        case 'trailer': {
          this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
          const end = this.pending.indexOf(CRLF);
          if (end < 0) return;
          const line = this.pending.subarray(0, end).toString('latin1');
          data = this.pending.subarray(end + 2);
          this.pending = Buffer.alloc(0);
          if (this.state === 'trailer') {
            if (line === '') return this.finish();
          } else {
            this.remaining = parseInt(line, 16);
            this.state = this.remaining === 0 ? 'trailer' : 'chunk-data';
          }
          break;
        }
        case 'chunk-data': {
          const take = Math.min(this.remaining, data.length);
          this.remaining -= take;
          this.bodyBytes += take;
          data = data.subarray(take);
          if (this.remaining === 0) {
            this.state = 'chunk-crlf';
            this.remaining = 2;
          }
          break;
        }
        case 'chunk-crlf': {
          const take = Math.min(this.remaining, data.length);
          this.remaining -= take;
          data = data.subarray(take);
          if (this.remaining === 0) this.state = 'chunk-size';
          break;
        }
        case 'until-close':
          this.bodyBytes += data.length;
          return;
      }
    }
  }
}

export interface WorkerInput {
  target: Target;
  request: RequestSpec;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Paced: each connection sends one request every intervalMs (absent: the next as soon as the last ended). */
  intervalMs?: number;
}

export interface WorkerOutput {
  requests: number;
  errors: number;
  bodyBytes: number;
  seconds: number;
  latencies: Float64Array;
  firstError?: string;
}

/** The closed loop one worker runs: its connections, each sending the next request when the last one ended. */
export async function runConnections(input: WorkerInput): Promise<WorkerOutput> {
  const payload = requestHead(input.request, input.target.servername);
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  let bodyBytes = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const measureFrom = t0 + input.warmupMs;
  const stopAt = measureFrom + input.durationMs;
  const interval = input.intervalMs;
  const loop = async () => {
    let connection: BenchConnection | undefined;
    // Paced (as wrk2 does): requests are due on a fixed schedule, spread over the interval. One that is due while the
    // previous is still out is timed from when it was due, so a slow proxy cannot hide its queue (coordinated
    // omission); one sent on time is timed from its send, so this generator's own timer lateness is not counted.
    let due = interval ? t0 + Math.random() * interval : 0;
    let previousEnded = 0;
    while (performance.now() < stopAt) {
      try {
        if (interval) {
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (performance.now() >= stopAt) break;
        }
        if (!connection || connection.closed) connection = await BenchConnection.open(input.target);
        const sent = performance.now();
        const started = interval && previousEnded > due ? due : sent;
        if (interval) due += interval;
        const bytes = await connection.send(payload);
        const ended = performance.now();
        previousEnded = ended;
        if (started >= measureFrom && ended <= stopAt) {
          latencies.push(ended - started);
          requests++;
          bodyBytes += bytes;
        }
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
        connection?.close();
        connection = undefined;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    connection?.close();
  };
  await Promise.all(Array.from({ length: input.connections }, loop));
  const seconds = input.durationMs / 1000;
  return { requests, errors, bodyBytes, seconds, latencies: Float64Array.from(latencies), ...(firstError ? { firstError } : {}) };
}

// Node 20 does not run --import hooks in worker threads: the worker registers tsx itself, then loads the script.
const WORKER_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then(({ register }) => { register(); return import(workerData.script); });
`;

/** Runs a load over `connections` keep-alive connections spread over `threads` worker threads: closed loop, or paced. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const threads = Math.max(1, Math.min(spec.threads, spec.connections));
  const outputs = await Promise.all(
    Array.from({ length: threads }, (_, i) => {
      const connections = Math.floor(spec.connections / threads) + (i < spec.connections % threads ? 1 : 0);
      const input: WorkerInput = { target: spec.target, request: spec.request, connections, warmupMs: spec.warmupMs, durationMs: spec.durationMs };
      if (spec.ratePerSecond) input.intervalMs = (spec.connections * 1000) / spec.ratePerSecond;
      return new Promise<WorkerOutput>((resolve, reject) => {
        const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: { input, script: new URL('./load-worker.ts', import.meta.url).href } });
        worker.once('message', (output: WorkerOutput) => resolve(output));
        worker.once('error', reject);
        worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load worker exited with ${code}`))));
      });
    }),
  );
  const all = new Float64Array(outputs.reduce((n, o) => n + o.latencies.length, 0));
  let offset = 0;
  for (const o of outputs) {
    all.set(o.latencies, offset);
    offset += o.latencies.length;
  }
  all.sort();
  const requests = outputs.reduce((n, o) => n + o.requests, 0);
  const bodyBytes = outputs.reduce((n, o) => n + o.bodyBytes, 0);
  const seconds = spec.durationMs / 1000;
  const firstError = outputs.find((o) => o.firstError)?.firstError;
  return {
    requests,
    errors: outputs.reduce((n, o) => n + o.errors, 0),
    seconds,
    bodyBytes,
    rps: requests / seconds,
    mibPerSecond: bodyBytes / 1024 / 1024 / seconds,
    p50: percentile(all, 50),
    p90: percentile(all, 90),
    p99: percentile(all, 99),
    max: all.length ? all[all.length - 1]! : NaN,
    ...(firstError ? { firstError } : {}),
  };
}

/**
 * The cost of a fresh connection to a host: TCP (+ CONNECT) + TLS + one small GET, timed from the first byte to
 * the end of the response. Called twice per never-seen host, the first pays for the proxy's certificate issuance.
 */
export async function timeFreshRequest(target: Target, path: string): Promise<number> {
  const started = performance.now();
  const connection = await BenchConnection.open(target);
  try {
    await connection.send(requestHead({ method: 'GET', path }, target.servername));
    return performance.now() - started;
  } finally {
    connection.close();
  }
}
