// Exports stream: the JSON and CSV writers read the next flow only once the output has taken the previous one
// (backpressure), so a large session is never held in memory. A slow consumer shows how far reading runs ahead.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { writeSessionCsv } from '../../src/export/csv-writer.js';
import { writeSessionJson } from '../../src/export/json-writer.js';
import type { SessionSource } from '../../src/export/session-source.js';
import type { SessionInfo } from '../../src/store/index.js';
import type { Finding, Flow } from '../../src/types/index.js';
import { makeFinding, makeFlow } from './store/make-flow.js';

const FLOWS = 1500;

function source(counter: { yielded: number }): SessionSource {
  return {
    iterateFlows() {
      return (async function* () {
        for (let n = 0; n < FLOWS; n++) {
          const flow: Flow = makeFlow('s', n);
          const findings: Finding[] = [makeFinding(flow, 'imei')];
          counter.yielded++;
          yield { flow, findings };
        }
      })();
    },
    async readBody() {
      return Buffer.alloc(2048, 1);
    },
    events: () => [],
    listDevices: () => [],
  };
}

/** A consumer that takes one chunk per event-loop turn, with a tiny buffer; records the reader's lead. */
function slowSink(counter: { yielded: number }): Writable & { maxLead: number; chunks: number; bytes: number } {
  const sink = new Writable({
    highWaterMark: 64,
    write(chunk: Buffer, _enc, done) {
      sink.chunks++;
      sink.bytes += chunk.length;
      sink.maxLead = Math.max(sink.maxLead, counter.yielded - sink.chunks);
      setImmediate(done);
    },
  }) as Writable & { maxLead: number; chunks: number; bytes: number };
  sink.maxLead = 0;
  sink.chunks = 0;
  sink.bytes = 0;
  return sink;
}

const session: SessionInfo = { id: 's', name: 'big', createdAt: 0, current: false, flowCount: FLOWS, findingCount: FLOWS };

describe('exports stream with backpressure', () => {
  it('JSON reads a flow only when the output has taken the one before', async () => {
    const counter = { yielded: 0 };
    const sink = slowSink(counter);
    await writeSessionJson(source(counter), session, sink, { creatorVersion: 't' });
    sink.end();
    assert.equal(counter.yielded, FLOWS);
    assert.ok(sink.bytes > FLOWS * 2048, 'bodies were written');
    assert.ok(sink.maxLead <= 2, `reading ran ${sink.maxLead} flows ahead of the output`);
  });

  it('CSV too', async () => {
    const counter = { yielded: 0 };
    const sink = slowSink(counter);
    await writeSessionCsv(source(counter), 's', sink);
    sink.end();
    assert.equal(sink.chunks, FLOWS + 1);
    assert.ok(sink.maxLead <= 2, `reading ran ${sink.maxLead} flows ahead of the output`);
  });
});
