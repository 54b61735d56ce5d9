// The shape of a pattern-tier detector (in the style of mockttp's matchers): a kind, matches() and explain().
import type { FindingKind } from '../../types/finding.js';

export interface PatternContext {
  /** The key, field, header or cookie name holding the value ('' when none). */
  key: string;
  where: string;
  /** ISO region for national phone numbers (from the profiles), when known. */
  region?: string;
}

export interface PatternMatch {
  kind: FindingKind;
  value: string;
  /** 'medium': valid format and identifying context; 'low': format alone (a hint, not an alert). */
  confidence: 'medium' | 'low';
}

export interface PatternDetector {
  readonly kind: FindingKind;
  /** Matches one leaf value (the whole value, trimmed); undefined when it is not this identifier. */
  matches(value: string, ctx: PatternContext): PatternMatch | undefined;
  /** Why the match counts, for the finding's explanation. */
  explain(match: PatternMatch, ctx: PatternContext): string;
}

/** Key names normalised: lower case, letters and digits only ("Device-ID" → "deviceid"). */
export function normKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

// Keys repeat across leaves and flows: cache the normalised forms (bounded).
const keyCache = new Map<string, [string, string]>();

/** True when the normalised key is one of `names`, or one of them followed by a digit (imei1, imei2). */
export function keyIn(key: string, names: ReadonlySet<string>): boolean {
  if (key === '') return false;
  let forms = keyCache.get(key);
  if (!forms) {
    const k = normKey(key);
    forms = [k, k.replace(/\d+$/, '')];
    if (keyCache.size >= 4096) keyCache.clear();
    keyCache.set(key, forms);
  }
  return names.has(forms[0]) || names.has(forms[1]);
}

export function explainWith(kind: string, m: PatternMatch, ctx: PatternContext, format: string): string {
  return m.confidence === 'medium' ? `${format} under the ${kind} key "${ctx.key}"` : `${format} (format only, no identifying key)`;
}
