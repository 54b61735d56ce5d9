// Turns a flow's request (URL, headers, cookies, body) into leaves: every decoded text value with its `where`
// and its `encodings` chain. Layers are undone recursively (content-encoding, JSON, form, XML, multipart,
// protobuf, percent-encoding, base64, hex, gzip inside base64) to depth MAX_DEPTH within a work budget.
import { gunzipSync } from 'node:zlib';
import type { DetectionInput } from '../types/detection.js';
import { childWhere, type Leaf } from './leaf.js';
import { MAX_DEPTH, WorkBudget } from './work-budget.js';
import { decodeContentEncoding, decodeOneLayer, hasGzipMagic, hasZstdMagic } from './decode-content-encoding.js';
import { looksLikeForm, parseForm } from './decode-form.js';
import { parseCookieHeader } from './decode-cookie.js';
import { jsonLeaves, parseJsonContainer } from './decode-json.js';
import { looksLikeXml, xmlLeaves } from './decode-xml.js';
import { multipartBoundary, parseMultipart } from './decode-multipart.js';
import { looksLikeProtobuf, protobufLeaves } from './decode-protobuf.js';
import { urlDecodeLeaf } from './decode-url.js';
import { base64DecodeLeaf } from './decode-base64.js';
import { hexDecodeLeaf, ucs2BeAsText } from './decode-hex.js';
import { bytesAsText } from './text-plausibility.js';

/** Headers that carry no identifiers of the phone (or are read elsewhere: cookies, the URL). */
const SKIP_HEADERS = new Set([
  ':method', ':scheme', ':path', ':authority', 'host', 'content-length', 'content-type', 'content-encoding', 'transfer-encoding',
  'connection', 'keep-alive', 'accept', 'accept-encoding', 'accept-language', 'cache-control', 'pragma', 'te', 'upgrade',
  'if-modified-since', 'if-none-match', 'range', 'origin', 'referer', 'expect', 'proxy-connection', 'cookie',
]);

/** Longest leaf text kept for matching (a longer value is cut). */
const MAX_LEAF_CHARS = 512 * 1024;

export interface LeafContext {
  leaves: Leaf[];
  budget: WorkBudget;
}

function header(input: DetectionInput, name: string): string | undefined {
  const h = input.requestHeaders.find(([n]) => n.toLowerCase() === name);
  return h?.[1];
}

function push(ctx: LeafContext, leaf: Leaf): boolean {
  // Cut before charging: a body over the whole budget is still scanned (its first MAX_LEAF_CHARS), not skipped.
  if (leaf.text.length > MAX_LEAF_CHARS) leaf = { ...leaf, text: leaf.text.slice(0, MAX_LEAF_CHARS) };
  if (!ctx.budget.takeLeaf() || !ctx.budget.charge(leaf.text.length)) return false;
  ctx.leaves.push(leaf);
  return true;
}

/** `top` marks the body as a whole: its structure is not listed in `encodings` unless a layer sits outside it. */
function structureEncodings(leaf: Leaf, top: boolean, name: string): string[] {
  return top && leaf.encodings.length === 0 ? [] : [...leaf.encodings, name];
}

