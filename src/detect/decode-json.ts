// JSON layer: leaf strings and numbers with their dotted path ("common.did", "data.0.body").

export interface JsonLeaf {
  path: string[];
  /** Strings as they are; numbers in their JSON source spelling when known, else String(n). */
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
    return undefined;
  }
}

/** Walks a parsed JSON value depth-first; stops after `maxLeaves` leaves or `maxDepth` nesting. */
export function jsonLeaves(root: unknown, maxLeaves = 10_000, maxDepth = 64): JsonLeaf[] {
  const out: JsonLeaf[] = [];
  const walk = (v: unknown, path: string[], depth: number): void => {
    if (out.length >= maxLeaves || depth > maxDepth) return;
    if (typeof v === 'string') out.push({ path, value: v, isNumber: false });
    else if (typeof v === 'number') out.push({ path, value: numberText(v), isNumber: true });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, String(i)], depth + 1));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, [...path, k], depth + 1);
    }
  };
  walk(root, [], 0);
  return out;
}

/** Integers beyond 2^53 lose digits in JSON.parse; print safe integers plainly and others without exponent. */
function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  return String(n);
}
