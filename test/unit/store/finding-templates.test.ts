import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FindingTemplates } from '../../../src/store/finding-templates.js';
import type { Finding } from '../../../src/types/index.js';

const live = (flowId: string, time: number, position: number, over: Partial<Finding> = {}): Finding => ({
  kind: 'imei',
  value: '868828661312806',
  where: 'body:common.imei',
  encodings: ['gzip', 'json'],
  confidence: 'high',
  source: 'profile',
  explanation: 'profile imei value',
  label: 'bench phone',
  id: `${flowId}.${position}`,
  flowId,
  host: 'api.example.test',
  plaintext: false,
  time,
  device: '127.0.0.1',
  ...over,
});

describe('FindingTemplates', () => {
  it('gives back exactly what it was given, for live findings and for HAR-style ones', () => {
    const templates = new FindingTemplates();
    const findings = [live('f1', 1000, 0), live('f1', 1000, 1, { kind: 'carrier', value: '中国联通', where: 'body:common.carrier', encodings: [] })];
    assert.deepEqual(templates.expand('f1', 1000, templates.compact('f1', 1000, findings)), findings);
    const scanned: Finding[] = [{ kind: 'email', value: 'a@b.test', where: 'query:e', encodings: [], confidence: 'medium', source: 'pattern', id: 'random-uuid', entry: 3, host: 'h.test', plaintext: true }];
    assert.deepEqual(templates.expand('f2', 5, templates.compact('f2', 5, scanned)), scanned);
  });

  it('shares one template between flows that found the same thing', () => {
    const templates = new FindingTemplates();
    const a = templates.compact('flow-a', 1, [live('flow-a', 1, 0)]);
    const b = templates.compact('flow-b', 2, [live('flow-b', 2, 0)]);
    assert.equal(a[0], b[0]);
    assert.equal(templates.size, 1);
    assert.equal(templates.expand('flow-b', 2, b)[0]!.id, 'flow-b.0');
    const other = templates.compact('flow-c', 3, [live('flow-c', 3, 0, { host: 'other.test' })]);
    assert.notEqual(other[0], a[0], 'a different host is a different template');
  });

  it('hands out copies: changing them or the originals changes nothing kept', () => {
    const templates = new FindingTemplates();
    const original = live('f', 1, 0);
    const kept = templates.compact('f', 1, [original]);
    original.value = 'changed';
    original.encodings.push('base64');
    const out = templates.expand('f', 1, kept);
    assert.equal(out[0]!.value, '868828661312806');
    assert.deepEqual(out[0]!.encodings, ['gzip', 'json']);
    out[0]!.encodings.push('x');
    out[0]!.value = 'x';
    assert.deepEqual(templates.expand('f', 1, kept)[0], live('f', 1, 0));
  });
});
