// Cell IDs: an integer in a cell-identity range under a cell key (cellid/eci/nci: medium; lac/tac/cid/ci: low,
// since those short names also mean other things).
import { CELL_KEYS, CELL_STRONG_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

export class CellIdDetector implements PatternDetector {
  readonly kind = 'cell_id' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    const v = value.trim();
    if (!/^\d{2,11}$/.test(v) || !keyIn(ctx.key, CELL_KEYS)) return undefined;
    const n = Number(v);
    if (n <= 0 || n >= 2 ** 36 || n === 65535 || n === 2147483647) return undefined;
    return { kind: this.kind, value: v, confidence: keyIn(ctx.key, CELL_STRONG_KEYS) ? 'medium' : 'low' };
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('cell', m, ctx, 'cell identity');
  }
}
