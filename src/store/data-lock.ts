// One writer per data folder: data/store.lock holds the writing process's pid. Journals are written at known
// offsets, so two writers would overwrite each other. A lock left by a dead process (kill -9) is taken over.
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { StoreError, reasonOf } from './store-error.js';

export const LOCK_FILE = 'store.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataLock {
  private constructor(readonly path: string) {}

  static async acquire(path: string): Promise<DataLock> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
        return new DataLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new StoreError(`cannot lock the data folder (${path}): ${reasonOf(err)}`, path, { cause: err });
        }
      }
      const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new StoreError(`the data folder is in use by process ${pid} (${path}); stop it or use another --data folder`, path);
      }
      await unlink(path).catch(() => undefined); // stale: its process is gone
    }
    throw new StoreError(`cannot lock the data folder (${path}): another process keeps taking the lock`, path);
  }

  async release(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }
}
