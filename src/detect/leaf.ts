// A leaf: one decoded text value of a request, with where it sits and the chain of layers undone to reach it.

export interface Leaf {
  /** The decoded text. */
  text: string;
  /** Finding vocabulary: 'url', 'query:NAME', 'header:NAME', 'cookie:NAME', 'body', 'body:PATH', 'form:NAME'… */
  where: string;
  /** Layers undone, outermost first. */
  encodings: string[];
  /** The key, field, header or cookie name that holds the value (context for pattern detectors). */
  key: string;
  /** Decoding depth (0 = as found in the request). */
  depth: number;
  /** Parsed into child leaves (JSON, XML, form): its children are matched instead of its text. */
  container?: boolean;
}

/** Extends a `where` with a child path component: 'body' + 'a' → 'body:a'; 'form:x' + '0' → 'form:x.0'. */
export function childWhere(where: string, component: string): string {
  return where.includes(':') ? `${where}.${component}` : `${where}:${component}`;
}
