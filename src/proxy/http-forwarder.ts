// Forwards one intercepted HTTP exchange upstream and streams the answer back, copying both bodies into the
// exchange's recorder on the way. This replaces http-mitm-proxy's per-request pipeline (defect 11 in
// intercepting-proxy.ts): per request it built a context with ~25 closures and 13 handler lists, ran every stage
// through async.forEach, and piped each body through a filter stream whose write() always returned true; its
// response also dropped the upstream's status text and the headers' case. Here a request costs two listeners per
// stream, backpressure is the writers' own, and headers travel as the raw list, in order and case.
import http, { type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import tls from 'node:tls';
import type { ExchangeRecorder } from './exchange-recorder.js';

/** Where an exchange failed: the client's request, our answer to it, our request upstream, or the upstream's answer. */
export type ExchangeFailureKind =
  | 'CLIENT_TO_PROXY_REQUEST_ERROR'
  | 'PROXY_TO_CLIENT_RESPONSE_ERROR'
  | 'PROXY_TO_SERVER_REQUEST_ERROR'
  | 'SERVER_TO_PROXY_RESPONSE_ERROR';

export interface UpstreamTarget {
  scheme: 'http' | 'https';
  /** Where to connect (the CONNECT target or URL host, or its --map-host mapping). */
  host: string;
  port: number;
  path: string;
  /** SNI and certificate name ('' for an IP literal). */
  servername: string;
  /** Resolves the connect host; refuses names that point back at this machine. */
  lookup: net.LookupFunction;
  /** Shown in the timeout message. */
  displayHost: string;
  /** Host header for a request that came without one (HTTP/1.0). */
  hostHeader: string;
}

/** One exchange in flight: what the failure handler needs to answer the phone and stop the other side. */
export interface ForwardedExchange {
  readonly clientRequest: IncomingMessage;
  readonly clientResponse: ServerResponse;
  readonly recorder: ExchangeRecorder;
  readonly displayHost: string;
  upstreamRequest?: ClientRequest;
  upstreamResponse?: IncomingMessage;
}

export interface ForwarderOptions {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  upstreamTimeoutMs: number;
  onFailure: (kind: ExchangeFailureKind, exchange: ForwardedExchange, error: Error) => void;
}

export class UpstreamTimeoutError extends Error {
  readonly code = 'PHONEHOME_UPSTREAM_TIMEOUT';
}

export class HttpForwarder {
  constructor(private readonly options: ForwarderOptions) {}

  forward(clientRequest: IncomingMessage, clientResponse: ServerResponse, target: UpstreamTarget, recorder: ExchangeRecorder): void {
    const exchange: ForwardedExchange = { clientRequest, clientResponse, recorder, displayHost: target.displayHost };
    const fail = (kind: ExchangeFailureKind) => (error: Error) => this.options.onFailure(kind, exchange, error);
    clientRequest.on('error', fail('CLIENT_TO_PROXY_REQUEST_ERROR'));
    clientResponse.on('error', fail('PROXY_TO_CLIENT_RESPONSE_ERROR'));
    // Defect 4: the phone went away → stop the upstream transfer too. Completion waits for the phone's side.
    clientResponse.once('close', () => {
      if (!clientResponse.writableFinished) {
        recorder.fail({ code: 'client-aborted', message: 'the client closed the connection before the response ended' });
        exchange.upstreamRequest?.destroy();
        exchange.upstreamResponse?.destroy();
      }
      recorder.complete();
    });

    const upstream = (target.scheme === 'https' ? https : http).request({
      method: clientRequest.method ?? 'GET',
      host: target.host,
      port: target.port,
      path: target.path,
      headers: forwardedRequestHeaders(clientRequest.rawHeaders, target.hostHeader),
      setHost: false,
      agent: target.scheme === 'https' ? this.options.httpsAgent : this.options.httpAgent,
      servername: target.servername,
      lookup: target.lookup,
    });
    exchange.upstreamRequest = upstream;
    upstream.on('error', fail('PROXY_TO_SERVER_REQUEST_ERROR'));
    upstream.once('response', (response: IncomingMessage) => this.respond(exchange, response, fail('SERVER_TO_PROXY_RESPONSE_ERROR')));
    this.arm(upstream, target, recorder);

    // Defect 4: a slow upstream pauses the phone's upload instead of buffering it here.
    clientRequest.on('data', (chunk: Buffer) => {
      recorder.requestBody.add(chunk);
      if (!upstream.write(chunk)) {
        clientRequest.pause();
        upstream.once('drain', () => clientRequest.resume());
      }
    });
    clientRequest.once('end', () => upstream.end());
  }

  private respond(exchange: ForwardedExchange, response: IncomingMessage, fail: (error: Error) => void): void {
    const { clientResponse, recorder } = exchange;
    exchange.upstreamResponse = response;
    response.on('error', fail);
    recorder.setServerIp(response.socket?.remoteAddress);
    recorder.responseStarted(response.statusCode ?? 0, response.statusMessage ?? '', response.httpVersion, response.rawHeaders);
    if (clientResponse.destroyed) {
      response.destroy();
      return;
    }
    const headers = forwardedResponseHeaders(response.rawHeaders, exchange.clientRequest.rawHeaders);
    if (!writeResponseHead(clientResponse, response.statusCode ?? 502, response.statusMessage, headers)) {
      // Nothing was sent yet: the failure handler answers with a readable 502 and records why.
      fail(new Error('the upstream response head could not be forwarded (a header Node refuses to write)'));
      response.destroy();
      return;
    }
    // Defect 4: a phone that reads slowly pauses the upstream download.
    response.on('data', (chunk: Buffer) => {
      recorder.responseBody.add(chunk);
      if (!clientResponse.write(chunk)) {
        response.pause();
        clientResponse.once('drain', () => response.resume());
      }
    });
    response.once('end', () => {
      recorder.responseEnded();
      clientResponse.end();
    });
  }

  /** Timeout (defect 8), no-delay (defect 7), and the timings of a new upstream connection. */
  private arm(upstream: ClientRequest, target: UpstreamTarget, recorder: ExchangeRecorder): void {
    const timeoutMs = this.options.upstreamTimeoutMs;
    upstream.setNoDelay(true);
    upstream.setTimeout(timeoutMs, () => {
      upstream.destroy(new UpstreamTimeoutError(`no response from ${target.displayHost} within ${timeoutMs / 1000} s`));
    });
    upstream.once('finish', () => recorder.requestSent());
    upstream.once('socket', (socket: net.Socket) => {
      if (!socket.connecting) {
        recorder.setServerIp(socket.remoteAddress);
        return;
      }
      const begun = performance.now();
      let connected = begun;
      socket.once('connect', () => {
        connected = performance.now();
        recorder.setServerIp(socket.remoteAddress);
        if (!(socket instanceof tls.TLSSocket)) recorder.setConnectTimings(connected - begun, -1);
      });
      socket.once('secureConnect', () => recorder.setConnectTimings(connected - begun, performance.now() - connected));
    });
  }
}

/**
 * Writes the head, with the upstream's status text when Node accepts it, else the standard one. False when even
 * that is refused (a header value Node will not write): writeHead validates before it sends anything.
 */
function writeResponseHead(res: ServerResponse, status: number, statusText: string | undefined, headers: string[]): boolean {
  try {
    res.writeHead(status, statusText || undefined, headers);
    return true;
  } catch {
    try {
      res.writeHead(status, headers);
      return true;
    } catch {
      return false;
    }
  }
}

/** The phone's headers as they travelled, less the ones meant for the proxy; HTTP/1.0 clients may omit Host. */
export function forwardedRequestHeaders(raw: readonly string[], hostIfMissing: string): string[] {
  const headers: string[] = [];
  let hasHost = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length > 6 && name.charCodeAt(5) === 0x2d && name.slice(0, 6).toLowerCase() === 'proxy-') continue;
    if (name.length === 4 && name.toLowerCase() === 'host') hasHost = true;
    headers.push(name, raw[i + 1]!);
  }
  if (!hasHost) headers.push('Host', hostIfMissing);
  return headers;
}

/**
 * The upstream's headers for the phone. Public-Key-Pins would pin the phone to the real server's key for good
 * (http-mitm-proxy dropped it too). A client that spoke Proxy-Connection gets the keep-alive answer in both forms.
 */
export function forwardedResponseHeaders(raw: readonly string[], clientRawHeaders: readonly string[]): string[] {
  const headers: string[] = [];
  let proxyConnection = false;
  for (let i = 0; i + 1 < clientRawHeaders.length; i += 2) {
    if (clientRawHeaders[i]!.length === 16 && clientRawHeaders[i]!.toLowerCase() === 'proxy-connection') proxyConnection = true;
  }
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (lower.startsWith('public-key-pins')) continue;
    if (proxyConnection && (lower === 'connection' || lower === 'proxy-connection')) continue;
    headers.push(name, raw[i + 1]!);
  }
  if (proxyConnection) headers.push('Proxy-Connection', 'keep-alive', 'Connection', 'keep-alive');
  return headers;
}
