// Cookie header: `a=1; b=2` into name/value pairs (values are not percent-decoded here; the leaf decoder does it).
import type { NamedValue } from './decode-form.js';

export function parseCookieHeader(header: string): NamedValue[] {
  const out: NamedValue[] = [];
  for (const part of header.split(';')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    let value = p.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    out.push({ name: p.slice(0, eq).trim(), value });
  }
  return out;
}
