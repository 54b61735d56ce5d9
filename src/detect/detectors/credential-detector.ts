// Credentials: a non-empty value under a password field.
import { PASSWORD_KEYS } from './context-keys.js';
import { keyIn, type PatternContext, type PatternDetector, type PatternMatch } from './detector.js';

export class CredentialDetector implements PatternDetector {
  readonly kind = 'credential' as const;

  matches(value: string, ctx: PatternContext): PatternMatch | undefined {
    const v = value.trim();
    // A URL path segment after /pass/ is a route, not a password: fields only.
    if (ctx.where === 'url' || v.length < 4 || v.length > 128 || !keyIn(ctx.key, PASSWORD_KEYS)) return undefined;
    if (/^(?:\*+|null|undefined|true|false)$/i.test(v)) return undefined;
    return { kind: this.kind, value: v, confidence: 'medium' };
  }

  explain(_m: PatternMatch, ctx: PatternContext): string {
    return `value of the password field "${ctx.key}"`;
  }
}
