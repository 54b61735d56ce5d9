// The flow list's filter syntax: space-separated terms, all of which must match.
//   host:api.example.cn   host contains (host:=x for exactly x)
//   kind:imei             the flow carried a finding of that kind (kind:any for any finding)
//   method:POST           status:404 · status:4xx · status:>=400 · status:error
//   device:192.168.1.23   plaintext (or plain) · tls
//   anything else         free text over method, host, path and status
// A leading "-" negates a term ("-host:google"). Quotes keep spaces ("\"a b\"").
import type { FlowSummary } from './api-types.js';

export type FlowPredicate = (flow: FlowSummary) => boolean;

export interface ParsedFilter {
  predicate: FlowPredicate;
  /** Terms that could not be understood, to show under the box. */
  problems: string[];
  empty: boolean;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /(-?[a-z]+:)?"([^"]*)"?|\S+/gi;
  for (const m of text.matchAll(re)) {
    if (m[2] !== undefined) tokens.push(`${m[1] ?? ''}${m[2]}`);
    else tokens.push(m[0]);
  }
  return tokens.filter((t) => t.length > 0);
}

function statusPredicate(value: string): FlowPredicate | undefined {
  const v = value.toLowerCase();
  if (v === 'error' || v === 'failed') return (f) => f.error !== undefined;
  const klass = /^([1-5])xx$/.exec(v);
  if (klass) {
    const digit = Number(klass[1]);
    return (f) => f.status !== undefined && Math.floor(f.status / 100) === digit;
  }
  const cmp = /^(>=|<=|>|<|=)?(\d{3})$/.exec(v);
  if (cmp) {
    const n = Number(cmp[2]);
    switch (cmp[1]) {
      case '>=': return (f) => f.status !== undefined && f.status >= n;
      case '<=': return (f) => f.status !== undefined && f.status <= n;
      case '>': return (f) => f.status !== undefined && f.status > n;
      case '<': return (f) => f.status !== undefined && f.status < n;
      default: return (f) => f.status === n;
    }
  }
  return undefined;
}

function termPredicate(term: string): FlowPredicate | string {
  const colon = term.indexOf(':');
  const key = colon > 0 ? term.slice(0, colon).toLowerCase() : '';
  const value = colon > 0 ? term.slice(colon + 1) : term;
  const lower = value.toLowerCase();
  switch (key) {
    case 'host':
      if (lower.startsWith('=')) return (f) => f.host.toLowerCase() === lower.slice(1);
      return (f) => f.host.toLowerCase().includes(lower);
    case 'kind':
      if (lower === 'any' || lower === '*') return (f) => f.findingKinds.length > 0;
      return (f) => f.findingKinds.some((k) => k === lower || k.replace('_', '') === lower.replace('_', ''));
    case 'method':
      return (f) => f.method.toLowerCase() === lower;
    case 'status':
      return statusPredicate(value) ?? `status:${value} (use 404, 4xx, >=400 or error)`;
    case 'device':
      return (f) => f.device.toLowerCase().includes(lower);
    case 'path':
      return (f) => f.path.toLowerCase().includes(lower);
    case '':
      if (lower === 'plaintext' || lower === 'plain' || lower === 'http') return (f) => f.scheme === 'http';
      if (lower === 'tls' || lower === 'https') return (f) => f.scheme === 'https';
      return (f) =>
        f.host.toLowerCase().includes(lower) ||
        f.path.toLowerCase().includes(lower) ||
        f.method.toLowerCase() === lower ||
        (f.status !== undefined && String(f.status) === lower);
    default:
      return `${key}: is not a filter (try host: kind: method: status: device: path: plaintext)`;
  }
}

export function parseFilter(text: string): ParsedFilter {
  const predicates: FlowPredicate[] = [];
  const problems: string[] = [];
  for (const raw of tokenize(text.trim())) {
    const negate = raw.startsWith('-') && raw.length > 1;
    const result = termPredicate(negate ? raw.slice(1) : raw);
    if (typeof result === 'string') problems.push(result);
    else predicates.push(negate ? (f) => !result(f) : result);
  }
  if (predicates.length === 0) return { predicate: () => true, problems, empty: true };
  return { predicate: (f) => predicates.every((p) => p(f)), problems, empty: false };
}