/** Adds a leaf and the layers found inside it. */
export function expandLeaf(ctx: LeafContext, leaf: Leaf, opts: { top?: boolean; formHint?: boolean } = {}): void {
  if (!push(ctx, leaf)) return;
  if (leaf.depth >= MAX_DEPTH || ctx.budget.exhausted) return;
  const text = leaf.text;
  if (text.length < 4) return;
  // Plain numbers and short words hold no further layer.
  if (text.length < 24 && /^(?:-?\d+(?:\.\d+)?|[a-z_]+)$/.test(text)) return;
  const depth = leaf.depth + 1;
  const top = opts.top === true;
  const first = text.charCodeAt(0) === 32 || text.charCodeAt(0) === 10 ? text.trimStart().charCodeAt(0) : text.charCodeAt(0);

  const json = first === 123 || first === 91 ? parseJsonContainer(text) : undefined; // '{' or '['
  if (json !== undefined) {
    leaf.container = true;
    ctx.budget.charge(text.length);
    const enc = structureEncodings(leaf, top, 'json');
    // Integers beyond 2^53 lose digits in JSON.parse: take long unquoted digit runs from the text itself.
    if (/\d{16}/.test(text)) {
      for (const m of text.matchAll(/(?<![\w."])-?\d{16,}(?![\w."])/g)) {
        push(ctx, { text: m[0], where: leaf.where, encodings: enc, key: leaf.key, depth });
      }
    }
    const escapes = text.includes('\\u');
    for (const j of jsonLeaves(json)) {
      const where = j.path !== '' ? childWhere(leaf.where, j.path) : leaf.where;
      // Non-ASCII text the JSON wrote as \uXXXX escapes: one more layer (uescape) in the chain.
      const escaped = escapes && /[\u0080-\uffff]/.test(j.value) && !text.includes(j.value);
      expandLeaf(ctx, { text: j.value, where, encodings: escaped ? [...enc, 'uescape'] : enc, key: j.key || leaf.key, depth });
      if (ctx.budget.exhausted) return;
    }
    return;
  }
  if (first === 60 && looksLikeXml(text)) {
    leaf.container = true;
    ctx.budget.charge(text.length);
    const enc = structureEncodings(leaf, top, 'xml');
    for (const x of xmlLeaves(text)) {
      const where = top ? `xml:${x.path}` : childWhere(leaf.where, x.path);
      expandLeaf(ctx, { text: x.value, where, encodings: enc, key: x.name.replace(/^@/, ''), depth });
      if (ctx.budget.exhausted) return;
    }
    return;
  }
  const b64 = base64DecodeLeaf(text);
  if (b64) {
    ctx.budget.charge(b64.bytes.length);
    expandBytes(ctx, b64.bytes, { ...leaf, encodings: [...leaf.encodings, b64.variant], depth }, false);
    return;
  }
  if (opts.formHint || looksLikeForm(text)) {
    const pairs = parseForm(text);
    if (pairs.length > 0 && pairs.some((p) => p.value !== '')) {
      leaf.container = true;
      ctx.budget.charge(text.length);
      const enc = structureEncodings(leaf, top, 'form');
      for (const p of pairs) {
        const where = top ? `form:${p.name}` : childWhere(leaf.where, p.name);
        expandLeaf(ctx, { text: p.value, where, encodings: enc, key: p.name, depth });
        if (p.name.length >= 5 && /[\d@]/.test(p.name)) push(ctx, { text: p.name, where, encodings: enc, key: '', depth });
        if (ctx.budget.exhausted) return;
      }
      return;
    }
  }
  // Authorization-style values: "Basic base64", "Bearer token"; JWTs: base64url header.payload.signature.
  const auth = /^(?:basic|bearer|token|digest)\s+(\S{8,})$/i.exec(text);
  if (auth) {
    expandLeaf(ctx, { ...leaf, text: auth[1]!, depth });
    return;
  }
  const jwt = /^([A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]*)$/.exec(text);
  if (jwt) {
    for (const part of [jwt[1]!, jwt[2]!]) {
      const d = base64DecodeLeaf(part);
      if (d) expandBytes(ctx, d.bytes, { ...leaf, encodings: [...leaf.encodings, 'base64url'], depth }, false);
    }
    return;
  }
  const urlDecoded = urlDecodeLeaf(text);
  if (urlDecoded !== undefined) {
    expandLeaf(ctx, { ...leaf, text: urlDecoded, encodings: [...leaf.encodings, 'url'], depth });
    return;
  }
  const hex = hexDecodeLeaf(text);
  if (hex) {
    const asText = bytesAsText(hex.bytes);
    if (asText !== undefined) expandLeaf(ctx, { ...leaf, text: asText, encodings: [...leaf.encodings, hex.variant], depth });
    else {
      const ucs2 = ucs2BeAsText(hex.bytes);
      if (ucs2 !== undefined) expandLeaf(ctx, { ...leaf, text: ucs2, encodings: [...leaf.encodings, 'ucs2-hex'], depth });
      else if (hasGzipMagic(hex.bytes) || hasZstdMagic(hex.bytes)) expandBytes(ctx, hex.bytes, { ...leaf, encodings: [...leaf.encodings, hex.variant], depth }, false);
    }
  }
}

