// Percent-encoding of a leaf (one level beyond what its container, a query string or form, already undid).

/** One more level of percent-encoding, when the text holds %XX escapes. */
export function urlDecodeLeaf(text: string): string | undefined {
  if (!/%[0-9a-fA-F]{2}/.test(text)) return undefined;
  try {
    const out = decodeURIComponent(text.replace(/\+/g, ' '));
    return out === text ? undefined : out;
  } catch {
    return undefined;
  }
}
