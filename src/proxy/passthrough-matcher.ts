// --passthrough PATTERN: hosts tunnelled untouched (pinned apps, banking, the tester's own accounts).
// A pattern is a hostname with '*' wildcards ('*.apple.com', 'api.*.example'), optionally with ':PORT'.
import { type HostPort } from './host-port.js';

export class PassthroughPattern {
  private readonly hostRegex: RegExp;
  private readonly port: number | undefined;

  constructor(readonly pattern: string) {
    const match = /^(.*?)(?::(\d{1,5}))?$/.exec(pattern.trim().toLowerCase());
    const hostPart = match?.[1] ?? '';
    if (hostPart === '' || !/^[a-z0-9.*_:[\]-]+$/.test(hostPart)) {
      throw new Error(`--passthrough "${pattern}": expected a host name with optional '*' wildcards and :PORT`);
    }
    this.port = match?.[2] === undefined ? undefined : Number(match[2]);
    const bare = hostPart.replace(/^\[|\]$/g, '');
    const escaped = bare.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*');
    // '*.example.com' also covers 'example.com' itself, as users of mitmproxy's ignore_hosts expect.
    const source = bare.startsWith('*.') ? `(?:${escaped.slice('[^.]*\\.'.length)}|${escaped})` : escaped;
    this.hostRegex = new RegExp(`^${source}$`);
  }

  matches(target: HostPort): boolean {
    return this.hostRegex.test(target.host) && (this.port === undefined || this.port === target.port);
  }

  explain(): string {
    return `host matches passthrough pattern "${this.pattern}"`;
  }
}

export class PassthroughList {
  private readonly patterns: PassthroughPattern[];

  constructor(patterns: readonly string[] = []) {
    this.patterns = patterns.map((p) => new PassthroughPattern(p));
  }

  /** The first pattern that matches, for the record of why a host was tunnelled. */
  match(target: HostPort): PassthroughPattern | undefined {
    return this.patterns.find((p) => p.matches(target));
  }
}
