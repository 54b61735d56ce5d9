// XML layer: text content and attribute values with their element path ("/root/item/@id").
// A tolerant scanner, not a validating parser: it only needs the leaf values and where they sit.

export interface XmlLeaf {
  path: string;
  /** The element or attribute name (context for detectors). */
  name: string;
  value: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** True when the text starts like an XML document or element. */
export function looksLikeXml(text: string): boolean {
  return /^\s*<(?:\?xml|[A-Za-z_][\w:.-]*[\s/>])/.test(text) && text.trimEnd().endsWith('>');
}

export function xmlLeaves(text: string, maxLeaves = 10_000): XmlLeaf[] {
  const out: XmlLeaf[] = [];
  const stack: string[] = [];
  const tagRe = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>/g;
  let last = 0;
  const pushText = (raw: string, isCdata: boolean): void => {
    const v = isCdata ? raw : unescapeXml(raw);
    if (v.trim() === '' || out.length >= maxLeaves) return;
    out.push({ path: '/' + stack.join('/'), name: stack[stack.length - 1] ?? '', value: isCdata ? v : v.trim() });
  };
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(text)) !== null && out.length < maxLeaves) {
    if (m.index > last) pushText(text.slice(last, m.index), false);
    last = tagRe.lastIndex;
    if (m[5] !== undefined) {
      pushText(m[5], true);
      continue;
    }
    const name = m[2];
    if (name === undefined) continue;
    if (m[1] === '/') {
      const i = stack.lastIndexOf(name);
      if (i >= 0) stack.length = i;
      continue;
    }
    stack.push(name);
    const attrs = m[3] ?? '';
    const attrRe = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
    let a: RegExpExecArray | null;
    while ((a = attrRe.exec(attrs)) !== null) {
      const v = unescapeXml(a[2] ?? a[3] ?? '');
      if (v !== '') out.push({ path: '/' + stack.join('/') + '/@' + a[1], name: a[1] ?? '', value: v });
    }
    if (m[4] === '/') stack.pop();
  }
  if (last < text.length) pushText(text.slice(last), false);
  return out;
}
