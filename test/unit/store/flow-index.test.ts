// The columnar flow index gives back, for every row, exactly the summary and findings it was given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowIndex } from '../../../src/store/flow-index.js';
import { toFlowSummary } from '../../../src/store/flow-summary.js';
import type { Flow } from '../../../src/types/index.js';
import { makeFinding, makeFlow } from './make-flow.js';

describe('FlowIndex', () => {
  it('keeps every column of 3,000 rows (past several column growths) and every finding', () => {
    const index = new FlowIndex('s1');
    const flows: Flow[] = [];
    for (let n = 0; n < 3000; n++) {
      const over: Partial<Flow> = n % 7 === 0 ? { error: { code: 'upstream-reset', message: 'reset' }, response: undefined } : {};
      const flow = makeFlow('s1', n, { ...over, host: n % 11 === 0 ? `[2001:db8::${n % 5}]`.slice(1, -1) : `api${n % 13}.example.com` });
      if (n % 5 === 0) flow.request.url = `https://${flow.host}/путь/${n}?q=中国联通&n=${n}`;
      if (n % 9 === 0) flow.startedAt = 1_795_630_292_834.5 + n;
      flows.push(flow);
      index.upsert(flow, n % 4 === 0 ? [makeFinding(flow, 'imei', 0), makeFinding(flow, 'email', 1)] : []);
    }
    assert.equal(index.size, 3000);
    assert.equal(index.findingCount, 750 * 2);
    for (const n of [0, 1, 1023, 1024, 2047, 2048, 2999]) {
      const flow = flows[n]!;
      const findings = n % 4 === 0 ? [makeFinding(flow, 'imei', 0), makeFinding(flow, 'email', 1)] : [];
      assert.deepEqual(index.summary(index.get(flow.id)!), { ...toFlowSummary(flow, findings), sessionId: 's1' }, `row ${n}`);
      assert.deepEqual(index.findingsOf(index.get(flow.id)!), findings, `findings of row ${n}`);
    }
    assert.equal(index.findings().length, 1500);
  });

  it('replaces a row in place; filters by host and free text with offset and limit', () => {
    const index = new FlowIndex('s1');
    for (let n = 0; n < 50; n++) index.upsert(makeFlow('s1', n), []);
    const changed = makeFlow('s1', 10, { host: 'moved.example.com' });
    changed.request.url = 'https://moved.example.com/new/path';
    index.upsert(changed, [makeFinding(changed, 'imei')]);
    assert.equal(index.size, 50);
    assert.equal(index.findingCount, 1);
    assert.equal(index.summary(10).path, '/new/path');
    assert.deepEqual(index.query({ host: 'MOVED.example.com' }).flows.map((f) => f.id), ['flow-000010']);
    const byText = index.query({ q: 'items/4', limit: 2, offset: 1 });
    assert.equal(byText.total, 11); // 4, 40-49
    assert.deepEqual(byText.flows.map((f) => f.id), ['flow-000040', 'flow-000041']);
    assert.equal(index.query({ q: '404' }).total, 5, 'status is searchable');
  });
});
