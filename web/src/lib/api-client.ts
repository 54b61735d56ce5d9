// The dashboard's HTTP client. The token travels as the HttpOnly cookie set by /?token=…; it is never read or
// put in a URL here.
import type { DeviceRecord, Finding, Flow, FlowSummary, HostRow, ProfileEntry, SessionDiff, SessionInfo, SetupInfo } from './api-types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  // A request that hangs must not stall the poll that depends on it.
  const response = await fetch(path, { credentials: 'same-origin', signal: AbortSignal.timeout(15_000), ...init });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

const sessionParam = (sessionId: string | undefined) => (sessionId ? `session=${encodeURIComponent(sessionId)}` : '');

export const api = {
  sessions: () => request<SessionInfo[]>('api/sessions'),
  newSession: (name: string) =>
    request<SessionInfo>('api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) }),
  flows: (sessionId: string | undefined, offset: number, limit: number) =>
    request<{ total: number; flows: FlowSummary[] }>(`api/flows?${sessionParam(sessionId)}&offset=${offset}&limit=${limit}`),
  flow: (id: string) => request<{ flow: Flow; findings: Finding[] }>(`api/flows/${encodeURIComponent(id)}`),
  findings: (sessionId: string | undefined) => request<Finding[]>(`api/findings?${sessionParam(sessionId)}`),
  hosts: (sessionId: string | undefined) => request<HostRow[]>(`api/hosts?${sessionParam(sessionId)}`),
  devices: () => request<DeviceRecord[]>('api/devices'),
  events: (sessionId: string | undefined) => request<{ type: string; time: number; [k: string]: unknown }[]>(`api/events?${sessionParam(sessionId)}`),
  setup: () => request<SetupInfo>('api/setup'),
  /** Uploads a HAR file (from any tool): it becomes a new session, analysed like a live one. */
  importHar: (file: Blob, name: string) =>
    request<{ sessionId: string; entries: number; findings: number }>(`api/import?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: file,
    }),
  layers: (id: string) => request<{ where: string; encodings: string[]; text: string; truncated: boolean }[]>(`api/flows/${encodeURIComponent(id)}/layers`),
  profiles: () => request<ProfileEntry[]>('api/profiles'),
  /** Saves a profile (index = replace, undefined = new); a refusal carries the offending field. */
  async saveProfile(index: number | undefined, profile: Record<string, unknown>): Promise<ProfileEntry> {
    const response = await fetch(index === undefined ? 'api/profiles' : `api/profiles/${index}`, {
      method: index === undefined ? 'POST' : 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(profile),
    });
    const body = (await response.json()) as ProfileEntry & { error?: { message: string; field?: string } };
    if (!response.ok) throw Object.assign(new ApiError(response.status, body.error?.message ?? `${response.status}`), { field: body.error?.field });
    return body;
  },
  diff: (a: string, b: string) => request<SessionDiff>(`api/diff?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`),
  health: () => request<{ ok: boolean; version: string; writeError: string | null }>('api/health'),
  capture: () => request<{ paused: boolean }>('api/capture'),
  setCapture: (paused: boolean) =>
    request<{ paused: boolean }>('api/capture', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paused }) }),
  addMarker: (text: string) =>
    request<{ type: 'marker'; time: number; text: string; sessionId: string }>('api/markers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) }),
  setDeviceLabel: (address: string, label: string) =>
    request<DeviceRecord>(`api/devices/${encodeURIComponent(address)}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label }) }),
  /** A captured body as bytes; decoded=true undoes the content-encoding (gzip, br…) when the server could. */
  async body(id: string, which: 'request' | 'response', decoded: boolean): Promise<Uint8Array> {
    const response = await fetch(`api/flows/${encodeURIComponent(id)}/${which}-body${decoded ? '?decoded=1' : ''}`, { credentials: 'same-origin' });
    if (!response.ok) throw new ApiError(response.status, `${which} body: ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  },
};
