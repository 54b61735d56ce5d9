// Turning captured bytes into something to read: UTF-8 text (pretty-printed when it is JSON) or a hex dump.
export interface BodyText {
  text: string;
  kind: 'empty' | 'json' | 'text' | 'binary';
}

export function bodyText(bytes: Uint8Array, maxChars = 512 * 1024): BodyText {
  if (bytes.length === 0) return { text: '', kind: 'empty' };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, maxChars * 4));
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || c < 9 || (c > 13 && c < 32)) bad++;
  }
  if (bad > Math.max(2, text.length / 50)) return { text: hexDump(bytes.subarray(0, 64 * 1024)), kind: 'binary' };
  const clipped = text.length > maxChars ? `${text.slice(0, maxChars)}\n… (${text.length - maxChars} more characters)` : text;
  const trimmed = clipped.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { text: JSON.stringify(JSON.parse(clipped), null, 2), kind: 'json' };
    } catch {
      // not JSON after all
    }
  }
  return { text: clipped, kind: 'text' };
}

export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.subarray(at, at + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}
