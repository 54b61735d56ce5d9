// Which hosts' clients refuse our certificates: the evidence for "likely pinned" and for auto-passthrough
// (mitmproxy's conservative strategy: after one rejection, tunnel that host untouched from then on).

/** Wire values, shown in the dashboard and exports. */
export type TlsFailureCause = 'cert-rejected' | 'closed-after-handshake' | 'reset' | 'no-shared-cipher' | 'timeout' | 'protocol-error';

export interface TlsFailure {
  host: string;
  port: number;
  device: string;
  cause: TlsFailureCause;
  message: string;
  time: number;
}

/** Maps the error a TLS server socket raised during the handshake to a cause. */
export function classifyTlsClientError(error: Error & { code?: string }): TlsFailureCause {
  const text = `${error.code ?? ''} ${error.message}`.toLowerCase();
  // OpenSSL alerts a client sends when it does not trust our certificate: unknown ca (48), bad certificate (42),
  // certificate unknown (46), unsupported certificate (43), access denied (49).
  if (/alert (unknown ca|bad certificate|certificate unknown|unsupported certificate|access denied)|alert number (42|43|46|48|49)/.test(text)) {
    return 'cert-rejected';
  }
  if (text.includes('no shared cipher') || text.includes('no_shared_cipher') || text.includes('handshake failure')) return 'no-shared-cipher';
  if (text.includes('timeout') || text.includes('timed out')) return 'timeout';
  if (text.includes('econnreset') || text.includes('socket hang up') || text.includes('epipe')) return 'reset';
  return 'protocol-error';
}

/** Causes that show the client refused our certificate (as opposed to a network hiccup). */
const REJECTION_CAUSES: ReadonlySet<TlsFailureCause> = new Set(['cert-rejected', 'closed-after-handshake']);

export class TlsFailureTracker {
  private readonly pinned = new Map<string, TlsFailure>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly autoPassthrough: boolean) {}

  record(failure: TlsFailure): void {
    this.counts.set(failure.host, (this.counts.get(failure.host) ?? 0) + 1);
    if (REJECTION_CAUSES.has(failure.cause) && !this.pinned.has(failure.host)) this.pinned.set(failure.host, failure);
  }

  /** The host's clients rejected our certificate at least once. */
  isLikelyPinned(host: string): boolean {
    return this.pinned.has(host);
  }

  /** Auto-passthrough: tunnel this host untouched because interception would only fail again. */
  shouldPassThrough(host: string): boolean {
    return this.autoPassthrough && this.pinned.has(host);
  }

  failureCount(host: string): number {
    return this.counts.get(host) ?? 0;
  }

  likelyPinnedHosts(): string[] {
    return [...this.pinned.keys()];
  }
}
