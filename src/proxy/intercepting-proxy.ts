// The interception engine: http-mitm-proxy's request/response and WebSocket pipeline, with the parts that are
// broken in its 1.1.0 release owned here (see ../../../shared/notes/http-mitm-proxy.md). Each override names the
// defect it fixes; test/integration/proxy-defects.test.ts holds one regression test per defect.
//
//  1. certificates: no per-host RSA keys or per-host servers; one internal server, leaves from our issuer (SNI).
//  2. internal hops to 0.0.0.0: none; a tunnel's socket is handed to the internal server in-process.
//  3. routing by Host header: requests go to the CONNECT target (or the absolute URL), through --map-host.
//  4. no backpressure, no abort: a full client pauses the upstream; a client that leaves aborts the upstream.
//  5. parallel async data handlers: ours are synchronous and copy chunks.
//  6. HTTP/1.0 upgrade without Host crashes; IPv6 targets mis-parsed: guarded; parsed with brackets.
//  7. keep-alive off, Nagle stalls: keep-alive agents both sides, no-delay sockets.
//  8. no upstream timeout, 504 for everything: timeout → 504, connection/TLS failures → 502, readable page.
//  9. TLS client failures without a hostname: our TLS sockets know the CONNECT target and SNI.
// 10. console.error on every error: everything goes through the injected logger.
// 11. a heavy per-request pipeline (a context of ~25 closures, async.forEach per stage, filter streams) that also
//     lost the status text and header case: requests are forwarded by our HttpForwarder (http-forwarder.ts).
import { EventEmitter } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { Proxy as MitmProxy, type IContext, type IWebSocketContext, type ErrorCallback } from 'http-mitm-proxy';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CapturedFlow, FlowError, FlowErrorCode, Logger } from '../types/index.js';
import { CaptureBufferPool } from './capture-buffer-pool.js';
import { normalizeAddress, type ConnectionInfo } from './connection-info.js';
import { renderErrorPage } from './error-page.js';
import { ExchangeRecorder, type ExchangeStart } from './exchange-recorder.js';
import { HttpForwarder, UpstreamTimeoutError, type ExchangeFailureKind, type ForwardedExchange } from './http-forwarder.js';
import { formatAuthority, parseAuthority, type HostPort } from './host-port.js';
import type { HostMapping } from './host-mapping.js';
import type { PassthroughList } from './passthrough-matcher.js';
import { SETUP_HOST, serveSetupSite, type SetupCertificate } from './setup-site.js';
import { classifyTlsClientError, TlsFailureTracker, type TlsFailure } from './tls-failure-tracker.js';
import { WebSocketRecorder } from './websocket-recorder.js';
import { openTunnel, type TunnelRecord } from './tunnel.js';
import { RefusedTargetError, TargetGuard } from './target-guard.js';
import { ClientPolicy } from './client-policy.js';
import { IdleSweeper } from './idle-sweeper.js';

export interface SecureContextSource {
  secureContextFor(host: string): Promise<tls.SecureContext>;
}

export interface InterceptingProxyOptions {
  /** Address the proxy listens on (default 0.0.0.0). */
  listenHost: string;
  port: number;
  ca: SetupCertificate;
  certificates: SecureContextSource;
  hostMapping: HostMapping;
  passthrough: PassthroughList;
  /** Tunnel hosts whose clients rejected our certificate (default on). */
  autoPassthrough: boolean;
  /** Extra PEM CAs trusted upstream, besides Node's bundled roots. */
  upstreamCa: string[];
  insecureUpstream: boolean;
  maxBodyBytes: number;
  /** No upstream activity for this long → 504 (default 60 s). */
  upstreamTimeoutMs: number;
  /** Ports of this machine the proxy must never forward to (the dashboard's); its own port is added. */
  protectedPorts: number[];
  /** Who may use the proxy, and with which credentials. */
  clients: ClientPolicy;
  /** Open client connections beyond this are refused (protects the process). */
  maxConnections: number;
  /** Client-side limits: request headers must arrive within headersMs; a silent connection closes after idleMs. */
  clientTimeouts?: { headersMs: number; idleMs: number };
  /** The session new flows belong to. */
  sessionId: () => string;
  logger: Logger;
}

export interface ProxyEventMap {
  flow: [CapturedFlow];
  'tls-failure': [TlsFailure];
  tunnel: [TunnelRecord];
  device: [{ address: string; time: number; label?: string }];
}

