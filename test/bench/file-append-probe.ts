// How fast this machine appends to a new file, with one core: the ceiling under phonehome's 1 MiB GET load, which
// writes every body to bodies.bin. Run by run.ts as its own process, pinned to the proxy's core like phonehome.
//
// Usage: node --import tsx test/bench/file-append-probe.ts DIR [MiB]. Prints one line of JSON: { mib, ms, cpuMs }.
//
// Why it is measured and not assumed: in a VM the kernel's copy into new page-cache pages can cost far more than a
// memory copy. On the machine this was written on (a Firecracker VM whose balloon reports free pages to the host),
// appending cost 0.2 ms/MiB while the guest reused recently freed pages and ~3 ms/MiB once it had to take pages
// the host had reclaimed: every first touch of such a page is a host page fault.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: file-append-probe.ts DIR [MiB]');
  process.exit(2);
}
const mib = Number(process.argv[3] ?? 512);
const chunk = Buffer.alloc(1 << 20, 0x61);
const file = join(dir, 'file-append-probe.bin');
const fd = openSync(file, 'w');
const cpuBefore = process.cpuUsage();
const started = performance.now();
try {
  for (let i = 0; i < mib; i++) writeSync(fd, chunk);
} finally {
  closeSync(fd);
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
rmSync(file, { force: true });
console.log(JSON.stringify({ mib, ms, cpuMs: (cpu.user + cpu.system) / 1000 }));