/** Tries deflate (zlib-wrapped, then raw) and brotli; the result counts only when it is plausible text. */
function inflateToText(ctx: LeafContext, bytes: Buffer): { text: string; coding: 'deflate' | 'br' } | undefined {
  // Speculative: random bytes sometimes 'inflate' to garbage, so the output is capped near real text ratios.
  const max = Math.max(1, Math.min(ctx.budget.bytesLeft, 16 * bytes.length + 256, 256 * 1024));
  // zlib-wrapped deflate announces itself (CMF 0x?8, header checksum); raw deflate and brotli are guessed, a few
  // times per flow and only for blobs big enough to be a compressed document.
  const zlibHeader = (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0;
  if (!zlibHeader && (bytes.length < 48 || ctx.budget.guesses <= 0)) return undefined;
  if (!zlibHeader) ctx.budget.guesses--;
  for (const coding of zlibHeader ? (['deflate'] as const) : (['deflate', 'br'] as const)) {
    let out: Buffer;
    try {
      out = decodeOneLayer(bytes, coding, max);
    } catch {
      continue;
    }
    ctx.budget.charge(out.length + bytes.length);
    const text = out.length >= 4 ? bytesAsText(out) : undefined;
    if (text !== undefined) return { text, coding };
  }
  return undefined;
}

/** Bytes found inside a leaf (decoded base64, a multipart part, a body): text, compressed data or protobuf. */
function expandBytes(ctx: LeafContext, bytes: Buffer, leaf: Omit<Leaf, 'text'>, top: boolean, formHint = false): void {
  if (ctx.budget.exhausted) return;
  if (hasGzipMagic(bytes) || hasZstdMagic(bytes)) {
    if (leaf.depth >= MAX_DEPTH) return;
    const coding = hasGzipMagic(bytes) ? 'gzip' : 'zstd';
    let out: Buffer;
    try {
      out = coding === 'gzip' ? gunzipSync(bytes, { maxOutputLength: Math.max(1, ctx.budget.bytesLeft) }) : decodeOneLayer(bytes, 'zstd', Math.max(1, ctx.budget.bytesLeft));
    } catch {
      ctx.budget.charge(bytes.length);
      return;
    }
    if (!ctx.budget.charge(out.length)) return;
    expandBytes(ctx, out, { ...leaf, encodings: [...leaf.encodings, coding], depth: leaf.depth + 1 }, top, formHint);
    return;
  }
  const text = bytesAsText(bytes);
  if (text !== undefined) {
    expandLeaf(ctx, { ...leaf, text }, { top, formHint });
    return;
  }
  // Compressed data without a magic number (zlib-wrapped or raw deflate, brotli) inside a decoded leaf: kept only
  // when it inflates to text.
  if (!top && bytes.length >= 8 && leaf.depth < MAX_DEPTH) {
    const inflated = inflateToText(ctx, bytes);
    if (inflated) {
      expandLeaf(ctx, { ...leaf, text: inflated.text, encodings: [...leaf.encodings, inflated.coding], depth: leaf.depth + 1 });
      return;
    }
  }
  if (looksLikeProtobuf(bytes)) {
    const fields = protobufLeaves(bytes, MAX_DEPTH);
    if (fields) {
      const enc = top && leaf.encodings.length === 0 ? [] : [...leaf.encodings, 'protobuf'];
      for (const f of fields) {
        const where = top ? `protobuf:${f.path.join('.')}` : childWhere(leaf.where, f.path.join('.'));
        const child: Leaf = { text: f.value, where, encodings: enc, key: '', depth: leaf.depth + 1 };
        if (f.raw) {
          if (child.depth < MAX_DEPTH) expandBytes(ctx, Buffer.from(f.raw.buffer, f.raw.byteOffset, f.raw.byteLength), child, false);
        } else if (f.wire === 'bytes' && child.depth < MAX_DEPTH) expandLeaf(ctx, child);
        else push(ctx, child);
        if (ctx.budget.exhausted) return;
      }
      return;
    }
  }
  // Unknown binary body: keep its printable ASCII runs so identifiers inside it are still seen. (Binary decoded
  // from a base64 leaf is not kept: the base64 alignment variants already cover values inside such blobs.)
  if (top) push(ctx, { ...leaf, text: asciiRuns(bytes) });
}

/** Printable ASCII runs of at least 4 bytes, joined by NUL (other bytes dropped). */
function asciiRuns(bytes: Buffer): string {
  return (bytes.toString('latin1').match(/[\x20-\x7e]{4,}/g) ?? []).join('\0');
}

function urlLeaves(ctx: LeafContext, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    push(ctx, { text: url, where: 'url', encodings: [], key: '', depth: 0 });
    return;
  }
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  segments.forEach((seg, i) => {
    let text = seg;
    try {
      text = decodeURIComponent(seg);
    } catch {
      // keep the raw segment
    }
    expandLeaf(ctx, { text, where: 'url', encodings: [], key: i > 0 ? segments[i - 1]! : '', depth: 0 });
  });
  // Sub-domains can carry identifiers (868828661312806.push.example.com).
  push(ctx, { text: parsed.hostname, where: 'url', encodings: [], key: '', depth: 0 });
  for (const p of parseForm(parsed.search)) {
    expandLeaf(ctx, { text: p.value, where: `query:${p.name}`, encodings: [], key: p.name, depth: 0 });
    // A bare "?868828661312806" or a name that is itself a value.
    if (p.name.length >= 5 && /[\d@]/.test(p.name)) push(ctx, { text: p.name, where: `query:${p.name}`, encodings: [], key: '', depth: 0 });
  }
}