const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
/** A client must finish sending its request headers within this. */
const HEADERS_TIMEOUT_MS = 30_000;
/** A client connection with no traffic for this long is closed. */
const IDLE_TIMEOUT_MS = 300_000;
const PROXY_AUTH_REQUIRED =
  'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="phonehome"\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nphonehome: proxy authentication required\n';
/** A client that completes the handshake and leaves this quickly without a request likely pins its certificates. */
const CLOSED_AFTER_HANDSHAKE_MS = 1_500;

interface RouteInfo {
  /** The connect address came from a --map-host rule. */
  mapped: boolean;
  scheme: 'http' | 'https';
  /** What the phone asked for (Host header for display, CONNECT target or URL for routing). */
  target: HostPort;
  /** Where we connect: the target, or its --map-host mapping. */
  connectTo: HostPort;
  /** Host shown in the flow and sent as SNI. */
  displayHost: string;
  path: string;
}

type WsCtx = IWebSocketContext & { phonehome?: { recorder: WebSocketRecorder } };

export class InterceptingProxy extends MitmProxy {
  readonly events = new EventEmitter<ProxyEventMap>();
  readonly tlsFailures: TlsFailureTracker;
  private readonly connections = new WeakMap<Duplex, ConnectionInfo>();
  private readonly routes = new WeakMap<IncomingMessage, RouteInfo>();
  private readonly openSockets = new Set<Duplex>();
  private readonly seenDevices = new Set<string>();
  /** Body copies are recycled through here once the store has written them (CapturedFlow.release). */
  private readonly bufferPool = new CaptureBufferPool(32 * 1024 * 1024);
  private interceptServer: http.Server | undefined;
  private readonly log: Logger;
  private readonly guard: TargetGuard;
  private idle: IdleSweeper | undefined;
  private readonly firstRequestSeen = new WeakMap<Duplex, () => void>();
  private forwarder: HttpForwarder | undefined;

  constructor(private readonly config: InterceptingProxyOptions) {
    super();
    this.log = config.logger;
    this.tlsFailures = new TlsFailureTracker(config.autoPassthrough);
    this.guard = new TargetGuard(config.protectedPorts);
    this.onWebSocketConnection((ctx, callback) => this.handleWebSocketConnection(ctx as WsCtx, callback));
    this.onWebSocketFrame((ctx, type, fromServer, message, flags, callback) => {
      (ctx as WsCtx).phonehome?.recorder.message(type as string, fromServer, message, flags);
      callback(null, message, flags);
    });
    this.onWebSocketClose((ctx, code, message, callback) => {
      (ctx as WsCtx).phonehome?.recorder.close(code as number);
      callback(null, message);
    });
    this.onWebSocketError((ctx, err) => (ctx as WsCtx | undefined)?.phonehome?.recorder.fail(err ?? undefined));
  }

