// The HTTP API of DESIGN.md ("HTTP API"). Every route here sits behind the token.
import express, { type Request, type Response, type Router } from 'express';
import { REPORT_CSP } from '../export/html-report.js';
import { EXPORT_FORMATS, EXPORT_TYPES, exportFileName, exportSession, isExportFormat } from '../export/session-export.js';
import { decodedLayers } from '../detect/index.js';
import { collectSessionHosts, diffSessions } from '../export/session-diff.js';
import type { HostRow } from '../hosts/host-table.js';
import type { DeviceProfile } from '../types/index.js';
import type { SessionInfo, Store } from '../store/index.js';
import { HttpError, sendError } from './http-error.js';

export interface ApiState {
  store: Store;
  version: string;
  hostsOf(sessionId: string): Promise<HostRow[]>;
  startSession(name: string | undefined): SessionInfo;
  /** The device profiles in force: a redacted export masks their values too, not only what was found. */
  currentProfiles?(): DeviceProfile[];
}

function intParam(req: Request, name: string, fallback: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new HttpError(400, `"${name}" must be a non-negative integer`);
  return Math.min(Number(raw), max);
}

function stringParam(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw new HttpError(400, `"${name}" must be given once`);
  return raw;
}

export function createApiRouter(state: ApiState): Router {
  const router = express.Router();
  const { store } = state;

  /** ?session=ID|NAME|latest, or the current session when absent. */
  const sessionOf = (req: Request): SessionInfo => {
    const wanted = stringParam(req, 'session');
    if (wanted === undefined) return store.currentSession();
    const session = store.findSession(wanted);
    if (!session) throw new HttpError(404, `no session "${wanted}"`);
    return session;
  };

  const route = (handler: (req: Request, res: Response) => unknown) => async (req: Request, res: Response) => {
    try {
      const result = await handler(req, res);
      if (result !== undefined && !res.headersSent) res.json(result);
    } catch (error) {
      if (error instanceof HttpError) sendError(res, error.status, error.message);
      else {
        sendError(res, 500, 'internal error');
        throw error;
      }
    }
  };

  router.get('/health', route(() => ({ ok: true, version: state.version, writeError: store.writeError ?? null })));

  router.get('/sessions', route(() => store.listSessions()));
  router.post(
    '/sessions',
    express.json({ limit: '16kb' }),
    route((req, res) => {
      const name = (req.body as { name?: unknown } | undefined)?.name;
      if (name !== undefined && (typeof name !== 'string' || name.length > 200)) throw new HttpError(400, '"name" must be a string of at most 200 characters');
      res.status(201);
      return state.startSession(name?.trim() || undefined);
    }),
  );
  router.get(
    '/sessions/:id',
    route((req) => {
      const session = store.findSession(String(req.params.id));
      if (!session) throw new HttpError(404, `no session "${String(req.params.id)}"`);
      return session;
    }),
  );

  router.get(
    '/flows',
    route((req) => {
      const session = sessionOf(req);
      return store.listFlows(session.id, {
        host: stringParam(req, 'host'),
        q: stringParam(req, 'q'),
        offset: intParam(req, 'offset', 0, Number.MAX_SAFE_INTEGER),
        limit: intParam(req, 'limit', 100, 1000),
      });
    }),
  );
  router.get(
    '/flows/:id',
    route((req) => {
      const found = store.getFlow(String(req.params.id));
      if (!found) throw new HttpError(404, `no flow "${String(req.params.id)}"`);
      return found;
    }),
  );
  router.get(
    '/flows/:id/layers',
    route(async (req) => {
      const found = store.getFlow(String(req.params.id));
      if (!found) throw new HttpError(404, `no flow "${String(req.params.id)}"`);
      const { flow } = found;
      const body = (await store.readBody(flow.id, 'request', 'raw')) ?? Buffer.alloc(0);
      return decodedLayers({ scheme: flow.scheme, method: flow.request.method, url: flow.request.url, host: flow.host, requestHeaders: flow.request.headers, requestBody: body, device: flow.device });
    }),
  );

  for (const which of ['request', 'response'] as const) {
    router.get(
      `/flows/:id/${which}-body`,
      route(async (req, res) => {
        const form = req.query.decoded === '1' ? 'decoded' : 'raw';
        const body = await store.readBody(String(req.params.id), which, form);
        if (!body) throw new HttpError(404, `no ${which} body for flow "${String(req.params.id)}"`);
        // Captured bytes are untrusted: never let a browser render them as a page.
        res.set({ 'content-type': 'application/octet-stream', 'content-disposition': 'attachment', 'x-content-type-options': 'nosniff' });
        res.send(body);
        return undefined;
      }),
    );
  }

  router.get(
    '/sessions/:id/export',
    route(async (req, res) => {
      const session = store.findSession(String(req.params.id));
      if (!session) throw new HttpError(404, `no session "${String(req.params.id)}"`);
      const format = stringParam(req, 'format') ?? 'har';
      if (!isExportFormat(format)) throw new HttpError(400, `format "${format}" is not available; available: ${EXPORT_FORMATS.join(', ')}`);
      res.set({
        'content-type': EXPORT_TYPES[format].contentType,
        'content-disposition': `attachment; filename="${exportFileName(session, format)}"`,
        'x-content-type-options': 'nosniff',
        // The report has no script and loads nothing: even opened in place it may do nothing else.
        ...(format === 'html' ? { 'content-security-policy': REPORT_CSP } : {}),
      });
      const redact = stringParam(req, 'redact');
      if (redact !== undefined && redact !== '1' && redact !== '0') throw new HttpError(400, '"redact" must be 1 or 0');
      await exportSession(store, session, format, res, { creatorVersion: state.version, ...(redact === '1' ? { redact: { profiles: state.currentProfiles?.() ?? [] } } : {}) });
      res.end();
      return undefined;
    }),
  );

  router.get(
    '/diff',
    route(async (req) => {
      const [a, b] = ['a', 'b'].map((name) => {
        const wanted = stringParam(req, name);
        if (!wanted) throw new HttpError(400, `"${name}" must name a session (id or name)`);
        const session = store.findSession(wanted);
        if (!session) throw new HttpError(404, `no session "${wanted}"`);
        return session;
      }) as [SessionInfo, SessionInfo];
      return diffSessions(await collectSessionHosts(store, a), await collectSessionHosts(store, b));
    }),
  );

  router.get('/findings', route((req) => store.findings(sessionOf(req).id)));
  router.get('/hosts', route((req) => state.hostsOf(sessionOf(req).id)));
  router.get('/events', route((req) => store.events(sessionOf(req).id)));
  router.get('/devices', route(() => store.listDevices()));

  router.use((_req: Request, res: Response) => sendError(res, 404, 'no such API route'));
  return router;
}
