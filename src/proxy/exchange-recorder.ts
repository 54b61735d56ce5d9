// Builds one Flow record while its exchange streams through the proxy: headers as they travelled, capped body
// copies, timings. Completion is idempotent: the first of "finished", "failed" or "aborted" wins.
import { randomUUID } from 'node:crypto';
import type { CapturedFlow, Flow, FlowError, FlowScheme, HeaderPair, TlsInfo } from '../types/index.js';
import { BodyCapture } from './body-capture.js';
import type { CaptureBufferPool } from './capture-buffer-pool.js';
import { formatHost } from './host-port.js';

export interface ExchangeStart {
  sessionId: string;
  device: string;
  scheme: FlowScheme;
  method: string;
  host: string;
  port: number;
  /** Path and query as requested. */
  path: string;
  httpVersion: string;
  rawHeaders: string[];
  tls?: TlsInfo;
  maxBodyBytes: number;
  /** Where the body copies' buffers come from. */
  bufferPool: CaptureBufferPool;
}

/** Pairs a raw [name, value, name, value…] list, keeping the order and case that travelled. */
export function pairHeaders(raw: readonly string[]): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

function headerValue(headers: HeaderPair[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** The URL as the phone asked for it; `webSocket` gives ws:// or wss:// (default ports as for http/https). */
export function absoluteUrl(scheme: FlowScheme, host: string, port: number, path: string, webSocket = false): string {
  const defaultPort = scheme === 'https' ? 443 : 80;
  const authority = port === defaultPort ? formatHost(host) : `${formatHost(host)}:${port}`;
  const urlScheme = webSocket ? (scheme === 'https' ? 'wss' : 'ws') : scheme;
  return `${urlScheme}://${authority}${path.startsWith('/') ? path : `/${path}`}`;
}

export class ExchangeRecorder {
  readonly id = randomUUID();
  readonly requestBody: BodyCapture;
  readonly responseBody: BodyCapture;
  private readonly startedAt = Date.now();
  private readonly startedHr = performance.now();
  private connectMs = -1;
  private tlsMs = -1;
  private requestSentHr: number | undefined;
  private responseStartHr: number | undefined;
  private responseEndHr: number | undefined;
  private serverIp: string | undefined;
  private response: Flow['response'];
  private error: FlowError | undefined;
  private completed = false;

  constructor(
    private readonly start: ExchangeStart,
    private readonly onComplete: (captured: CapturedFlow) => void,
  ) {
    this.requestBody = new BodyCapture(start.maxBodyBytes, start.bufferPool);
    this.responseBody = new BodyCapture(start.maxBodyBytes, start.bufferPool);
    this.requestBody.expect(announcedLength(start.rawHeaders));
  }

  get isComplete(): boolean {
    return this.completed;
  }

  /** Connection phases of a NEW upstream socket (a reused one keeps -1, as HAR expects). */
  setConnectTimings(connectMs: number, tlsMs: number): void {
    this.connectMs = connectMs;
    this.tlsMs = tlsMs;
  }

  setServerIp(address: string | undefined): void {
    if (address) this.serverIp = address;
  }

  requestSent(): void {
    this.requestSentHr ??= performance.now();
  }

  responseStarted(status: number, statusText: string, httpVersion: string, rawHeaders: string[]): void {
    this.requestSent();
    this.responseStartHr = performance.now();
    const headers = pairHeaders(rawHeaders);
    this.response = {
      status,
      statusText,
      httpVersion: `HTTP/${httpVersion}`,
      headers,
      body: { size: 0, captured: 0, truncated: false },
    };
    const encoding = headerValue(headers, 'content-encoding');
    if (encoding) this.response.body.contentEncoding = encoding;
    this.responseBody.expect(announcedLength(rawHeaders));
  }

  /** Records why the exchange failed; completion follows when the client side closes. */
  fail(error: FlowError): void {
    this.error ??= error;
  }

  /** Emits the flow once. Called when the phone's side of the exchange closes, finished or not. */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    const now = performance.now();
    this.responseEndHr ??= now;
    const requestHeaders = pairHeaders(this.start.rawHeaders);
    const requestEncoding = headerValue(requestHeaders, 'content-encoding');
    const sent = this.requestSentHr ?? now;
    const flow: Flow = {
      id: this.id,
      sessionId: this.start.sessionId,
      kind: 'exchange',
      device: this.start.device,
      startedAt: this.startedAt,
      scheme: this.start.scheme,
      host: this.start.host,
      port: this.start.port,
      request: {
        method: this.start.method,
        url: absoluteUrl(this.start.scheme, this.start.host, this.start.port, this.start.path),
        httpVersion: `HTTP/${this.start.httpVersion}`,
        headers: requestHeaders,
        body: {
          size: this.requestBody.size,
          captured: this.requestBody.captured,
          truncated: this.requestBody.truncated,
          ...(requestEncoding ? { contentEncoding: requestEncoding } : {}),
        },
      },
      timings: {
        connect: round(this.connectMs),
        tls: round(this.tlsMs),
        // Connecting (and TLS) to a new upstream happens before the request can be sent: not counted twice.
        send: round(Math.max(0, sent - this.startedHr - Math.max(0, this.connectMs) - Math.max(0, this.tlsMs))),
        wait: this.responseStartHr === undefined ? -1 : round(Math.max(0, this.responseStartHr - sent)),
        receive: this.responseStartHr === undefined ? -1 : round(Math.max(0, this.responseEndHr - this.responseStartHr)),
        total: round(now - this.startedHr),
      },
    };
    if (this.response) {
      this.response.body.size = this.responseBody.size;
      this.response.body.captured = this.responseBody.captured;
      this.response.body.truncated = this.responseBody.truncated;
      flow.response = this.response;
    }
    if (this.serverIp) flow.serverIp = this.serverIp;
    if (this.start.tls) flow.tls = this.start.tls;
    if (this.error) flow.error = this.error;
    const { requestBody, responseBody } = this;
    this.onComplete({
      flow,
      requestBody: requestBody.bytes(),
      responseBody: responseBody.bytes(),
      // Holds the two captures only, not this recorder: it waits in the store's queue until the bodies are on disk.
      release: () => {
        requestBody.release();
        responseBody.release();
      },
    });
  }

  /** Marks the end of the response body as it passed through. */
  responseEnded(): void {
    this.responseEndHr ??= performance.now();
  }
}

function round(ms: number): number {
  return ms < 0 ? -1 : Math.round(ms * 1000) / 1000;
}

/** The Content-Length a raw [name, value, …] header list announces (NaN when absent or not a plain number). */
function announcedLength(rawHeaders: readonly string[]): number {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === 14 && rawHeaders[i]!.toLowerCase() === 'content-length') {
      const value = rawHeaders[i + 1]!;
      return /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    }
  }
  return NaN;
}