  /** Starts listening; resolves with the bound address (port 0 = a free port). */
  async start(): Promise<AddressInfo> {
    const timeouts = this.config.clientTimeouts ?? { headersMs: HEADERS_TIMEOUT_MS, idleMs: IDLE_TIMEOUT_MS };
    this.idle = new IdleSweeper(timeouts.idleMs);
    this.idle.start();
    // Node checks headersTimeout only every connectionsCheckingInterval (30 s by default): check more often.
    const serverOptions: http.ServerOptions = {
      noDelay: true,
      keepAlive: true,
      headersTimeout: timeouts.headersMs,
      requestTimeout: 0,
      connectionsCheckingInterval: Math.max(1_000, Math.min(timeouts.headersMs / 2, 15_000)),
    };
    const agentOptions = { keepAlive: true, scheduling: 'lifo' as const, noDelay: true, timeout: this.config.upstreamTimeoutMs };
    this.options = { port: this.config.port, host: this.config.listenHost, keepAlive: true, forceSNI: true };
    this.keepAlive = true;
    this.timeout = 0;
    this.forceSNI = true;
    this.sslServers = {};
    this.sslSemaphores = {};
    this.connectRequests = {};
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = new https.Agent({
      ...agentOptions,
      // One context for every upstream connection: passing `ca` instead would rebuild a context from ~140 root
      // certificates on each new connection (~30 ms, the bulk of a first request's cost).
      secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, ...this.config.upstreamCa] }),
      rejectUnauthorized: !this.config.insecureUpstream,
    });
    this.forwarder = new HttpForwarder({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      upstreamTimeoutMs: this.config.upstreamTimeoutMs,
      onFailure: (kind, exchange, error) => this.failExchange(kind, exchange, error),
    });

    const server = http.createServer(serverOptions);
    server.maxConnections = this.config.maxConnections;
    server.on('connect', this._onHttpServerConnect.bind(this));
    for (const event of ['request', 'connect', 'upgrade'] as const) server.on(event, (req: IncomingMessage) => this.firstRequestSeen.get(req.socket)?.());
    server.on('request', this._onHttpServerRequest.bind(this, false));
    server.on('clientError', (err, socket) => this.rejectMalformed(err, socket));
    server.on('connection', (socket: Socket) => {
      this.track(socket);
      // Idle clients (a phone that opened a connection and went quiet) are let go; active transfers are not.
      this.idle?.watch(socket);
      this.expectFirstRequest(socket, timeouts.headersMs);
      const address = normalizeAddress(socket.remoteAddress);
      if (!this.config.clients.allows(address)) {
        this.log.warn('refused a client outside --allow-clients', { address });
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nThis phonehome proxy does not accept clients from your address.\n');
        socket.destroy();
      }
    });
    this.attachWebSockets(server, false);
    this.httpServer = server;

    // Defect 1/2: one internal server for every intercepted tunnel; sockets are handed to it, never re-dialled.
    const intercept = http.createServer(serverOptions);
    intercept.on('request', this._onHttpServerRequest.bind(this, true));
    intercept.on('clientError', (err, socket) => this.rejectMalformed(err, socket));
    this.attachWebSockets(intercept, true);
    this.interceptServer = intercept;

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.config.port, host: this.config.listenHost }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    this.httpPort = address.port;
    this.guard.protectPort(address.port);
    this.httpHost = this.config.listenHost;
    server.on('error', (err) => this.log.error('proxy server error', { error: err.message }));
    return address;
  }

  override listen(): this {
    throw new Error('InterceptingProxy: use start(); listen() would create http-mitm-proxy’s own CA');
  }

  override close(): this {
    this.idle?.stop();
    this.httpServer?.close();
    this.interceptServer?.close();
    for (const socket of this.openSockets) socket.destroy();
    this.openSockets.clear();
    this.httpAgent?.destroy();
    this.httpsAgent?.destroy();
    return this;
  }

  async stop(): Promise<void> {
    const server = this.httpServer;
    this.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- CONNECT ----------------------------------------------------------------------------------------------

  /**
   * http-mitm-proxy answers a CONNECT in three writes ("HTTP/1.1 200 OK\r\n", headers, "\r\n"): with no-delay
   * sockets those are separate packets, and a client that reads the first one as the whole answer hands "\r\n"
   * to its TLS layer ("wrong version number"). Ours decides synchronously and answers in one write.
   */
  override _onHttpServerConnect(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err: Error) => this.log.debug('client socket error', { error: err.message }));
    this.handleConnect(req, socket as Socket, head, (target) => {
      // Issue the leaf now, while the client is still sending its ClientHello (the bench measured ~2–3 ms saved
      // on a never-seen host); the cache makes the later lookup free, and a failure is reported there.
      this.config.certificates.secureContextFor(target.host).catch(() => undefined);
      if (head.length > 0) {
        this._onHttpServerConnectData(req, socket, head);
        return;
      }
      socket.once('data', (first: Buffer) => this._onHttpServerConnectData(req, socket, first));
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    });
  }

  private handleConnect(req: IncomingMessage, socket: Socket, head: Buffer, callback: (target: HostPort) => void): void {
    const user = this.config.clients.authenticate(req.headers['proxy-authorization']);
    if (user === false) {
      socket.end(PROXY_AUTH_REQUIRED);
      return;
    }
    const device = this.noteDevice(req.socket.remoteAddress, user);
    // Defect 6: IPv6 targets ('[2001:db8::1]:443') parsed with their brackets; a CONNECT needs a port.
    const target = parseAuthority(req.url);
    if (!target) {
      this.log.debug('bad CONNECT target', { target: req.url, device });
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nBad CONNECT target\n');
      return;
    }
    const mappedTo = this.config.hostMapping.resolve(target);
    const refusal = this.guard.refusal((mappedTo ?? target).host, (mappedTo ?? target).port, mappedTo !== undefined);
    if (refusal) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal}\n`);
      return;
    }
    this.connections.set(socket, { device, connectTarget: target, tls: false, requestCount: 0 });
    const pattern = this.config.passthrough.match(target);
    const reason = pattern ? 'passthrough-pattern' : this.tlsFailures.shouldPassThrough(target.host) ? 'likely-pinned' : undefined;
    if (reason) {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      this.tunnel(socket, head, target, device, reason);
      return; // never calling back: http-mitm-proxy leaves this socket alone
    }
    callback(target);
  }

  private tunnel(socket: Socket, head: Buffer, target: HostPort, device: string, reason: 'passthrough-pattern' | 'likely-pinned'): void {
    const mappedTo = this.config.hostMapping.resolve(target);
    const connectTo = mappedTo ?? target;
    this.idle?.exemptFromIdle(socket);
    openTunnel({
      client: socket,
      head,
      target,
      connectTo,
      lookup: this.guard.lookupFor(connectTo.port, mappedTo !== undefined),
      device,
      reason,
      sessionId: this.config.sessionId(),
      logger: this.log,
      onClose: (record) => this.events.emit('tunnel', record),
    });
  }

  /** Called by http-mitm-proxy with the tunnel's first bytes: TLS is terminated here, plain HTTP handed on. */
  override _onHttpServerConnectData(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.pause();
    if (head.length > 0) socket.unshift(head);
    const connection = this.connections.get(socket);
    if (!connection?.connectTarget) {
      socket.destroy();
      return;
    }
    const first = head[0];
    if (first === 0x16 || first === 0x80 || first === 0x00) {
      void this.interceptTls(socket as Socket, connection);
    } else {
      this.httpServer?.emit('connection', socket);
      socket.resume();
    }
  }

  private async interceptTls(socket: Socket, connection: ConnectionInfo): Promise<void> {
    const target = connection.connectTarget!;
    let secureContext: tls.SecureContext;
    try {
      secureContext = await this.config.certificates.secureContextFor(target.host);
    } catch (error) {
      this.log.error('could not issue a certificate', { host: target.host, error: String(error) });
      socket.destroy();
      return;
    }
    if (socket.destroyed) return;
    const started = performance.now();
    const info: ConnectionInfo = { ...connection, tls: true };
    const tlsSocket = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext,
      ALPNProtocols: ['http/1.1'],
      SNICallback: (servername, cb) => {
        info.sni = servername.toLowerCase();
        if (servername.toLowerCase() === target.host) return cb(null, secureContext);
        this.config.certificates.secureContextFor(servername.toLowerCase()).then((ctx) => cb(null, ctx), (err: Error) => cb(err));
      },
    });
    this.connections.set(tlsSocket, info);
    this.track(tlsSocket);
    let secured = false;
    let securedAt = 0;
    const fail = (error: Error & { code?: string }, afterHandshake: boolean) => {
      const cause = classifyTlsClientError(error);
      // After a TLS 1.3 handshake, a client that distrusts us says so with an alert on its first read.
      if (afterHandshake && cause !== 'cert-rejected') return;
      this.recordTlsFailure(target, info, cause, error.message);
    };
    tlsSocket.setTimeout(TLS_HANDSHAKE_TIMEOUT_MS, () => {
      if (!secured) {
        this.recordTlsFailure(target, info, 'timeout', 'no TLS handshake within 10 s');
        tlsSocket.destroy();
      }
    });
    tlsSocket.on('error', (error) => {
      fail(error, secured);
      tlsSocket.destroy();
    });
    tlsSocket.once('secure', () => {
      secured = true;
      securedAt = performance.now();
      tlsSocket.setTimeout(0);
      info.tlsHandshakeMs = securedAt - started;
      info.tlsProtocol = tlsSocket.getProtocol() ?? undefined;
      info.tlsCipher = tlsSocket.getCipher()?.name;
      this.interceptServer?.emit('connection', tlsSocket);
    });
    tlsSocket.once('close', () => {
      if (secured && info.requestCount === 0 && performance.now() - securedAt < CLOSED_AFTER_HANDSHAKE_MS && tlsSocket.bytesRead === 0) {
        this.recordTlsFailure(target, info, 'closed-after-handshake', 'the client closed the connection right after the handshake without a request');
      }
    });
  }

  private recordTlsFailure(target: HostPort, info: ConnectionInfo, cause: TlsFailure['cause'], message: string): void {
    const failure: TlsFailure = { host: info.sni?.toLowerCase() ?? target.host, port: target.port, device: info.device, cause, message, time: Date.now() };
    this.tlsFailures.record(failure);
    this.log.debug('TLS client failure', { ...failure });
    this.events.emit('tls-failure', failure);
  }

  // ---- requests ---------------------------------------------------------------------------------------------

  /** Routes before http-mitm-proxy sees the request (it would route by the Host header and drop the CONNECT port). */
  override _onHttpServerRequest(isSSL: boolean, req: IncomingMessage, res: ServerResponse): void {
    const connection = this.connectionOf(req.socket);
    connection.requestCount++;
    if (!connection.connectTarget) {
      // Plain-HTTP proxy requests carry their own credentials (CONNECT tunnels were checked at CONNECT).
      const user = this.config.clients.authenticate(req.headers['proxy-authorization']);
      if (user === false) {
        req.resume();
        res.writeHead(407, { 'proxy-authenticate': 'Basic realm="phonehome"', 'content-type': 'text/plain' });
        res.end('phonehome: proxy authentication required\n');
        return;
      }
      if (user) connection.device = this.noteDevice((req.socket as Socket).remoteAddress, user);
    }
    const route = this.routeOf(isSSL, req, connection);
    if (!route) {
      if (!connection.connectTarget && (req.url ?? '').startsWith('/')) {
        // Origin-form on the proxy port: someone opened the proxy address in a browser. Show the setup page.
        serveSetupSite(req.url ?? '/', res, this.config.ca);
      } else {
        this.respondWithError(res, 400, 'Bad request', req.headers.host ?? req.url ?? '?', 'The request names no valid host.');
      }
      req.resume();
      return;
    }
    if (route.target.host === SETUP_HOST) {
      serveSetupSite(route.path, res, this.config.ca);
      req.resume();
      return;
    }
    const refusal = this.guard.refusal(route.connectTo.host, route.connectTo.port, route.mapped);
    if (refusal) {
      this.respondWithError(res, 403, 'Forbidden', route.displayHost, refusal);
      req.resume();
      return;
    }
    // Defect 11: forwarded by our own pipeline, not http-mitm-proxy's (its _onHttpServerRequest is never called).
    const recorder = new ExchangeRecorder({ ...this.exchangeStart(route, req, connection), method: req.method ?? 'GET' }, (captured) => this.events.emit('flow', captured));
    // Defect 3: connect to the CONNECT target (or URL), mapped; the Host header and SNI keep the name.
    this.forwarder!.forward(req, res, { ...this.upstreamOptions(route), scheme: route.scheme, host: route.connectTo.host, port: route.connectTo.port, path: route.path, displayHost: route.displayHost, hostHeader: formatAuthority(route.target) }, recorder);
  }

  private routeOf(isSSL: boolean, req: IncomingMessage, connection: ConnectionInfo): RouteInfo | undefined {
    const rawUrl = req.url ?? '/';
    let scheme: 'http' | 'https' = isSSL ? 'https' : 'http';
    let target: HostPort | undefined;
    let path = rawUrl;
    if (connection.connectTarget) {
      target = connection.connectTarget;
    } else if (/^https?:\/\//i.test(rawUrl)) {
      let url: URL;
      try {
        url = new URL(rawUrl);
      } catch {
        return undefined;
      }
      scheme = url.protocol === 'https:' ? 'https' : 'http';
      // WHATWG URL normalises decimal/hex IPv4 spellings, so the self-check sees the real address.
      target = parseAuthority(url.host, scheme === 'https' ? 443 : 80);
      path = `${url.pathname}${url.search}`;
      if (scheme === 'https') return undefined; // an absolute https:// URL without CONNECT is not a proxy request
    }
    if (!target) return undefined;
    const hostHeader = parseAuthority(req.headers.host, target.port);
    const displayHost = connection.connectTarget && hostHeader ? hostHeader.host : target.host;
    const mappedTo = this.config.hostMapping.resolve(target);
    return { mapped: mappedTo !== undefined, scheme, target, connectTo: mappedTo ?? target, displayHost, path };
  }

  // ---- errors -----------------------------------------------------------------------------------------------

  /** Defect 10: the library's own connection-level errors (it has no exchange of ours to fail) go to our logger. */
  override _onError(kind: string, ctx: IContext | null, err: Error): void {
    for (const handler of this.onErrorHandlers) handler(ctx, err, kind);
    this.log.debug('proxy connection error', { kind, error: err?.message });
  }

  /** Defects 8 and 10: our logger, our status codes, a page that names the cause and the host. */
  private failExchange(kind: ExchangeFailureKind, exchange: ForwardedExchange, err: Error): void {
    const host = exchange.displayHost;
    const failure = describeFailure(kind, err, host, this.config.upstreamTimeoutMs);
    this.log.debug('exchange failed', { kind, host, code: failure.error.code, error: err?.message });
    exchange.recorder.fail(failure.error);
    const res = exchange.clientResponse;
    if (failure.error.code === 'client-aborted') {
      exchange.upstreamRequest?.destroy();
      return;
    }
    if (!res.headersSent) {
      this.respondWithError(res, failure.status, failure.title, host, failure.error.message);
    } else {
      // Mid-body failure: cut the phone's connection so it sees a broken response, not a short "complete" one.
      res.destroy();
    }
  }

  private respondWithError(res: ServerResponse, status: number, title: string, host: string, detail: string): void {
    if (res.headersSent || res.destroyed) return;
    const body = renderErrorPage({ status, title, host, detail });
    res.writeHead(status, title, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      'x-phonehome-error': '1',
    });
    res.end(body);
  }

  private rejectMalformed(err: Error & { code?: string }, socket: Duplex): void {
    this.log.debug('malformed request', { error: err.message, code: err.code });
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nphonehome could not parse this request (${err.code ?? 'bad request'}).\n`);
  }

  // ---- WebSockets -------------------------------------------------------------------------------------------

  private attachWebSockets(server: http.Server, isSSL: boolean): void {
    // Refuse before the upgrade is accepted (http-mitm-proxy accepts first and dials upstream afterwards).
    const wss = new WebSocketServer({
      server,
      verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
        const route = this.routeOf(isSSL, req, this.connectionOf(req.socket));
        if (!route) return done(false, 400, 'no valid target host');
        const refusal = this.guard.refusal(route.connectTo.host, route.connectTo.port, route.mapped);
        if (refusal) return done(false, 403, refusal);
        done(true);
      },
    });
    wss.on('error', (err) => this.log.debug('websocket server error', { error: err.message }));
    wss.on('connection', (ws: WebSocket & { upgradeReq?: IncomingMessage }, req: IncomingMessage) => {
      ws.upgradeReq = req;
      this._onWebSocketServerConnect(isSSL, ws, req);
    });
  }

  /** Defect 6: an upgrade without a usable Host (HTTP/1.0) used to dereference null and kill the process. */
  override _onWebSocketServerConnect(isSSL: boolean, ws: WebSocket, upgradeReq: IncomingMessage): void {
    const connection = this.connectionOf(upgradeReq.socket);
    const route = this.routeOf(isSSL, upgradeReq, connection);
    if (!route || this.guard.refusal(route.connectTo.host, route.connectTo.port, route.mapped)) {
      this.log.debug('websocket upgrade without a usable target', { url: upgradeReq.url });
      ws.close(1008, 'phonehome: no valid target host');
      return;
    }
    upgradeReq.headers.host ??= formatAuthority(route.target);
    this.routes.set(upgradeReq, route);
    super._onWebSocketServerConnect(isSSL, ws, upgradeReq);
  }

  private handleWebSocketConnection(ctx: WsCtx, callback: ErrorCallback): void {
    const req = (ctx.clientToProxyWebSocket as (WebSocket & { upgradeReq?: IncomingMessage }) | undefined)?.upgradeReq;
    const route = req ? this.routes.get(req) : undefined;
    const options = ctx.proxyToServerWebSocketOptions;
    if (!req || !route || !options) return callback(new Error('websocket without a route'));
    const scheme = route.scheme === 'https' ? 'wss' : 'ws';
    options.url = `${scheme}://${formatAuthority(route.connectTo)}${route.path}`;
    Object.assign(options, this.upstreamOptions(route));
    const start = this.exchangeStart(route, req, this.connectionOf(req.socket));
    ctx.phonehome = { recorder: new WebSocketRecorder(start, (captured) => this.events.emit('flow', captured)) };
    callback();
  }

  /** SNI keeps the name the phone asked for; a name that resolves to this machine is refused at connect time. */
  private upstreamOptions(route: RouteInfo): { servername: string; lookup: net.LookupFunction } {
    return { servername: net.isIP(route.displayHost) ? '' : route.displayHost, lookup: this.guard.lookupFor(route.connectTo.port, route.mapped) };
  }

  private exchangeStart(route: RouteInfo, req: IncomingMessage, connection: ConnectionInfo): Omit<ExchangeStart, 'method'> {
    return {
      sessionId: this.config.sessionId(),
      device: connection.device,
      scheme: route.scheme,
      host: route.displayHost,
      port: route.target.port,
      path: route.path,
      httpVersion: req.httpVersion,
      rawHeaders: req.rawHeaders,
      tls: connection.tls ? { sni: connection.sni, protocol: connection.tlsProtocol, cipher: connection.tlsCipher } : undefined,
      maxBodyBytes: this.config.maxBodyBytes,
      bufferPool: this.bufferPool,
    };
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  private connectionOf(socket: Duplex): ConnectionInfo {
    let info = this.connections.get(socket);
    if (!info) {
      const device = this.noteDevice((socket as Socket).remoteAddress);
      info = { device, tls: false, requestCount: 0 };
      this.connections.set(socket, info);
    }
    return info;
  }

  private noteDevice(address: string | undefined, label?: string): string {
    const device = normalizeAddress(address);
    const key = label ? `${device}\u0000${label}` : device;
    if (!this.seenDevices.has(key)) {
      this.seenDevices.add(key);
      this.events.emit('device', { address: device, time: Date.now(), ...(label ? { label } : {}) });
    }
    return device;
  }

  /**
   * A new connection must deliver its first request head within headersMs (408 otherwise). Our own deadline, beside
   * Node's headersTimeout: under load Node's periodic connection check was seen not to close a slow client at all.
   */
  private expectFirstRequest(socket: Socket, headersMs: number): void {
    const deadline = setTimeout(() => {
      this.firstRequestSeen.delete(socket);
      if (socket.destroyed) return;
      this.log.debug('client sent no complete request in time', { address: socket.remoteAddress });
      socket.end('HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nphonehome: the request headers did not arrive in time.\n');
      setTimeout(() => socket.destroy(), 1_000).unref();
    }, headersMs);
    deadline.unref();
    const seen = () => {
      clearTimeout(deadline);
      this.firstRequestSeen.delete(socket);
    };
    this.firstRequestSeen.set(socket, seen);
    socket.once('close', seen);
  }

  private track(socket: Duplex): void {
    this.openSockets.add(socket);
    socket.once('close', () => this.openSockets.delete(socket));
  }

}

