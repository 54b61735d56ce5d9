// Failures: an unusable data folder at open, and a disk that refuses writes at runtime (paused, retried, resumed).
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, StoreError } from '../../../src/store/index.js';
import { binaryBody, captured, makeFinding, makeFlow, memoryLogger } from './make-flow.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phonehome-errors-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const until = async (what: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Store errors', () => {
  it('an unusable data folder is a StoreError at open naming the path and the reason', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const dataDir = join(file, 'data');
    await assert.rejects(Store.open(dataDir, memoryLogger()), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.ok(err.message.includes(dataDir), err.message);
      assert.match(err.message, /ENOTDIR|not a directory/);
      return true;
    });
  });

  it('an unreadable catalog is a StoreError at open', async () => {
    await writeFile(join(dir, 'catalog.json'), '{ not json');
    await assert.rejects(Store.open(dir, memoryLogger()), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.ok(err.message.includes(join(dir, 'catalog.json')), err.message);
      return true;
    });
    assert.equal(await readFile(join(dir, 'catalog.json'), 'utf8'), '{ not json', 'left as it was');
  });

  it('a failing write does not throw, sets writeError, retries, and recovers without damage', async () => {
    const logger = memoryLogger();
    let store = await Store.open(dir, logger, { retryDelayMs: 100 });
    const sid = store.currentSession().id;
    const events: string[] = [];
    store.on('capture-paused', () => events.push('paused'));
    store.on('capture-resumed', () => events.push('resumed'));
    store.addFlow(captured(makeFlow(sid, 1), binaryBody(1), binaryBody(2)), []);
    await store.flush();
    const journal = join(dir, 'sessions', sid, 'journal.ndjson');
    const before = await readFile(journal);

    // The disk "refuses": the journal path becomes a directory (works as root, unlike chmod).
    await rename(journal, `${journal}.aside`);
    await mkdir(journal);
    for (let n = 2; n <= 20; n++) {
      const flow = makeFlow(sid, n);
      assert.doesNotThrow(() => store.addFlow(captured(flow, binaryBody(n), binaryBody(n + 100)), [makeFinding(flow, 'imei')]));
    }
    store.addEvent(sid, { type: 'marker', time: 3, text: 'during the outage' });
    await until(() => store.writeError !== undefined);
    assert.match(store.writeError!, /EISDIR|directory/);
    assert.ok(store.writeError!.includes(sid));
    assert.deepEqual(events, ['paused']);
    await assert.rejects(store.flush(), StoreError);
    // Everything is still readable from the queue meanwhile.
    assert.equal(store.currentSession().flowCount, 20);
    assert.deepEqual(await store.readBody('flow-000015', 'response'), binaryBody(115));
    assert.equal(store.getFlow('flow-000015')?.findings.length, 1);
    // Retries keep failing quietly: one error log per distinct error, not per attempt.
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(logger.lines.filter((l) => l.level === 'error').length, 1);

    // The disk comes back: the writer resumes by itself.
    await rmdir(journal);
    await rename(`${journal}.aside`, journal);
    await until(() => store.writeError === undefined);
    assert.deepEqual(events, ['paused', 'resumed']);
    const after = await readFile(journal);
    assert.deepEqual(after.subarray(0, before.length), before, 'what was stored is untouched');
    await store.close();

    store = await Store.open(dir, memoryLogger());
    assert.equal(store.currentSession().flowCount, 20);
    for (let n = 1; n <= 20; n++) {
      const id = `flow-${String(n).padStart(6, '0')}`;
      assert.deepEqual(store.getFlow(id)?.flow, makeFlow(sid, n));
      assert.deepEqual(await store.readBody(id, 'request'), binaryBody(n));
    }
    assert.deepEqual(store.events(sid), [{ type: 'marker', time: 3, text: 'during the outage' }]);
    await store.close();
  });

  it('a failing body file is retried at the same offsets', async () => {
    let store = await Store.open(dir, memoryLogger(), { retryDelayMs: 50 });
    const sid = store.currentSession().id;
    store.addFlow(captured(makeFlow(sid, 1), binaryBody(1, 5000)), []);
    await store.flush();
    const bodies = join(dir, 'sessions', sid, 'bodies.bin');
    await rename(bodies, `${bodies}.aside`);
    await mkdir(bodies);
    store.addFlow(captured(makeFlow(sid, 2), binaryBody(2, 7000)), []);
    await assert.rejects(store.flush(), StoreError);
    assert.ok(store.writeError);
    await rmdir(bodies);
    await rename(`${bodies}.aside`, bodies);
    await store.flush();
    assert.equal(store.writeError, undefined);
    await store.close();
    store = await Store.open(dir, memoryLogger());
    assert.deepEqual(await store.readBody('flow-000001', 'request'), binaryBody(1, 5000));
    assert.deepEqual(await store.readBody('flow-000002', 'request'), binaryBody(2, 7000));
    await store.close();
  });

  it('gives captured buffers back only once they are on disk, never while the write fails', async () => {
    const store = await Store.open(dir, memoryLogger(), { retryDelayMs: 50 });
    const sid = store.currentSession().id;
    const bodies = join(dir, 'sessions', sid, 'bodies.bin');
    await mkdir(bodies, { recursive: true }); // the body file cannot be written
    let released = 0;
    const flow = { ...captured(makeFlow(sid, 1), binaryBody(1, 5000), binaryBody(2, 9000)), release: () => released++ };
    store.addFlow(flow, []);
    await assert.rejects(store.flush(), StoreError);
    assert.equal(released, 0, 'still queued: the buffers are still needed');
    await rmdir(bodies);
    await store.flush();
    assert.equal(released, 1, 'both bodies written: given back once');
    // A flow without bodies, and one whose bodies are dropped, give theirs back at once.
    store.addFlow({ ...captured(makeFlow(sid, 2)), release: () => released++ }, []);
    assert.equal(released, 2);
    await store.close();
    const reopened = await Store.open(dir, memoryLogger());
    assert.deepEqual(await reopened.readBody('flow-000001', 'response'), binaryBody(2, 9000));
    await reopened.close();
  });

  it('close reports records it could not write; calls after close are ignored', async () => {
    const store = await Store.open(dir, memoryLogger(), { retryDelayMs: 50 });
    const sid = store.currentSession().id;
    await mkdir(join(dir, 'sessions', sid, 'journal.ndjson'), { recursive: true });
    store.addFlow(captured(makeFlow(sid, 1)), []);
    await assert.rejects(store.close(), StoreError);
    assert.doesNotThrow(() => store.addFlow(captured(makeFlow(sid, 2)), []));
  });
});

describe('Store data folder lock and read-only use', () => {
  it('one writer per data folder; a dead holder is taken over; readers need no lock', async () => {
    const store = await Store.open(dir, memoryLogger());
    const sid = store.currentSession().id;
    store.addFlow(captured(makeFlow(sid, 1)), []);
    await store.flush();
    await assert.rejects(Store.open(dir, memoryLogger()), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.match(err.message, new RegExp(`in use by process ${process.pid}`));
      return true;
    });
    const reader = await Store.open(dir, memoryLogger(), { readOnly: true });
    assert.ok(reader.getFlow('flow-000001'));
    reader.addFlow(captured(makeFlow(sid, 2)), []); // ignored, with a warning
    await reader.close();
    await store.close();
    assert.equal(store.getFlow('flow-000002'), undefined);

    // A lock left by a process that no longer exists (kill -9) does not block.
    await writeFile(join(dir, 'store.lock'), '999999999\n');
    const again = await Store.open(dir, memoryLogger());
    assert.equal(again.currentSession().flowCount, 1);
    await again.close();
  });

  it('read-only open of a missing folder is a StoreError', async () => {
    await assert.rejects(Store.open(join(dir, 'missing'), memoryLogger(), { readOnly: true }), StoreError);
  });
});
