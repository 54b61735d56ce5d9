// HAR 1.2 export of a session, streamed: flows are read one at a time from the journal and written as they come,
// so a session of 100k flows is never held in memory. One page per device; phonehome's own facts go in fields with
// a leading underscore (_findings, _device, _error, _webSocketMessages, _tlsErrors, _tunnels), as the spec allows.
import type { Writable } from 'node:stream';
import type { Store } from '../store/index.js';
import type { Finding, Flow, HeaderPair } from '../types/index.js';

export interface HarWriteOptions {
  creatorVersion: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text when the bytes are valid UTF-8, else base64 (HAR's content.encoding). */
function bodyText(bytes: Buffer): { text: string; encoding?: 'base64' } {
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { text: bytes.toString('base64'), encoding: 'base64' };
  }
}

function header(headers: HeaderPair[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

function cookiesOf(headers: HeaderPair[], name: 'cookie' | 'set-cookie'): { name: string; value: string }[] {
  const cookies: { name: string; value: string }[] = [];
  for (const [n, v] of headers) {
    if (n.toLowerCase() !== name) continue;
    const parts = name === 'cookie' ? v.split(';') : [v.split(';')[0] ?? ''];
    for (const part of parts) {
      const eq = part.indexOf('=');
      if (eq > 0) cookies.push({ name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
    }
  }
  return cookies;
}

function queryOf(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

const pageId = (device: string) => `device ${device}`;

async function entryOf(store: Store, flow: Flow, findings: Finding[]): Promise<Record<string, unknown>> {
  const requestBody = (await store.readBody(flow.id, 'request', 'raw')) ?? Buffer.alloc(0);
  const responseRaw = (await store.readBody(flow.id, 'response', 'raw')) ?? Buffer.alloc(0);
  const responseDecoded = flow.response?.body.decodedSize !== undefined ? await store.readBody(flow.id, 'response', 'decoded') : undefined;
  const t = flow.timings;
  // HAR: send/wait/receive are required and non-negative; connect includes ssl; unknowns are -1.
  const send = Math.max(0, t.send);
  const wait = Math.max(0, t.wait);
  const receive = Math.max(0, t.receive);
  const connect = t.connect >= 0 ? t.connect + Math.max(0, t.tls) : -1;
  const request: Record<string, unknown> = {
    method: flow.request.method,
    url: flow.request.url,
    httpVersion: flow.request.httpVersion,
    cookies: cookiesOf(flow.request.headers, 'cookie'),
    headers: flow.request.headers.map(([name, value]) => ({ name, value })),
    queryString: queryOf(flow.request.url),
    headersSize: -1,
    bodySize: flow.request.body.size,
  };
  if (requestBody.length > 0 || flow.request.body.size > 0) {
    const body = bodyText(requestBody);
    // postData has no encoding field in HAR 1.2: a binary body says so in `_postDataEncoding`, inside postData where
    // readers (ours, HAR viewers) look for it, and on the request as earlier exports wrote it.
    request.postData = { mimeType: header(flow.request.headers, 'content-type') ?? '', text: body.text, ...(body.encoding ? { _postDataEncoding: body.encoding } : {}) };
    if (body.encoding) request._postDataEncoding = body.encoding;
    if (flow.request.body.truncated) request._postDataTruncated = true;
  }
  const response = flow.response;
  const content = responseDecoded ?? responseRaw;
  const contentBody = bodyText(content);
  const entry: Record<string, unknown> = {
    pageref: pageId(flow.device),
    startedDateTime: new Date(flow.startedAt).toISOString(),
    time: send + wait + receive + Math.max(0, connect),
    request,
    response: {
      status: response?.status ?? 0,
      statusText: response?.statusText ?? '',
      httpVersion: response?.httpVersion ?? '',
      cookies: response ? cookiesOf(response.headers, 'set-cookie') : [],
      headers: (response?.headers ?? []).map(([name, value]) => ({ name, value })),
      content: {
        size: response?.body.decodedSize ?? response?.body.size ?? 0,
        ...(response?.body.decodedSize !== undefined ? { compression: response.body.decodedSize - response.body.size } : {}),
        mimeType: (response && header(response.headers, 'content-type')) ?? 'x-unknown',
        ...(content.length > 0 ? { text: contentBody.text } : {}),
        ...(content.length > 0 && contentBody.encoding ? { encoding: contentBody.encoding } : {}),
      },
      redirectURL: (response && header(response.headers, 'location')) ?? '',
      headersSize: -1,
      bodySize: response ? response.body.size : -1,
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect, send, wait, receive, ssl: t.tls },
    _device: flow.device,
    _flowId: flow.id,
    _findings: findings.map(({ id: _id, flowId: _flowId, ...finding }) => finding),
  };
  if (flow.serverIp) entry.serverIPAddress = flow.serverIp;
  if (flow.error) entry._error = flow.error;
  if (flow.webSocket) {
    entry._resourceType = 'websocket';
    entry._webSocketMessages = flow.webSocket.messages.map((m) => ({
      type: m.direction === 'sent' ? 'send' : 'receive',
      time: m.time / 1000,
      opcode: m.opcode === 'text' ? 1 : 2,
      data: m.data,
    }));
  }
  return entry;
}

/** Writes the session as one HAR document to out, awaiting backpressure between entries. */
export async function writeHar(store: Store, sessionId: string, out: Writable, options: HarWriteOptions): Promise<void> {
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(text)) resolve();
      else {
        out.once('drain', resolve);
        out.once('error', reject);
      }
    });
  const devices = new Map<string, number>();
  const tunnels: Record<string, unknown>[] = [];
  await write(`{"log":{"version":"1.2","creator":${JSON.stringify({ name: 'phonehome', version: options.creatorVersion })},"entries":[`);
  let first = true;
  for await (const { flow, findings } of store.iterateFlows(sessionId)) {
    if (flow.kind === 'tunnel') {
      tunnels.push({ host: flow.host, port: flow.port, sni: flow.tls?.sni, startedDateTime: new Date(flow.startedAt).toISOString(), device: flow.device, ...flow.tunnel });
      continue;
    }
    if (!devices.has(flow.device) || flow.startedAt < devices.get(flow.device)!) devices.set(flow.device, flow.startedAt);
    await write(`${first ? '' : ','}${JSON.stringify(await entryOf(store, flow, findings))}`);
    first = false;
  }
  const pages = [...devices].map(([device, started]) => ({
    startedDateTime: new Date(started).toISOString(),
    id: pageId(device),
    title: `phonehome capture of ${device}`,
    pageTimings: { onContentLoad: -1, onLoad: -1 },
  }));
  const tlsErrors = store.events(sessionId).filter((e) => e.type === 'tls-failure');
  await write(`],"pages":${JSON.stringify(pages)},"_tlsErrors":${JSON.stringify(tlsErrors)},"_tunnels":${JSON.stringify(tunnels)}}}\n`);
}
