// JSON layer: leaf strings and numbers with their dotted path ("common.did", "data.0.body").

export interface JsonLeaf {
  /** Dotted path from the root ("data.0.body"); '' for a bare root value. */
  path: string;
  /** The nearest object key on the path ('' when there is none): the value's name. */
  key: string;
  /** Strings as they are; numbers as String(n) (integers beyond 1e21 without an exponent). */
  value: string;
  isNumber: boolean;
}

/** Parses text as JSON when it looks like an object or array; undefined when it is not JSON. */
export function parseJsonContainer(text: string): unknown {
  const t = text.trim();
  if (t.length < 2) return undefined;
  const first = t[0];
  const last = t[t.length - 1];
  if (!((first === '{' && last === '}') || (first === '[' && last === ']'))) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return t.includes('\n') ? parseJsonLines(t) : undefined;
  }
}

/** Newline-delimited JSON (one object or array per line) as an array, or undefined. */
function parseJsonLines(t: string): unknown[] | undefined {
  const out: unknown[] = [];
  for (const line of t.split(/\r?\n/)) {
    const l = line.trim();
    if (l === '') continue;
    if (!/^[[{]/.test(l)) return undefined;
    try {
      out.push(JSON.parse(l) as unknown);
    } catch {
      return undefined;
    }
  }
  return out.length > 1 ? out : undefined;
}

/** Walks a parsed JSON value depth-first; stops after `maxLeaves` leaves or `maxDepth` nesting. */
export function jsonLeaves(root: unknown, maxLeaves = 10_000, maxDepth = 64): JsonLeaf[] {
  const out: JsonLeaf[] = [];
  const join = (path: string, part: string): string => (path === '' ? part : `${path}.${part}`);
  const walk = (v: unknown, path: string, key: string, depth: number): void => {
    if (out.length >= maxLeaves || depth > maxDepth) return;
    if (typeof v === 'string') out.push({ path, key, value: v, isNumber: false });
    else if (typeof v === 'number') out.push({ path, key, value: numberText(v), isNumber: true });
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length && out.length < maxLeaves; i++) walk(v[i], join(path, String(i)), key, depth + 1);
    } else if (v !== null && typeof v === 'object') {
      for (const k in v as Record<string, unknown>) {
        if (out.length >= maxLeaves) return;
        // A key can itself be an identifier: contacts keyed by phone number, devices by IMEI.
        if (k.length >= 5 && /[\d@]/.test(k)) out.push({ path: join(path, k), key: '', value: k, isNumber: false });
        walk((v as Record<string, unknown>)[k], join(path, k), k, depth + 1);
      }
    }
  };
  walk(root, '', '', 0);
  return out;
}

/** Integers beyond 2^53 lose digits in JSON.parse; print safe integers plainly and others without exponent. */
function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  return String(n);
}
