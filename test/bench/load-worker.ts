// One thread of the load generator: runs its share of the connections and posts the latencies back.
import { parentPort, workerData } from 'node:worker_threads';
import { runConnections, type WorkerInput } from './load-generator.js';

const output = await runConnections((workerData as { input: WorkerInput }).input);
parentPort!.postMessage(output, [output.latencies.buffer as ArrayBuffer]);
