// The one-line view of a flow (what /api/flows lists), made from the full record and its findings.
import type { Finding, Flow, FlowSummary } from '../types/index.js';

/** Path and query of an absolute URL ('/' when it has none); anything else (e.g. "host:443") as it is. */
export function pathOf(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme < 0) return url;
  const rest = scheme + 3;
  const slash = url.indexOf('/', rest);
  const query = url.indexOf('?', rest);
  if (slash >= 0 && (query < 0 || slash < query)) return url.slice(slash);
  return query >= 0 ? `/${url.slice(query)}` : '/';
}

/** Distinct kinds of the findings, in the order first found. */
export function findingKindsOf(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [];
  return [...new Set(findings.map((f) => f.kind))];
}

export function toFlowSummary(flow: Flow, findings: readonly Finding[]): FlowSummary {
  const summary: FlowSummary = {
    id: flow.id,
    sessionId: flow.sessionId,
    kind: flow.kind,
    device: flow.device,
    startedAt: flow.startedAt,
    scheme: flow.scheme,
    method: flow.request?.method ?? '',
    host: flow.host,
    port: flow.port,
    path: pathOf(flow.request?.url ?? ''),
    requestSize: flow.tunnel ? flow.tunnel.bytesUp : (flow.request?.body?.size ?? 0),
    responseSize: flow.tunnel ? flow.tunnel.bytesDown : (flow.response?.body?.size ?? 0),
    durationMs: Math.max(0, flow.timings?.total ?? 0),
    findingKinds: findingKindsOf(findings),
  };
  if (flow.response) summary.status = flow.response.status;
  if (flow.error) summary.error = flow.error.code;
  return summary;
}

/** The absolute URL a summary stands for (default ports left out), for free-text search. */
export function summaryUrl(s: Pick<FlowSummary, 'host' | 'port' | 'scheme' | 'path'>): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  const defaultPort = s.scheme === 'https' ? 443 : 80;
  const authority = s.port === defaultPort ? host : `${host}:${s.port}`;
  return `${s.scheme}://${authority}${s.path.startsWith('/') ? s.path : ''}`;
}
