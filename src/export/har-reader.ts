// Reads a HAR 1.2 file's entries into DetectionInput objects. Accepts exports of phonehome, Chrome, Firefox,
// Safari, Charles, mitmproxy and HTTP Toolkit: a UTF-8 BOM; request bodies in `postData.text` (plain, or base64
// when `_postDataEncoding` or `encoding` says so), in `postData.params` only, or in HTTP Toolkit's `_content`.
import type { DetectionInput, FlowScheme, HeaderPair } from '../types/index.js';

export class HarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarError';
  }
}

export interface HarEntryInput {
  /** 0-based index into log.entries. */
  entry: number;
  input: DetectionInput;
  /** Epoch ms of startedDateTime, when it parses. */
  time?: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function nameValues(v: unknown): { name: string; value: string }[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((x) => ({ name: String(x.name ?? ''), value: x.value === undefined || x.value === null ? '' : String(x.value) }));
}

function isBase64Flag(v: unknown): boolean {
  return typeof v === 'string' && v.toLowerCase() === 'base64';
}

function requestBody(req: Obj, headers: HeaderPair[]): Buffer {
  const content = req._content;
  if (isObj(content) && typeof content.text === 'string') {
    return isBase64Flag(content.encoding) ? Buffer.from(content.text, 'base64') : Buffer.from(content.text, 'utf8');
  }
  const pd = req.postData;
  if (!isObj(pd)) return Buffer.alloc(0);
  if (typeof pd.text === 'string' && pd.text !== '') {
    const b64 = isBase64Flag(pd._postDataEncoding) || isBase64Flag(pd.encoding) || isBase64Flag(pd._encoding);
    return b64 ? Buffer.from(pd.text, 'base64') : Buffer.from(pd.text, 'utf8');
  }
  const params = nameValues(pd.params);
  if (params.length === 0) return Buffer.alloc(0);
  // Only the decoded params were kept: rebuild a form body (and say so, if the request had no content type).
  if (!headers.some(([n]) => n.toLowerCase() === 'content-type') || /multipart\//i.test(str(pd.mimeType) ?? '')) {
    const i = headers.findIndex(([n]) => n.toLowerCase() === 'content-type');
    if (i >= 0) headers.splice(i, 1);
    headers.push(['content-type', 'application/x-www-form-urlencoded']);
  }
  return Buffer.from(params.map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.value)}`).join('&'), 'utf8');
}

function responseBody(res: Obj): Buffer | undefined {
  const c = res.content;
  if (!isObj(c) || typeof c.text !== 'string') return undefined;
  return isBase64Flag(c.encoding) ? Buffer.from(c.text, 'base64') : Buffer.from(c.text, 'utf8');
}

/** Parses HAR text (a leading BOM is fine) into one DetectionInput per entry. Throws HarError when it is not a HAR. */
export function readHar(text: string): HarEntryInput[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new HarError(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const log = isObj(doc) ? doc.log : undefined;
  if (!isObj(log) || !Array.isArray(log.entries)) throw new HarError('not a HAR file: no log.entries array');
  return log.entries.map((e: unknown, entry): HarEntryInput => {
    const ent = isObj(e) ? e : {};
    const req = isObj(ent.request) ? ent.request : {};
    const url = str(req.url) ?? '';
    const headers: HeaderPair[] = nameValues(req.headers).map((h) => [h.name, h.value]);
    // Cookies listed only in request.cookies (no Cookie header) still travelled in one.
    const cookies = nameValues(req.cookies);
    if (cookies.length > 0 && !headers.some(([n]) => n.toLowerCase() === 'cookie')) {
      headers.push(['cookie', cookies.map((c) => `${c.name}=${c.value}`).join('; ')]);
    }
    let host: string;
    let scheme: FlowScheme = 'https';
    try {
      const u = new URL(url);
      host = u.hostname;
      scheme = u.protocol === 'http:' ? 'http' : 'https';
    } catch {
      host = headers.find(([n]) => n.toLowerCase() === 'host' || n === ':authority')?.[1] ?? '';
    }
    const body = requestBody(req, headers);
    const res = isObj(ent.response) ? ent.response : undefined;
    const input: DetectionInput = {
      scheme,
      method: str(req.method) ?? 'GET',
      url,
      host,
      requestHeaders: headers,
      requestBody: body,
    };
    if (res) {
      input.responseHeaders = nameValues(res.headers).map((h) => [h.name, h.value]);
      const rb = responseBody(res);
      if (rb) input.responseBody = rb;
    }
    const device = str(ent._device) ?? str(ent.clientIPAddress) ?? str(ent._clientAddress);
    if (device) input.device = device;
    const t = Date.parse(str(ent.startedDateTime) ?? '');
    return Number.isFinite(t) ? { entry, input, time: t } : { entry, input };
  });
}
