// `phonehome diff A B [--data DIR] [--json]`: compares two sessions (ids, names or 'latest') of a data folder,
// read-only, so it works next to a running capture. A table for the terminal, or one JSON object with --json.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createConsoleLogger } from '../console-logger.js';
import { collectSessionHosts, diffSessions, formatDiff } from '../export/session-diff.js';
import { Store, StoreError } from '../store/index.js';

const USAGE = 'usage: phonehome diff A B [--data DIR] [--json]   (A and B: session ids, names or latest)';

export async function runDiffCommand(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const fail = (message: string, usage = false): number => {
    err(`phonehome diff: ${message}`);
    if (usage) err(USAGE);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({ args, strict: true, allowPositionals: true, options: { data: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (e) {
    return fail((e as Error).message, true);
  }
  if (parsed.positionals.length !== 2) return fail(`two sessions are needed, got ${parsed.positionals.length}`, true);
  let store: Store;
  try {
    store = await Store.open(resolve(parsed.values.data ?? 'data'), createConsoleLogger('warn'), { readOnly: true });
  } catch (e) {
    if (e instanceof StoreError) return fail(e.message);
    throw e;
  }
  try {
    const sessions = parsed.positionals.map((wanted) => ({ wanted, session: store.findSession(wanted) }));
    const missing = sessions.find((s) => !s.session);
    if (missing) return fail(`no session "${missing.wanted}" in ${store.dataDir}`);
    const [a, b] = await Promise.all(sessions.map((s) => collectSessionHosts(store, s.session!)));
    const diff = diffSessions(a!, b!);
    if (parsed.values.json) out(JSON.stringify(diff));
    else for (const line of formatDiff(diff)) out(line);
    return 0;
  } finally {
    await store.close();
  }
}
