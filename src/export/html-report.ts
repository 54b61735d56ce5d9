// The HTML report: ONE self-contained, printable file that reads like the evidence section of a privacy
// investigation. Session and devices, time range, the hosts table with countries, which identifiers went where and
// how (plain, hashed, over HTTP), a timeline with a marker per finding (inline SVG), and evidence excerpts with the
// identifier highlighted. No script at all, no external request (CSP default-src 'none'; the one stylesheet is
// allowed by its hash), and every captured text escaped. Read in one pass over the flows, with bounded memory:
// aggregates per host and kind, and a capped number of timeline markers and excerpts.
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { countryOf } from '../hosts/country-lookup.js';
import { escapeHtml } from '../proxy/html-escape.js';
import type { SessionInfo } from '../store/index.js';
import type { Finding, Flow } from '../types/index.js';
import { isHashed } from './session-diff.js';
import type { SessionSource } from './session-source.js';
import { chunkWriter } from './stream-write.js';

export interface HtmlReportOptions {
  creatorVersion: string;
  redacted?: boolean;
  /** Most findings shown on the timeline and in the timeline table (default 2000). */
  maxTimeline?: number;
  /** Most evidence excerpts (default 60): the first finding of each host and kind, alerts first. */
  maxEvidence?: number;
}

