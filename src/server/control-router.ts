// Control of the capture from the dashboard: pause and resume recording (forwarding never stops), timestamped
// markers on the session ("factory reset done"), and device labels. Behind the token like the rest of /api.
import express, { type Request, type Response, type Router } from 'express';
import type { Store, StoredEvent } from '../store/index.js';
import { sendError } from './http-error.js';

export interface CaptureControl {
  readonly paused: boolean;
  setPaused(paused: boolean): void;
}

export interface ControlState {
  store: Store;
  capture: CaptureControl;
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

  return router;
}
