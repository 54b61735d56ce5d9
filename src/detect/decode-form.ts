// Query strings and application/x-www-form-urlencoded bodies: name/value pairs, one level of percent-decoding.

export interface NamedValue {
  name: string;
  value: string;
}

function decodeComponent(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    // Malformed escapes: decode what can be decoded, keep the rest as it is.
    return plus.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * Splits `a=1&b=2` (leading '?' allowed; ';' also separates). Pairs without '=' get an empty value. At most
 * `maxPairs` pairs are read (a hostile body of a million pairs stops there).
 */
export function parseForm(text: string, maxPairs = 5000): NamedValue[] {
  const s = text.startsWith('?') ? text.slice(1) : text;
  if (s === '') return [];
  const out: NamedValue[] = [];
  for (const part of s.split(/[&;]/, maxPairs * 2)) {
    if (out.length >= maxPairs) break;
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) out.push({ name: decodeComponent(part), value: '' });
    else out.push({ name: decodeComponent(part.slice(0, eq)), value: decodeComponent(part.slice(eq + 1)) });
  }
  return out;
}

/** True when a text has the shape of a form body: k=v pairs joined by '&' with no spaces or newlines. */
export function looksLikeForm(text: string): boolean {
  if (text.length < 3 || text.length > 1_000_000) return false;
  if (!/^[^=&\s{}[\]<>"]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*&?$/.test(text)) return false;
  // A single pair needs a short name and a value ("abc==" is base64 padding, not a form).
  return text.includes('&') || /^[\w.[\]-]{1,32}=[^=]/.test(text);
}