const STYLE = `
:root{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:#1b1f24;background:#fff}
body{max-width:1100px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.meta td:first-child{width:11rem;color:#57606a}
.http{color:#b42318;font-weight:600}.tls{color:#1a7f37}
.kind{display:inline-block;border:1px solid #d0d7de;border-radius:3px;padding:0 .3rem;margin:0 .2rem .1rem 0;font-size:.9em}
.kind.plain{border-color:#b42318}
code,pre{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.88em}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;border:1px solid #d0d7de;padding:.5rem;margin:.3rem 0 1rem}
mark{background:#ffd33d;color:#000}
.ev h3{font-size:1rem;margin:1.2rem 0 .2rem}.muted{color:#57606a}
svg{width:100%;height:auto;border:1px solid #d0d7de}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}.ev{break-inside:avoid}}
`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
export const REPORT_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'none'; base-uri 'none'; form-action 'none'`;

const e = escapeHtml;
const iso = (t: number) => new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

interface HostAgg {
  host: string;
  country: string;
  countryName: string;
  requests: number;
  http: number;
  bytesUp: number;
  bytesDown: number;
  kinds: Set<string>;
  plaintextKinds: Set<string>;
}

interface KindAgg {
  kind: string;
  count: number;
  /** host → how: over HTTP?, plain?, hashed?, encodings seen. */
  hosts: Map<string, { count: number; http: boolean; plain: boolean; hashed: boolean; encodings: Set<string> }>;
}

interface Evidence {
  finding: Finding;
  method: string;
  url: string;
  excerpt: { before: string; hit: string; after: string } | undefined;
  context: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** The text where a finding was seen, as close to `where` as the flow allows. */
async function locationText(source: SessionSource, flow: Flow, f: Finding): Promise<{ text: string; context: string }> {
  const where = f.where;
  const header = /^(header|cookie):(.*)$/.exec(where);
  if (header) {
    const name = header[1] === 'cookie' ? 'cookie' : header[2]!.toLowerCase();
    const values = flow.request.headers.filter(([n]) => n.toLowerCase() === name).map(([n, v]) => `${n}: ${v}`);
    return { text: values.join('\n'), context: `request header ${header[1] === 'cookie' ? 'Cookie' : header[2]}` };
  }
  if (where === 'url' || where.startsWith('query:')) return { text: flow.request.url, context: 'request URL' };
  const form = flow.request.body.decodedSize !== undefined ? 'decoded' : 'raw';
  const body = (await source.readBody(flow.id, 'request', form)) ?? Buffer.alloc(0);
  return { text: utf8.decode(body.subarray(0, 256 * 1024)), context: `request body (${where})` };
}

function excerptOf(text: string, value: string): Evidence['excerpt'] {
  if (!text) return undefined;
  const at = value ? text.toLowerCase().indexOf(value.toLowerCase()) : -1;
  if (at < 0) return { before: text.slice(0, 240), hit: '', after: text.length > 240 ? '…' : '' };
  const start = Math.max(0, at - 120);
  const end = Math.min(text.length, at + value.length + 120);
  return { before: (start > 0 ? '…' : '') + text.slice(start, at), hit: text.slice(at, at + value.length), after: text.slice(at + value.length, end) + (end < text.length ? '…' : '') };
}

/** Writes the report for one session to out (does not end it). */
export async function writeHtmlReport(source: SessionSource, session: SessionInfo, out: Writable, options: HtmlReportOptions): Promise<void> {
  const maxTimeline = options.maxTimeline ?? 2000;
  const maxEvidence = options.maxEvidence ?? 60;
  const hosts = new Map<string, HostAgg>();
  const kinds = new Map<string, KindAgg>();
  const devices = new Map<string, number>();
  const timeline: Finding[] = [];
  const evidence: Evidence[] = [];
  const evidenceKeys = new Set<string>();
  let first = Infinity;
  let last = -Infinity;
  let flows = 0;
  let alerts = 0;
  let hints = 0;
  let plaintextAlerts = 0;
  for await (const { flow, findings } of source.iterateFlows(session.id)) {
    flows++;
    first = Math.min(first, flow.startedAt);
    last = Math.max(last, flow.startedAt);
    devices.set(flow.device, (devices.get(flow.device) ?? 0) + 1);
    let h = hosts.get(flow.host);
    if (!h) {
      h = { host: flow.host, country: 'UNKNOWN', countryName: 'Unknown', requests: 0, http: 0, bytesUp: 0, bytesDown: 0, kinds: new Set(), plaintextKinds: new Set() };
      hosts.set(flow.host, h);
    }
    if (flow.serverIp && h.country === 'UNKNOWN') {
      const c = countryOf(flow.serverIp);
      h.country = c.code;
      h.countryName = c.name;
    }
    h.requests++;
    if (flow.scheme === 'http') h.http++;
    h.bytesUp += flow.kind === 'tunnel' ? (flow.tunnel?.bytesUp ?? 0) : flow.request.body.size;
    h.bytesDown += flow.kind === 'tunnel' ? (flow.tunnel?.bytesDown ?? 0) : (flow.response?.body.size ?? 0);
    for (const f of findings) {
      if (f.confidence === 'low') {
        hints++;
        continue;
      }
      alerts++;
      if (f.plaintext) plaintextAlerts++;
      h.kinds.add(f.kind);
      if (f.plaintext) h.plaintextKinds.add(f.kind);
      const k = kinds.get(f.kind) ?? { kind: f.kind, count: 0, hosts: new Map() };
      k.count++;
      const kh = k.hosts.get(f.host) ?? { count: 0, http: false, plain: false, hashed: false, encodings: new Set<string>() };
      kh.count++;
      if (f.plaintext) kh.http = true;
      if (isHashed(f)) kh.hashed = true;
      else kh.plain = true;
      kh.encodings.add(f.encodings.join(' › ') || 'as is');
      k.hosts.set(f.host, kh);
      kinds.set(f.kind, k);
      if (timeline.length < maxTimeline) timeline.push({ ...f, time: f.time ?? flow.startedAt, device: f.device ?? flow.device });
      const key = `${f.host}\0${f.kind}\0${f.plaintext}`;
      if (evidence.length < maxEvidence && !evidenceKeys.has(key)) {
        evidenceKeys.add(key);
        const loc = await locationText(source, flow, f);
        evidence.push({ finding: f, method: flow.request.method, url: flow.request.url, excerpt: excerptOf(loc.text, f.value), context: loc.context });
      }
    }
  }
  const write = chunkWriter(out);
  const title = `phonehome report: ${session.name}`;
  await write(
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
      `<meta http-equiv="Content-Security-Policy" content="${e(REPORT_CSP)}">` +
      `<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>${e(title)}</title><style>${STYLE}</style></head><body>\n`,
  );
  const range = flows > 0 ? `${iso(first)} – ${iso(last)}` : 'no traffic';
  await write(
    `<h1>${e(title)}</h1><p class="muted">Personal identifiers a test phone sent, as intercepted by phonehome ${e(options.creatorVersion)}.${options.redacted ? ' <strong>Identifier values are redacted</strong> (all but the last 4 characters masked).' : ''}</p>\n` +
      `<table class="meta"><tbody>` +
      `<tr><td>Session</td><td>${e(session.name)} <code>${e(session.id)}</code></td></tr>` +
      `<tr><td>Time range</td><td>${e(range)}</td></tr>` +
      `<tr><td>Devices</td><td>${[...devices].map(([d, n]) => `<code>${e(d)}</code> (${n} requests)`).join(', ') || '—'}</td></tr>` +
      `<tr><td>Traffic</td><td>${flows} requests to ${hosts.size} hosts</td></tr>` +
      `<tr><td>Findings</td><td>${alerts} identifiers sent${plaintextAlerts > 0 ? `, <span class="http">${plaintextAlerts} over unencrypted HTTP</span>` : ''}; ${hints} low-confidence hints not counted</td></tr>` +
      `<tr><td>Report written</td><td>${e(iso(Date.now()))}</td></tr>` +
      `</tbody></table>\n`,
  );
  // Hosts: those that received identifiers first, then by requests.
  const hostRows = [...hosts.values()].sort((a, b) => b.kinds.size - a.kinds.size || b.requests - a.requests || a.host.localeCompare(b.host));
  await write(`<h2>Hosts</h2><table><thead><tr><th>Host</th><th>Country</th><th>Requests</th><th>Sent</th><th>Received</th><th>Transport</th><th>Identifiers received</th></tr></thead><tbody>`);
  for (const h of hostRows) {
    const transport = h.http === 0 ? '<span class="tls">HTTPS</span>' : h.http === h.requests ? '<span class="http">HTTP</span>' : `<span class="http">HTTP</span> ${h.http} / <span class="tls">HTTPS</span> ${h.requests - h.http}`;
    const kindCells = [...h.kinds].sort().map((k) => `<span class="kind${h.plaintextKinds.has(k) ? ' plain' : ''}">${e(k)}${h.plaintextKinds.has(k) ? ' (HTTP)' : ''}</span>`).join('') || '<span class="muted">none</span>';
    await write(`<tr><td><code>${e(h.host)}</code></td><td title="${e(h.countryName)}">${e(h.country)}</td><td class="n">${h.requests}</td><td class="n">${bytes(h.bytesUp)}</td><td class="n">${bytes(h.bytesDown)}</td><td>${transport}</td><td>${kindCells}</td></tr>\n`);
  }
  await write(`</tbody></table>\n`);
  await write(`<h2>Which identifiers went where, and how</h2>`);
  if (kinds.size === 0) await write(`<p>No identifier was found in what the phone sent.</p>\n`);
  else {
    await write(`<table><thead><tr><th>Identifier</th><th>Host</th><th>Times</th><th>Transport</th><th>Form</th><th>Encodings undone</th></tr></thead><tbody>`);
    for (const k of [...kinds.values()].sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind))) {
      for (const [host, kh] of [...k.hosts].sort((a, b) => b[1].count - a[1].count)) {
        const form = kh.plain && kh.hashed ? 'plain and hashed' : kh.hashed ? 'hashed' : 'plain';
        await write(
          `<tr><td>${e(k.kind)}</td><td><code>${e(host)}</code></td><td class="n">${kh.count}</td><td>${kh.http ? '<span class="http">HTTP (unencrypted)</span>' : '<span class="tls">TLS</span>'}</td><td>${form}</td><td>${[...kh.encodings].map((x) => `<code>${e(x)}</code>`).join(', ')}</td></tr>\n`,
        );
      }
    }
    await write(`</tbody></table>\n`);
  }
  await write(`<h2>Timeline</h2>`);
  if (timeline.length === 0) await write(`<p>No findings to place on a timeline.</p>\n`);
  else {
    const t0 = Math.min(...timeline.map((f) => f.time!));
    const t1 = Math.max(...timeline.map((f) => f.time!));
    const lanes = [...new Set(timeline.map((f) => f.host))].slice(0, 40);
    const width = 1000;
    const left = 260;
    const rowH = 18;
    const height = lanes.length * rowH + 30;
    const x = (t: number) => (t1 === t0 ? left + (width - left) / 2 : left + ((t - t0) / (t1 - t0)) * (width - left - 10));
    let svg = `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Findings over time, one row per host"><g font-size="11" font-family="sans-serif">`;
    lanes.forEach((host, i) => {
      const y = 10 + i * rowH;
      svg += `<text x="4" y="${y + 11}" fill="#1b1f24">${e(host.length > 38 ? `${host.slice(0, 37)}…` : host)}</text><line x1="${left}" x2="${width - 5}" y1="${y + 7}" y2="${y + 7}" stroke="#d0d7de"/>`;
    });
    for (const f of timeline) {
      const lane = lanes.indexOf(f.host);
      if (lane < 0) continue;
      svg += `<circle cx="${x(f.time!).toFixed(1)}" cy="${10 + lane * rowH + 7}" r="4" fill="${f.plaintext ? '#b42318' : '#0969da'}"><title>${e(`${iso(f.time!)} ${f.kind} → ${f.host} (${f.plaintext ? 'HTTP' : 'TLS'})`)}</title></circle>`;
    }
    svg += `<text x="${left}" y="${height - 4}" fill="#57606a">${e(iso(t0))}</text><text x="${width - 5}" y="${height - 4}" text-anchor="end" fill="#57606a">${e(iso(t1))}</text></g></svg>`;
    await write(`${svg}\n<p class="muted">Red: over unencrypted HTTP; blue: over TLS.${lanes.length < new Set(timeline.map((f) => f.host)).size ? ' Only the first 40 hosts are drawn.' : ''}</p>\n`);
    await write(`<table><thead><tr><th>Time</th><th>Device</th><th>Host</th><th>Identifier</th><th>Where</th><th>Encodings</th><th>Transport</th></tr></thead><tbody>`);
    let rows = '';
    for (const f of [...timeline].sort((a, b) => a.time! - b.time!)) {
      rows += `<tr><td>${e(iso(f.time!))}</td><td><code>${e(f.device ?? '')}</code></td><td><code>${e(f.host)}</code></td><td>${e(f.kind)} <code>${e(f.value)}</code></td><td><code>${e(f.where)}</code></td><td>${e(f.encodings.join(' › ') || '—')}</td><td>${f.plaintext ? '<span class="http">HTTP</span>' : '<span class="tls">TLS</span>'}</td></tr>\n`;
      if (rows.length > 64 * 1024) {
        await write(rows);
        rows = '';
      }
    }
    await write(`${rows}</tbody></table>${alerts > timeline.length ? `<p class="muted">The first ${timeline.length} of ${alerts} findings are shown.</p>` : ''}\n`);
  }
  await write(`<h2>Evidence</h2>`);
  if (evidence.length === 0) await write(`<p>No evidence to show.</p>\n`);
  for (const ev of evidence) {
    const f = ev.finding;
    const how = f.encodings.length > 0 ? `found after undoing ${f.encodings.join(' › ')}` : 'found as is';
    const excerpt = ev.excerpt
      ? `<pre>${e(ev.excerpt.before)}${ev.excerpt.hit ? `<mark>${e(ev.excerpt.hit)}</mark>` : ''}${e(ev.excerpt.after)}</pre>`
      : '<p class="muted">No captured text to show.</p>';
    await write(
      `<section class="ev"><h3>${e(f.kind)} → <code>${e(f.host)}</code> ${f.plaintext ? '<span class="http">over unencrypted HTTP</span>' : '<span class="tls">over TLS</span>'}</h3>` +
        `<p>${e(iso(f.time ?? 0))} · device <code>${e(f.device ?? '')}</code> · <code>${e(ev.method)} ${e(ev.url)}</code><br>` +
        `Value <code>${e(f.value)}</code> in ${e(ev.context)}, ${e(how)} (confidence ${e(f.confidence)}, ${e(f.source)}).</p>${excerpt}</section>\n`,
    );
  }
  await write(`</body></html>\n`);
}
