// E-mail addresses whose domain ends in a real public suffix (tldts); medium under an e-mail or account key.
import { parse as parseDomain } from 'tldts';
import { EMAIL_KEYS } from './context-keys.js';
import { explainWith, keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

const EMAIL_RE = /^[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/;

export class EmailDetector implements PatternDetector {
  readonly kind = 'email' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    if (!value.includes('@')) return undefined;
    const v = value.trim();
    const m = EMAIL_RE.exec(v);
    if (!m) return undefined;
    const d = parseDomain(m[1]!);
    if (!d.domain || d.isIcann !== true || d.isIp) return undefined;
    return { kind: this.kind, value: v.toLowerCase(), confidence: keyIn(ctx.key, EMAIL_KEYS) ? 'medium' : 'low' };
  }

  explain(m: PatternMatch, ctx: PatternContext): string {
    return explainWith('e-mail', m, ctx, 'e-mail address with a public suffix');
  }
}