const TLS_ERROR = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;

function describeFailure(kind: ExchangeFailureKind, err: (Error & { code?: string }) | undefined, host: string, timeoutMs: number): { status: number; title: string; error: FlowError } {
  const code = err?.code ?? '';
  const message = err?.message ?? String(err);
  const make = (status: number, title: string, flowCode: FlowErrorCode, text: string) => ({ status, title, error: { code: flowCode, message: text } });
  if (kind === 'CLIENT_TO_PROXY_REQUEST_ERROR' || kind === 'PROXY_TO_CLIENT_RESPONSE_ERROR') {
    return make(499, 'Client closed', 'client-aborted', `the client went away: ${message}`);
  }
  if (err instanceof RefusedTargetError) {
    return make(403, 'Forbidden', 'refused', err.message);
  }
  if (err instanceof UpstreamTimeoutError) {
    return make(504, 'Gateway Timeout', 'upstream-timeout', `${host} did not answer within ${timeoutMs / 1000} s.`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return make(502, 'Bad Gateway', 'upstream-unreachable', `The name ${host} could not be resolved (${code}).`);
  }
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') {
    return make(502, 'Bad Gateway', 'upstream-unreachable', `Could not connect to ${host}: ${code === 'ECONNREFUSED' ? 'connection refused' : code}.`);
  }
  if (TLS_ERROR.test(code) || /certificate|ssl|tls/i.test(message)) {
    return make(502, 'Bad Gateway', 'upstream-tls', `The TLS connection to ${host} failed: ${message}${code ? ` (${code})` : ''}.`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|aborted/i.test(message)) {
    return make(502, 'Bad Gateway', 'upstream-reset', `${host} closed the connection unexpectedly: ${message}.`);
  }
  return make(502, 'Bad Gateway', 'proxy-error', `${kind}: ${message}`);
}
