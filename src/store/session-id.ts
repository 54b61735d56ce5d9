// Session ids: short, URL-safe, sortable by creation time (UTC "YYYYMMDD-HHMMSS-mmm"), unique in the catalog.

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A new id for a session created at `now`; `taken` tells which ids already exist. */
export function newSessionId(now: number, taken: (id: string) => boolean): string {
  const d = new Date(now);
  const base =
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}-${pad(d.getUTCMilliseconds(), 3)}`;
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${base}-${pad(n)}`;
    if (!taken(id)) return id;
  }
}

/** Ids become folder names: only these are accepted from the catalog, from flows and from the disk. */
export function isValidSessionId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id);
}
