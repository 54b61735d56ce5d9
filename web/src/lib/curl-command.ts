// "Copy as cURL": a command that repeats the request as the phone sent it (hop-by-hop headers left out).
import type { Flow } from './api-types.js';

const SKIP = new Set(['content-length', 'connection', 'proxy-connection', 'keep-alive', 'transfer-encoding', 'host']);

/** POSIX shell single-quoting: safe for any byte but NUL. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function curlCommand(flow: Flow, bodyText: string | undefined): string {
  const method = flow.request.method.toUpperCase();
  const first = method !== 'GET' || bodyText ? `curl -X ${shellQuote(method)} ${shellQuote(flow.request.url)}` : `curl ${shellQuote(flow.request.url)}`;
  const lines = [first];
  let compressed = false;
  for (const [name, value] of flow.request.headers) {
    const lower = name.toLowerCase();
    if (SKIP.has(lower)) continue;
    if (lower === 'accept-encoding') compressed = true;
    lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (compressed) lines.push('--compressed');
  if (bodyText) lines.push(`--data-binary ${shellQuote(bodyText)}`);
  return lines.join(' \\\n  ');
}
