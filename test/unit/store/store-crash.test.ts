// Crash safety: a real kill -9 of a process that is adding flows, and a journal whose last line was torn.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../../../src/store/index.js';
import { binaryBody, captured, makeFlow, memoryLogger } from './make-flow.js';

const here = dirname(fileURLToPath(import.meta.url));
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phonehome-crash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Store crash safety', () => {
  it('after kill -9, every flow added at least 1 s before the kill is there', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-child.ts'), dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const added: { id: string; at: number }[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const killedAt = await new Promise<number>((resolve, reject) => {
      let buffered = '';
      let phase1At = 0;
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          const m = /^added (\S+) (\d+)$/.exec(line);
          if (m) added.push({ id: m[1]!, at: Number(m[2]) });
          if (line === 'phase1-done') phase1At = Date.now();
          // Kill in the middle of the second burst, > 1 s after the first one ended.
          if (phase1At && Date.now() - phase1At > 2700 && !child.killed) {
            const at = Date.now();
            child.kill('SIGKILL');
            resolve(at);
          }
        }
      });
      child.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
    });
    assert.equal(await exited, 'SIGKILL');
    assert.ok(added.length > 150, `the child added ${added.length} flows`);

    const logger = memoryLogger();
    const store = await Store.open(dir, logger);
    const sid = store.currentSession().id;
    const due = added.filter((a) => a.at <= killedAt - 1000);
    assert.ok(due.length > 100, `${due.length} flows were due (some from the second burst)`);
    for (const { id } of due) {
      const got = store.getFlow(id);
      assert.ok(got, `${id} survived the kill`);
      const n = Number(id.slice(5));
      assert.deepEqual(await store.readBody(id, 'response'), binaryBody(n, 2000));
    }
    const markers = store.events(sid).length;
    assert.ok(markers >= due.length, 'events too');
    const present = added.filter((a) => store.getFlow(a.id)).length;
    console.log(`kill -9: ${added.length} added, ${due.length} due, ${present} present after restart`);
    // The journal stays appendable after whatever the kill left.
    store.addFlow(captured(makeFlow(sid, 999_999)), []);
    await store.close();
    const again = await Store.open(dir, memoryLogger());
    assert.ok(again.getFlow('flow-999999'));
    await again.close();
  });

  it('skips a torn last line with a warning, and later appends still load', async () => {
    let store = await Store.open(dir, memoryLogger());
    const sid = store.currentSession().id;
    for (let n = 0; n < 10; n++) store.addFlow(captured(makeFlow(sid, n), binaryBody(n)), []);
    await store.close();
    const journal = join(dir, 'sessions', sid, 'journal.ndjson');
    const size = (await stat(journal)).size;
    await truncate(journal, size - 40); // the last record loses its end and its newline

    const logger = memoryLogger();
    store = await Store.open(dir, logger);
    const warnings = logger.lines.filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /torn last journal line/);
    assert.equal(store.currentSession().flowCount, 9);
    assert.equal(store.getFlow('flow-000009'), undefined);
    store.addFlow(captured(makeFlow(sid, 10), binaryBody(10)), []);
    store.addFlow(captured(makeFlow(sid, 11), binaryBody(11)), []);
    await store.close();
    const text = await readFile(journal, 'utf8');
    assert.ok(text.endsWith('\n'));

    const logger2 = memoryLogger();
    store = await Store.open(dir, logger2);
    assert.equal(store.currentSession().flowCount, 11);
    for (const n of [0, 8, 10, 11]) {
      const id = `flow-${String(n).padStart(6, '0')}`;
      assert.deepEqual(store.getFlow(id)?.flow, makeFlow(sid, n));
      assert.deepEqual(await store.readBody(id, 'request'), binaryBody(n));
    }
    // The torn bytes are still there, now mid-file, and still skipped with a warning.
    assert.equal(logger2.lines.filter((l) => l.level === 'warn').length, 1);
    await store.close();
  });

  it('keeps a last record whose newline never made it', async () => {
    let store = await Store.open(dir, memoryLogger());
    const sid = store.currentSession().id;
    store.addFlow(captured(makeFlow(sid, 1)), []);
    await store.close();
    const journal = join(dir, 'sessions', sid, 'journal.ndjson');
    await truncate(journal, (await stat(journal)).size - 1);
    store = await Store.open(dir, memoryLogger());
    assert.ok(store.getFlow('flow-000001'));
    store.addFlow(captured(makeFlow(sid, 2)), []);
    await store.close();
    store = await Store.open(dir, memoryLogger());
    assert.equal(store.currentSession().flowCount, 2);
    await store.close();
  });

  it('skips a corrupt line in the middle with a warning', async () => {
    let store = await Store.open(dir, memoryLogger());
    const sid = store.currentSession().id;
    store.addFlow(captured(makeFlow(sid, 1)), []);
    await store.close();
    await appendFile(join(dir, 'sessions', sid, 'journal.ndjson'), '{"t":"flow","flo\n');
    const logger = memoryLogger();
    store = await Store.open(dir, logger);
    store.addFlow(captured(makeFlow(sid, 2)), []);
    await store.close();
    assert.ok(logger.lines.some((l) => l.level === 'warn' && /unreadable journal line/.test(l.message)));
    store = await Store.open(dir, memoryLogger());
    assert.equal(store.currentSession().flowCount, 2);
    await store.close();
  });
});
