// Store cost per flow: appends 100k flows (headers, 200 B request + 1 KiB response bodies, a finding on every
// tenth) and prints µs/flow for each 10k (queue + write), the first 10k against the last 10k, then reopens in a
// fresh process and prints the reopen time, RSS, and a few read timings.
// Run: node --import tsx test/bench/store-bench.ts [flows]
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Store } from '../../src/store/index.js';
import { binaryBody, captured, makeFinding, makeFlow, memoryLogger } from '../unit/store/make-flow.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function reopen(dir: string): Promise<void> {
  gc();
  const before = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const store = await Store.open(dir, memoryLogger());
  const openMs = performance.now() - t0;
  const sid = store.currentSession().id;
  gc();
  const rss = process.memoryUsage().rss;
  const heap = process.memoryUsage().heapUsed;
  let t = performance.now();
  const page = store.listFlows(sid, { offset: 50_000, limit: 100 });
  const pageMs = performance.now() - t;
  t = performance.now();
  const search = store.listFlows(sid, { q: 'items/9999' });
  const searchMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < 1000; i++) store.getFlow(`flow-${String(i * 97).padStart(6, '0')}`);
  const getMs = (performance.now() - t) / 1000;
  t = performance.now();
  let n = 0;
  for await (const _ of store.iterateFlows(sid)) n++;
  const iterMs = performance.now() - t;
  console.log(`reopen: ${openMs.toFixed(0)} ms for ${store.currentSession().flowCount} flows`);
  console.log(`RSS after reopen: ${mb(rss)} (process baseline ${mb(before)}), heap used ${mb(heap)} (${mb(heap - heapBefore)} more than before open: ${((heap - heapBefore) / store.currentSession().flowCount).toFixed(0)} B/flow)`);
  console.log(`listFlows page at offset 50k: ${pageMs.toFixed(2)} ms (${page.flows.length}); free-text search: ${searchMs.toFixed(1)} ms (${search.total} hits)`);
  console.log(`getFlow: ${(getMs * 1000).toFixed(0)} µs each; iterateFlows: ${n} flows in ${iterMs.toFixed(0)} ms`);
  await store.close();
}

async function main(): Promise<void> {
  if (process.argv[2] === '--reopen') return reopen(process.argv[3]!);
  const total = Number(process.argv[2] ?? 100_000);
  const chunk = total / 10;
  const dir = await mkdtemp(join(tmpdir(), 'phonehome-bench-'));
  try {
    const store = await Store.open(dir, memoryLogger());
    const sid = store.currentSession().id;
    const request = binaryBody(1, 200);
    const response = binaryBody(2, 1024);
    const perChunk: { queue: number; total: number }[] = [];
    let maxAddUs = 0;
    for (let c = 0; c < 10; c++) {
      const t0 = performance.now();
      let queueMs = 0;
      for (let i = 0; i < chunk; i++) {
        const n = c * chunk + i;
        const flow = makeFlow(sid, n);
        const findings = n % 10 === 0 ? [makeFinding(flow, 'imei')] : [];
        const a = performance.now();
        store.addFlow(captured(flow, request, response), findings);
        const took = performance.now() - a;
        queueMs += took;
        if (took * 1000 > maxAddUs) maxAddUs = took * 1000;
        store.upsertDevice(flow.device, flow.startedAt);
        // Yield now and then, as a live proxy would: lets the batch writer run on its timer.
        if (i % 500 === 499) await new Promise((r) => setImmediate(r));
      }
      await store.flush();
      const totalMs = performance.now() - t0;
      perChunk.push({ queue: (queueMs * 1000) / chunk, total: (totalMs * 1000) / chunk });
      console.log(`flows ${c * chunk + 1}-${(c + 1) * chunk}: addFlow ${perChunk[c]!.queue.toFixed(1)} µs/flow, with write ${perChunk[c]!.total.toFixed(1)} µs/flow`);
    }
    gc();
    const live = process.memoryUsage();
    await store.close();
    const first = perChunk[0]!;
    const last = perChunk[9]!;
    console.log(`first ${chunk}: ${first.total.toFixed(1)} µs/flow · last ${chunk}: ${last.total.toFixed(1)} µs/flow (addFlow alone ${first.queue.toFixed(1)} vs ${last.queue.toFixed(1)}; slowest single addFlow ${maxAddUs.toFixed(0)} µs)`);
    console.log(`after writing ${total} flows (store open): RSS ${mb(live.rss)}, heap used ${mb(live.heapUsed)} of ${mb(live.heapTotal)}, external ${mb(live.external)}`);
    const session = join(dir, 'sessions', sid);
    console.log(`journal ${mb((await stat(join(session, 'journal.ndjson'))).size)}, bodies ${mb((await stat(join(session, 'bodies.bin'))).size)}`);
    const here = fileURLToPath(import.meta.url);
    spawnSync(process.execPath, ['--import', 'tsx', here, '--reopen', dir], { stdio: 'inherit' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
