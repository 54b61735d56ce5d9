// Preloaded into the proxy process by the benchmark (node --import ./event-loop-probe.mjs dist/cli.js start …),
// so nothing is added to src/: samples the event-loop delay with perf_hooks.monitorEventLoopDelay and, on each
// SIGUSR2, writes the histogram since the previous SIGUSR2 (ms) to $PHONEHOME_BENCH_PROBE, then resets it.
// The histogram records the interval between the probe's timer ticks, so the resolution is subtracted: an idle
// loop reads 0 ms, not RESOLUTION ms. Each snapshot also carries process.memoryUsage().
// Plain JavaScript so the proxy process runs without a TypeScript loader.
import { renameSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.PHONEHOME_BENCH_PROBE;
if (file) {
  const RESOLUTION_MS = 2;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let seq = 0;
  const ms = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  process.on('SIGUSR2', () => {
    seq += 1;
    const snapshot = {
      seq,
      count: histogram.count,
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      mean: ms(histogram.mean),
    };
    // Where the memory is: V8 heap (live + not yet collected), buffers outside it, and the heap's own limit.
    const memory = process.memoryUsage();
    snapshot.memory = { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers };
    histogram.reset();
    writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
    renameSync(`${file}.tmp`, file);
  });
}