/** All leaves of the request side of a flow. */
export function requestLeaves(input: DetectionInput, budget = new WorkBudget()): LeafContext {
  const ctx: LeafContext = { leaves: [], budget };
  urlLeaves(ctx, input.url);
  for (const [name, value] of input.requestHeaders) {
    const lname = name.toLowerCase();
    if (lname === 'cookie') {
      for (const c of parseCookieHeader(value)) {
        expandLeaf(ctx, { text: c.value, where: `cookie:${c.name}`, encodings: [], key: c.name, depth: 0 });
      }
      continue;
    }
    if (SKIP_HEADERS.has(lname)) continue;
    expandLeaf(ctx, { text: value, where: `header:${name}`, encodings: [], key: name, depth: 0 });
  }
  bodyLeaves(ctx, input);
  return ctx;
}

function bodyLeaves(ctx: LeafContext, input: DetectionInput): void {
  const raw = input.requestBody;
  if (raw.length === 0) return;
  const decoded = decodeContentEncoding(raw, header(input, 'content-encoding'), Math.max(1, ctx.budget.bytesLeft));
  let bytes = decoded.ok ? decoded.bytes : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const layers = decoded.ok ? decoded.layers : [];
  // A body larger than the whole budget is scanned from its start rather than skipped: a 10 MB upload that
  // carries the IMEI near its head must still be found (its structure past the cut is lost, not the values).
  if (bytes.length > ctx.budget.bytesLeft) bytes = bytes.subarray(0, Math.min(MAX_LEAF_CHARS, ctx.budget.bytesLeft));
  if (!ctx.budget.charge(bytes.length)) return;
  const contentType = header(input, 'content-type');
  const boundary = multipartBoundary(contentType);
  if (boundary) {
    const parts = parseMultipart(bytes, boundary);
    if (parts.length > 0) {
      for (const part of parts) {
        let body = part.body;
        const enc = layers.length ? [...layers, 'multipart'] : [];
        if (part.transferEncoding === 'base64') {
          body = Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64');
          enc.push('base64');
        }
        if (part.contentEncoding) {
          const d = decodeContentEncoding(body, part.contentEncoding);
          if (d.ok) {
            body = d.bytes;
            enc.push(...d.layers);
          }
        }
        expandBytes(ctx, body, { where: `multipart:${part.name}`, encodings: enc, key: part.name, depth: layers.length > 0 ? 1 : 0 }, false);
        if (ctx.budget.exhausted) return;
      }
      return;
    }
  }
  const formHint = /application\/x-www-form-urlencoded/i.test(contentType ?? '');
  expandBytes(ctx, bytes, { where: 'body', encodings: layers, key: '', depth: layers.length > 0 ? 1 : 0 }, true, formHint);
}
