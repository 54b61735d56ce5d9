// Turns the entries of a HAR file from any tool (phonehome, Chrome, Firefox, Safari, Charles, mitmproxy, HTTP
// Toolkit) into CapturedFlow records, so an imported session is stored, analysed and browsed like a live one.
// Bodies: request bodies from `postData.text` (base64 when `_postDataEncoding` or `encoding` says so, on postData or,
// as phonehome writes it, on the request), from HTTP Toolkit's `_content`, or rebuilt from `postData.params`;
// response bodies from `content.text` (base64 when `encoding` says so). HAR holds response bodies decoded, so they
// are kept as they are, without a content-encoding to undo.
import { randomUUID } from 'node:crypto';
import type { CapturedFlow, Flow, FlowErrorCode, FlowScheme, HeaderPair, WebSocketMessage } from '../types/index.js';

export class HarImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarImportError';
  }
}

/** The device an entry is attributed to when the HAR does not say (browsers' HARs never do). */
export const IMPORTED_DEVICE = 'imported';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const isBase64 = (v: unknown): boolean => typeof v === 'string' && v.toLowerCase() === 'base64';

const ERROR_CODES: readonly FlowErrorCode[] = ['upstream-unreachable', 'upstream-tls', 'upstream-timeout', 'upstream-reset', 'client-aborted', 'bad-request', 'refused', 'proxy-error'];

function nameValues(v: unknown): { name: string; value: string }[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((x) => ({ name: String(x.name ?? ''), value: x.value === undefined || x.value === null ? '' : String(x.value) }));
}

/** Headers as they travelled; HTTP/2 and HTTP/3 pseudo-headers (`:path`…) repeat the URL and are left out. */
function headersOf(v: unknown): HeaderPair[] {
  return nameValues(v)
    .filter((h) => h.name !== '' && !h.name.startsWith(':'))
    .map((h): HeaderPair => [h.name, h.value]);
}

function headerValue(headers: HeaderPair[], name: string): string | undefined {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1];
}

