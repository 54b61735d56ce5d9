// The dashboard's HTTP server: CA downloads and the setup page without a token, everything else behind it.
// Binds to loopback unless told otherwise: the dashboard shows people's messages and phone numbers.
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../types/index.js';
import { createApiRouter, type ApiState } from './api-router.js';
import { createControlRouter, type CaptureControl, type HarImporter, type ProfileControl } from './control-router.js';
import { acceptTokenInUrl, refuseCrossOriginWrites, requireToken, tokenFromRequest, tokensMatch } from './dashboard-auth.js';
import { sendError } from './http-error.js';
import { LiveStream } from './live-stream.js';
import { renderSetupPage, type SetupPageInfo } from './setup-page.js';

export interface DashboardOptions extends ApiState {
  capture: CaptureControl;
  profiles: ProfileControl;
  importHar: HarImporter;
  host: string;
  port: number;
  token: string;
  ca: { certPem: string; certDer: Buffer; fingerprintSha256: string };
  setup: () => SetupPageInfo;
  /** Folder of the built dashboard (web/dist), served when present. */
  webRoot: string;
  logger: Logger;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

// Dashboard (web/): shown at / without a valid token (static text, nothing from the request).
const TOKEN_NEEDED_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>phonehome · token needed</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color-scheme:light dark}code{font-size:.95em}</style>
</head><body><h1>phonehome needs its dashboard token</h1>
<p>Open the dashboard link that <code>phonehome start</code> printed: it ends in <code>/?token=…</code>. The token is swapped for a
cookie and removed from the address bar.</p><p>Setting up a phone? The <a href="/setup">setup page</a> needs no token.</p></body></html>
`;

export class DashboardServer {
  private server: http.Server | undefined;
  /** The live stream (socket.io on this server): the wiring calls live.flowAdded(…) and friends. */
  readonly live: LiveStream;

  constructor(private readonly options: DashboardOptions) {
    this.live = new LiveStream({ token: options.token, store: options.store, hostsOf: options.hostsOf, logger: options.logger });
  }

  async start(): Promise<AddressInfo> {
    const { options } = this;
    const app = express();
    app.disable('x-powered-by');
    app.use((_req: Request, res: Response, next: NextFunction) => {
      res.set(SECURITY_HEADERS);
      next();
    });
    // No token: what a phone needs before anything else.
    app.get('/ca.pem', (_req, res) => {
      res.type('application/x-pem-file').set('content-disposition', 'attachment; filename="phonehome-ca.pem"').send(options.ca.certPem);
    });
    app.get('/ca.crt', (_req, res) => {
      res.type('application/x-x509-ca-cert').set('content-disposition', 'attachment; filename="phonehome-ca.crt"').send(options.ca.certDer);
    });
    app.get('/setup', (_req, res) => {
      res.type('html').send(renderSetupPage(options.setup()));
    });
    app.use(refuseCrossOriginWrites());
    app.use(acceptTokenInUrl(options.token));
    // Dashboard (web/): a browser that opens it without the token gets a page saying what to do, not JSON.
    app.get('/', (req, res, next) => {
      if (tokensMatch(tokenFromRequest(req), options.token) || !existsSync(options.webRoot)) return next();
      res.status(401).type('html').send(TOKEN_NEEDED_PAGE);
    });
    app.use(requireToken(options.token));
    // The dashboard's setup view: the same facts as the setup page, as JSON.
    app.get('/api/setup', (_req, res) => {
      res.json({ ...options.setup(), caUrls: { pem: '/ca.pem', crt: '/ca.crt' }, setupHost: 'http://phonehome.setup/' });
    });
    app.use('/api', createControlRouter(options));
    app.use('/api', createApiRouter(options));
    if (existsSync(options.webRoot)) app.use(express.static(options.webRoot, { index: 'index.html' }));
    else app.get('/', (_req, res) => res.redirect(303, '/setup'));
    app.use((_req: Request, res: Response) => sendError(res, 404, 'not found'));
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      options.logger.error('dashboard error', { error: error.message });
      if (!res.headersSent) sendError(res, 500, 'internal error');
    });

    const server = http.createServer(app);
    this.server = server;
    this.live.attach(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: options.host, port: options.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server.address() as AddressInfo;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await this.live.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
