// Where a flow's time went: connect, TLS, send, wait (server), receive — as one stacked bar with a legend.
import type { Flow } from '../lib/api-types.js';
import { formatDuration } from '../lib/format.js';

const PHASES = [
  ['connect', 'Connect'],
  ['tls', 'TLS'],
  ['send', 'Send'],
  ['wait', 'Wait'],
  ['receive', 'Receive'],
] as const;

export function TimingBar({ timings }: { timings: Flow['timings'] }) {
  const parts = PHASES.map(([key, label]) => ({ key, label, ms: Math.max(0, timings[key]) })).filter((p) => p.ms > 0);
  const total = parts.reduce((n, p) => n + p.ms, 0);
  if (total <= 0) return null;
  return (
    <div className="timing" aria-label={`Timing: ${parts.map((p) => `${p.label} ${formatDuration(p.ms)}`).join(', ')}`}>
      <div className="timing-bar" aria-hidden="true">
        {parts.map((p) => (
          <span key={p.key} className={`timing-${p.key}`} style={{ width: `${(100 * p.ms) / total}%` }} title={`${p.label}: ${formatDuration(p.ms)}`} />
        ))}
      </div>
      <div className="timing-legend muted small">
        {parts.map((p) => (
          <span key={p.key}>
            <i className={`timing-dot timing-${p.key}`} /> {p.label} {formatDuration(p.ms)}
          </span>
        ))}
      </div>
    </div>
  );
}
