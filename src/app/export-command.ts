// `phonehome export --data DIR --session ID|latest --format har|json|csv [--redact] --out FILE` (DESIGN.md "CLI").
// --redact masks the values of the session's findings; --profile FILE (repeatable) adds a profile's values to mask.
// The store is opened read-only, so an export works next to a running capture. The file is written under a
// temporary name and renamed at the end: a failed export leaves no half file behind.
import { open, rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createConsoleLogger } from '../console-logger.js';
import { EXPORT_FORMATS, exportSession, isExportFormat } from '../export/session-export.js';
import { Store, StoreError } from '../store/index.js';
import { readPackageVersion } from './phonehome-app.js';
import { loadProfiles } from './profile-registry.js';
import { StartError } from './start-error.js';

const USAGE = `usage: phonehome export --data DIR --session ID|NAME|latest --format ${EXPORT_FORMATS.join('|')} [--redact [--profile FILE]...] --out FILE`;

export async function runExportCommand(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const fail = (message: string, usage = false): number => {
    err(`phonehome export: ${message}`);
    if (usage) err(USAGE);
    return 2;
  };
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: { data: { type: 'string' }, session: { type: 'string' }, format: { type: 'string' }, redact: { type: 'boolean' }, profile: { type: 'string', multiple: true }, out: { type: 'string' } },
    }));
  } catch (e) {
    return fail((e as Error).message, true);
  }
  const format = values.format ?? 'har';
  if (!isExportFormat(format)) return fail(`unknown format "${format}"; available: ${EXPORT_FORMATS.join(', ')}`, true);
  if (!values.out) return fail('--out FILE is required', true);
  let profiles;
  try {
    profiles = (await loadProfiles(values.profile ?? [])).map((p) => p.profile);
  } catch (e) {
    if (e instanceof StartError) return fail(e.message);
    throw e;
  }
  let store: Store;
  try {
    store = await Store.open(resolve(values.data ?? 'data'), createConsoleLogger('warn'), { readOnly: true });
  } catch (e) {
    if (e instanceof StoreError) return fail(e.message);
    throw e;
  }
  try {
    const wanted = values.session ?? 'latest';
    const session = store.findSession(wanted);
    if (!session) return fail(`no session "${wanted}" in ${store.dataDir}`);
    const target = resolve(values.out);
    const temporary = `${target}.partial-${process.pid}`;
    let handle;
    try {
      handle = await open(temporary, 'wx');
    } catch (e) {
      return fail(`cannot write ${target}: ${(e as Error).message}`);
    }
    const file = handle.createWriteStream();
    // A write error (a full disk) must fail the export, not the process: remembered here, reported below.
    let writeError: Error | undefined;
    file.on('error', (e) => (writeError ??= e));
    try {
      await exportSession(store, session, format, file, {
        creatorVersion: await readPackageVersion(),
        ...(values.redact ? { redact: { profiles } } : {}),
      });
      file.end();
      await finished(file);
      if (writeError) throw writeError;
      await rename(temporary, target);
    } catch (e) {
      file.destroy();
      await rm(temporary, { force: true });
      return fail(`cannot write ${target}: ${((writeError ?? e) as Error).message}`);
    }
    out(`exported session ${session.id} (${session.flowCount} flows, ${session.findingCount} findings) as ${format}${values.redact ? ' (redacted)' : ''} to ${target}`);
    return 0;
  } finally {
    await store.close();
  }
}