function requestBody(req: Obj, headers: HeaderPair[]): { bytes: Buffer; truncated: boolean } {
  const truncated = req._postDataTruncated === true || req._requestBodyStatus === 'discarded:too-large';
  const content = req._content;
  if (isObj(content) && typeof content.text === 'string') {
    return { bytes: Buffer.from(content.text, isBase64(content.encoding) ? 'base64' : 'utf8'), truncated };
  }
  const pd = req.postData;
  if (!isObj(pd)) return { bytes: Buffer.alloc(0), truncated };
  if (typeof pd.text === 'string' && pd.text !== '') {
    const b64 = isBase64(pd._postDataEncoding) || isBase64(pd.encoding) || isBase64(pd._encoding) || isBase64(req._postDataEncoding);
    return { bytes: Buffer.from(pd.text, b64 ? 'base64' : 'utf8'), truncated };
  }
  const params = nameValues(pd.params);
  if (params.length === 0) return { bytes: Buffer.alloc(0), truncated };
  // Only the parsed params were kept: rebuild a form body, and say so when the request named no (or another) type.
  const type = headerValue(headers, 'content-type') ?? '';
  if (!/x-www-form-urlencoded/i.test(type)) {
    for (let i = headers.length - 1; i >= 0; i--) if (headers[i]![0].toLowerCase() === 'content-type') headers.splice(i, 1);
    headers.push(['content-type', 'application/x-www-form-urlencoded']);
  }
  const form = params.map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.value)}`).join('&');
  return { bytes: Buffer.from(form, 'utf8'), truncated };
}

function responseBody(res: Obj): Buffer {
  const c = res.content;
  if (!isObj(c) || typeof c.text !== 'string') return Buffer.alloc(0);
  return Buffer.from(c.text, isBase64(c.encoding) ? 'base64' : 'utf8');
}

function httpVersion(v: unknown): string {
  const s = str(v)?.trim();
  return s ? s : 'HTTP/1.1';
}

function target(url: string, headers: HeaderPair[]): { scheme: FlowScheme; host: string; port: number } {
  try {
    const u = new URL(url);
    const scheme: FlowScheme = u.protocol === 'http:' || u.protocol === 'ws:' ? 'http' : 'https';
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    return { scheme, host, port: u.port ? Number(u.port) : scheme === 'http' ? 80 : 443 };
  } catch {
    const hostHeader = headerValue(headers, 'host') ?? '';
    const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(hostHeader);
    return { scheme: 'https', host: m?.[1] ?? hostHeader, port: m?.[2] ? Number(m[2]) : 443 };
  }
}

function errorOf(ent: Obj, res: Obj | undefined): Flow['error'] {
  const e = ent._error ?? res?._error;
  if (isObj(e) && typeof e.code === 'string' && (ERROR_CODES as readonly string[]).includes(e.code)) {
    return { code: e.code as FlowErrorCode, message: str(e.message) ?? '' };
  }
  // Browsers write a string such as "net::ERR_CONNECTION_REFUSED": the request did not get a response.
  if (typeof e === 'string' && e !== '') return { code: 'upstream-unreachable', message: e };
  return undefined;
}

function webSocketOf(ent: Obj): Flow['webSocket'] {
  if (!Array.isArray(ent._webSocketMessages)) return undefined;
  const messages: WebSocketMessage[] = ent._webSocketMessages.filter(isObj).map((m) => {
    const binary = m.opcode === 2;
    const data = str(m.data) ?? '';
    return {
      direction: m.type === 'send' ? 'sent' : 'received',
      // HAR tools write epoch seconds (with a fraction).
      time: Math.round((num(m.time) ?? 0) * 1000),
      size: binary ? Buffer.from(data, 'base64').length : Buffer.byteLength(data, 'utf8'),
      opcode: binary ? 'binary' : 'text',
      data,
      truncated: false,
    };
  });
  return { messages };
}

/** One entry as a CapturedFlow of the given session. `fallbackTime` is used when startedDateTime does not parse. */
export function entryToCapturedFlow(e: unknown, sessionId: string, fallbackTime: number): CapturedFlow {
  const ent = isObj(e) ? e : {};
  const req = isObj(ent.request) ? ent.request : {};
  const url = str(req.url) ?? '';
  const headers = headersOf(req.headers);
  // Cookies listed only in request.cookies (no Cookie header) still travelled in one.
  const cookies = nameValues(req.cookies);
  if (cookies.length > 0 && headerValue(headers, 'cookie') === undefined) headers.push(['Cookie', cookies.map((c) => `${c.name}=${c.value}`).join('; ')]);
  const { scheme, host, port } = target(url, headers);
  const body = requestBody(req, headers);
  const started = Date.parse(str(ent.startedDateTime) ?? '');
  const requestEncoding = headerValue(headers, 'content-encoding');
  const reqSize = num(req.bodySize);
  const flow: Flow = {
    id: randomUUID(),
    sessionId,
    kind: 'exchange',
    device: str(ent._device) ?? str(ent._clientAddress) ?? str(ent.clientIPAddress) ?? IMPORTED_DEVICE,
    startedAt: Number.isFinite(started) ? started : fallbackTime,
    scheme,
    host,
    port,
    request: {
      method: str(req.method) ?? 'GET',
      url,
      httpVersion: httpVersion(req.httpVersion),
      headers,
      body: {
        size: Math.max(body.bytes.length, reqSize ?? 0),
        captured: body.bytes.length,
        truncated: body.truncated || (reqSize !== undefined && reqSize > body.bytes.length),
        ...(requestEncoding ? { contentEncoding: requestEncoding } : {}),
      },
    },
    timings: timingsOf(ent),
  };
  const res = isObj(ent.response) ? ent.response : undefined;
  let responseBytes: Buffer = Buffer.alloc(0);
  const status = num(res?.status) ?? 0;
  // Status 0 is how HAR writers say "no response" (an error, an aborted request).
  if (res && status > 0) {
    responseBytes = responseBody(res);
    const content = isObj(res.content) ? res.content : {};
    const size = Math.max(responseBytes.length, num(content.size) ?? 0);
    flow.response = {
      status,
      statusText: str(res.statusText) ?? '',
      httpVersion: httpVersion(res.httpVersion),
      headers: headersOf(res.headers),
      body: { size, captured: responseBytes.length, truncated: responseBytes.length < size },
    };
  }
  const serverIp = str(ent.serverIPAddress)?.replace(/^\[(.*)\]$/, '$1');
  if (serverIp) flow.serverIp = serverIp;
  const error = errorOf(ent, res);
  if (error) flow.error = error;
  const webSocket = webSocketOf(ent);
  if (webSocket) flow.webSocket = webSocket;
  return { flow, requestBody: body.bytes, responseBody: responseBytes };
}

function timingsOf(ent: Obj): Flow['timings'] {
  const t = isObj(ent.timings) ? ent.timings : {};
  const phase = (name: string): number => {
    const v = num(t[name]);
    return v === undefined || v < 0 ? -1 : v;
  };
  const tls = phase('ssl');
  const connectWithTls = phase('connect');
  // HAR counts ssl inside connect; phonehome keeps them apart.
  const connect = connectWithTls < 0 ? -1 : Math.max(0, connectWithTls - Math.max(0, tls));
  const send = Math.max(0, phase('send'));
  const wait = Math.max(0, phase('wait'));
  const receive = Math.max(0, phase('receive'));
  const total = num(ent.time) ?? send + wait + receive + Math.max(0, connectWithTls);
  return { connect, tls, send, wait, receive, total: Math.max(0, total) };
}

export interface HarLog {
  entries: unknown[];
  /** phonehome's and HTTP Toolkit's `log._tlsErrors`. */
  tlsErrors: unknown[];
  /** phonehome's `log._tunnels` (TLS connections passed through untouched). */
  tunnels: unknown[];
}

/** The parts of a HAR document an import uses (text; a leading UTF-8 BOM is fine). Throws HarImportError when it is not a HAR. */
export function readHarLog(text: string): HarLog {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new HarImportError(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const log = isObj(doc) ? doc.log : undefined;
  if (!isObj(log) || !Array.isArray(log.entries)) throw new HarImportError('not a HAR file: no log.entries array');
  return {
    entries: log.entries,
    tlsErrors: Array.isArray(log._tlsErrors) ? log._tlsErrors : [],
    tunnels: Array.isArray(log._tunnels) ? log._tunnels : [],
  };
}

/** A TLS failure of `log._tlsErrors` as a stored 'tls-failure' event (phonehome's own shape, or HTTP Toolkit's). */
export function tlsErrorToEvent(e: unknown, fallbackTime: number): { type: 'tls-failure'; time: number; host: string; port: number; device: string; cause: string; message: string } | undefined {
  if (!isObj(e)) return undefined;
  const host = str(e.host) ?? str(e.hostname);
  if (!host) return undefined;
  const time = num(e.time) ?? Date.parse(str(e.startedDateTime) ?? str(e.failureTime) ?? '');
  return {
    type: 'tls-failure',
    time: Number.isFinite(time) ? time : fallbackTime,
    host,
    port: num(e.port) ?? 443,
    device: str(e.device) ?? str(e.remoteIpAddress) ?? IMPORTED_DEVICE,
    cause: str(e.cause) ?? str(e.failureCause) ?? 'unknown',
    message: str(e.message) ?? '',
  };
}

/** A tunnel of phonehome's `log._tunnels` as a tunnel flow of the session. */
export function tunnelToCapturedFlow(t: unknown, sessionId: string, fallbackTime: number): CapturedFlow | undefined {
  if (!isObj(t) || typeof t.host !== 'string' || t.host === '') return undefined;
  const port = num(t.port) ?? 443;
  const started = Date.parse(str(t.startedDateTime) ?? '');
  const bytesUp = Math.max(0, num(t.bytesUp) ?? 0);
  const bytesDown = Math.max(0, num(t.bytesDown) ?? 0);
  const flow: Flow = {
    id: randomUUID(),
    sessionId,
    kind: 'tunnel',
    device: str(t.device) ?? IMPORTED_DEVICE,
    startedAt: Number.isFinite(started) ? started : fallbackTime,
    scheme: 'https',
    host: t.host,
    port,
    request: {
      method: 'CONNECT',
      url: `https://${t.host.includes(':') ? `[${t.host}]` : t.host}:${port}`,
      httpVersion: 'HTTP/1.1',
      headers: [],
      body: { size: bytesUp, captured: 0, truncated: bytesUp > 0 },
    },
    timings: { connect: -1, tls: -1, send: 0, wait: 0, receive: 0, total: 0 },
    tunnel: { bytesUp, bytesDown, reason: t.reason === 'likely-pinned' ? 'likely-pinned' : 'passthrough-pattern' },
  };
  const sni = str(t.sni);
  if (sni) flow.tls = { sni };
  return { flow, requestBody: Buffer.alloc(0), responseBody: Buffer.alloc(0) };
}
