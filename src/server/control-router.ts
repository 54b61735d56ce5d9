// Control of the capture from the dashboard: pause and resume recording (forwarding never stops), timestamped
// markers on the session ("factory reset done"), and device labels. Behind the token like the rest of /api.
import express, { type Request, type Response, type Router } from 'express';
import type { Store, StoredEvent } from '../store/index.js';
import { sendError } from './http-error.js';

export interface CaptureControl {
  readonly paused: boolean;
  setPaused(paused: boolean): void;
}

/** The device profiles, editable: save() throws an error with `field` for a profile it refuses. */
export interface ProfileControl {
  list(): { index: number; source: string; profile: unknown }[];
  save(index: number | undefined, json: unknown): Promise<{ index: number; source: string; profile: unknown }>;
}

/** A HAR uploaded from the dashboard becomes a new session of the running store. */
export type HarImporter = (text: string, sessionName: string) => { sessionId: string; entries: number; findings: number };

export interface ControlState {
  store: Store;
  capture: CaptureControl;
  profiles: ProfileControl;
  importHar: HarImporter;
}

function textField(body: unknown, name: string, max: number): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= max ? trimmed : undefined;
}

export function createControlRouter(state: ControlState): Router {
  const router = express.Router();
  const json = express.json({ limit: '16kb' });

  router.get('/capture', (_req: Request, res: Response) => {
    res.json({ paused: state.capture.paused });
  });
  router.put('/capture', json, (req: Request, res: Response) => {
    const paused = (req.body as { paused?: unknown } | undefined)?.paused;
    if (typeof paused !== 'boolean') return sendError(res, 400, '"paused" must be true or false');
    state.capture.setPaused(paused);
    res.json({ paused: state.capture.paused });
  });

  router.post('/markers', json, (req: Request, res: Response) => {
    const text = textField(req.body, 'text', 500);
    if (!text) return sendError(res, 400, '"text" must be a non-empty string of at most 500 characters');
    const session = state.store.currentSession();
    const marker: StoredEvent = { type: 'marker', time: Date.now(), text };
    state.store.addEvent(session.id, marker);
    res.status(201).json({ ...marker, sessionId: session.id });
  });

  router.put('/devices/:address', json, (req: Request, res: Response) => {
    const address = String(req.params.address);
    const label = textField(req.body, 'label', 100);
    if (label === undefined) return sendError(res, 400, '"label" must be a non-empty string of at most 100 characters');
    if (!state.store.listDevices().some((d) => d.address === address)) return sendError(res, 404, `no device "${address}"`);
    state.store.upsertDevice(address, Date.now(), label);
    res.json(state.store.listDevices().find((d) => d.address === address));
  });

  // The body is the HAR file itself (what a browser's file input sends), up to 256 MiB.
  router.post('/import', express.raw({ type: () => true, limit: '256mb' }), (req: Request, res: Response) => {
    const body = req.body as Buffer | undefined;
    if (!Buffer.isBuffer(body) || body.length === 0) return sendError(res, 400, 'the request body must be a HAR file');
    const name = typeof req.query.name === 'string' && req.query.name.trim() !== '' ? req.query.name.trim().slice(0, 200) : `import of ${new Date().toISOString()}`;
    try {
      res.status(201).json(state.importHar(body.toString('utf8'), name));
    } catch (error) {
      sendError(res, 400, `not an importable HAR: ${(error as Error).message}`);
    }
  });

  router.get('/profiles', (_req: Request, res: Response) => {
    res.json(state.profiles.list());
  });
  const saveProfile = (index: number | undefined) => async (req: Request, res: Response) => {
    try {
      const saved = await state.profiles.save(index, req.body);
      res.status(index === undefined ? 201 : 200).json(saved);
    } catch (error) {
      const field = (error as { field?: unknown }).field;
      if (typeof field === 'string') {
        res.status(400).json({ error: { message: (error as Error).message, field } });
      } else if (error instanceof RangeError) {
        sendError(res, 404, error.message);
      } else {
        sendError(res, 500, `the profile could not be saved: ${(error as Error).message}`);
      }
    }
  };
  router.post('/profiles', json, saveProfile(undefined));
  router.put('/profiles/:index', json, (req: Request, res: Response) => {
    const index = Number(req.params.index);
    if (!Number.isInteger(index) || index < 0) return sendError(res, 400, 'profile index must be a non-negative integer');
    return saveProfile(index)(req, res);
  });

  return router;
}
