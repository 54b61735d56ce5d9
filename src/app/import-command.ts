// `phonehome import FILE.har [--data DIR] [--session NAME] [--profile FILE]...`: a HAR from phonehome or any other
// tool becomes a new session in DIR, analysed with the profiles exactly like a live flow (analyseFlow), and stored
// with its bodies. Prints `imported N entries into session ID` (DESIGN.md "CLI").
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createConsoleLogger } from '../console-logger.js';
import { entryToCapturedFlow, HarImportError, readHarLog, tlsErrorToEvent, tunnelToCapturedFlow } from '../export/har-import.js';
import { Store, StoreError } from '../store/index.js';
import { analyseFlow, type LoadedProfile } from './flow-analysis.js';
import { loadProfiles } from './profile-registry.js';
import { StartError } from './start-error.js';

const USAGE = 'usage: phonehome import FILE.har [--data DIR] [--session NAME] [--profile FILE]...';
/** The cap on a decompressed body copy, as `start`'s default --max-body. */
const MAX_DECODED_BYTES = 10 * 1024 * 1024;

export interface ImportResult {
  sessionId: string;
  entries: number;
  findings: number;
}

/**
 * Imports a HAR document into a new, never-current session of an open store (the CLI's folder, or the running
 * app's store for a dashboard upload), analysed with the given profiles like a live flow. Throws HarImportError.
 */
export function importHarInto(store: Store, text: string, sessionName: string, profiles: readonly LoadedProfile[], maxDecodedBytes = MAX_DECODED_BYTES): ImportResult {
  const har = readHarLog(text);
  const session = store.addSession(sessionName);
  let findings = 0;
  let last = Date.now();
  for (const entry of har.entries) {
    const captured = entryToCapturedFlow(entry, session.id, last);
    last = captured.flow.startedAt;
    const analysis = analyseFlow(captured, profiles, maxDecodedBytes);
    findings += analysis.findings.length;
    store.upsertDevice(captured.flow.device, captured.flow.startedAt);
    store.addFlow(captured, analysis.findings, analysis.decoded);
  }
  // What phonehome's own HARs add: connections passed through untouched, and TLS failures.
  for (const t of har.tunnels) {
    const tunnel = tunnelToCapturedFlow(t, session.id, last);
    if (tunnel) store.addFlow(tunnel, []);
  }
  for (const e of har.tlsErrors) {
    const event = tlsErrorToEvent(e, last);
    if (event) store.addEvent(session.id, event);
  }
  return { sessionId: session.id, entries: har.entries.length, findings };
}

/** Imports the HAR at `file` into a new session of the data folder. Throws HarImportError, StartError or StoreError. */
export async function importHarFile(file: string, options: { dataDir: string; sessionName?: string; profileFiles?: string[] }): Promise<ImportResult> {
  const profiles = await loadProfiles(options.profileFiles ?? []);
  const text = await readFile(file, 'utf8');
  const sessionName = options.sessionName?.trim() || `import of ${basename(file)}`;
  // The import is a session of its own that never becomes current: the next live capture does not record into it.
  const store = await Store.open(resolve(options.dataDir), createConsoleLogger('warn'));
  try {
    return importHarInto(store, text, sessionName, profiles);
  } finally {
    await store.close();
  }
}

export async function runImportCommand(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { data: { type: 'string' }, session: { type: 'string' }, profile: { type: 'string', multiple: true } },
    });
  } catch (e) {
    err(`phonehome import: ${(e as Error).message}`);
    err(USAGE);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    err(`phonehome import: ${file ? `unexpected argument ${extra[0]}` : 'a HAR file is required'}`);
    err(USAGE);
    return 2;
  }
  try {
    const result = await importHarFile(file, {
      dataDir: parsed.values.data ?? 'data',
      ...(parsed.values.session !== undefined ? { sessionName: parsed.values.session } : {}),
      profileFiles: parsed.values.profile ?? [],
    });
    out(`imported ${result.entries} entries into session ${result.sessionId}`);
    return 0;
  } catch (e) {
    if (e instanceof HarImportError) err(`phonehome import: ${file}: ${e.message}`);
    else if (e instanceof StartError || e instanceof StoreError) err(`phonehome import: ${e.message}`);
    else if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR' || (e as NodeJS.ErrnoException).code === 'EACCES') err(`phonehome import: ${(e as Error).message}`);
    else throw e;
    return 2;
  }
}
