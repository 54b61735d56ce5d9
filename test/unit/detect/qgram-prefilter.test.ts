import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { buildQgramFilter, candidateWindows } from '../../../src/detect/qgram-prefilter.js';

describe('q-gram prefilter', () => {
  const patterns = ['46001', 'abcd', '39.977', '868828661312806', 'mtextmjazyzy5ngzim', 'a3f1c0ffee0123456789abcdef012345'];
  const filter = buildQgramFilter(patterns);

  it('never skips an occurrence of a pattern, wherever it sits', () => {
    for (let round = 0; round < 200; round++) {
      const noise = randomBytes(300).toString('base64').toLowerCase();
      const p = patterns[round % patterns.length]!;
      const at = round % (noise.length - 1);
      const text = noise.slice(0, at) + p + noise.slice(at);
      const windows = candidateWindows(text, filter);
      assert.ok(windows.some(([s, e]) => s <= at && e >= at + p.length), `${p} at ${at}`);
    }
  });
  it('hands only a small part of unrelated text to the automaton', () => {
    const text = randomBytes(200_000).toString('hex');
    const covered = candidateWindows(text, filter).reduce((n, [s, e]) => n + e - s, 0);
    assert.ok(covered < text.length * 0.05, `${covered} of ${text.length}`);
  });
  it('returns merged, ordered windows and refuses patterns under 4 characters', () => {
    const w = candidateWindows('xx46001x46001yy', filter);
    assert.equal(w.length, 1);
    assert.throws(() => buildQgramFilter(['abc']), RangeError);
  });
});
