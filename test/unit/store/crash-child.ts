// Child process for the kill -9 test: opens the store and adds flows in a loop until it is killed, printing
// "added <flowId> <epoch ms>" after each addFlow returns. It never calls flush or close.
import { Store } from '../../../src/store/index.js';
import { binaryBody, captured, makeFinding, makeFlow, memoryLogger } from './make-flow.js';

const dataDir = process.argv[2]!;
const store = await Store.open(dataDir, memoryLogger());
const sid = store.currentSession().id;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;
const addOne = (): void => {
  const flow = makeFlow(sid, n);
  store.addFlow(captured(flow, binaryBody(n, 50), binaryBody(n, 2000)), n % 4 === 0 ? [makeFinding(flow, 'imei')] : []);
  store.addEvent(sid, { type: 'marker', time: Date.now(), text: `after ${flow.id}` });
  process.stdout.write(`added ${flow.id} ${Date.now()}\n`);
  n++;
};
for (let i = 0; i < 100; i++) {
  addOne();
  await sleep(1);
}
process.stdout.write('phase1-done\n');
await sleep(1200);
for (;;) {
  addOne();
  await sleep(2);
}
