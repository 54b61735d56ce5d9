// "Did it really change?": two sessions side by side (before and after a vendor update). Hosts that appeared or
// disappeared, identifier kinds added or removed per host, plain HTTP ↔ TLS and plain ↔ hashed moves, volumes.
import { useState, type FormEvent } from 'react';
import { api } from '../lib/api-client.js';
import type { SessionDiff, SessionInfo } from '../lib/api-types.js';
import { formatBytes } from '../lib/format.js';
import { KindBadges } from './kind-badge.js';

function Moves({ label, kinds }: { label: string; kinds: string[] }) {
  if (kinds.length === 0) return null;
  return (
    <div className="small">
      <span className="muted">{label}</span> <KindBadges kinds={kinds} />
    </div>
  );
}

export function SessionDiffView({ sessions }: { sessions: SessionInfo[] }) {
  const byAge = [...sessions].sort((x, y) => x.createdAt - y.createdAt);
  // Until the tester picks, compare the two newest sessions (the list grows while the page is open).
  const [pickedA, setA] = useState<string | undefined>();
  const [pickedB, setB] = useState<string | undefined>();
  const known = (id: string | undefined) => (id !== undefined && byAge.some((s) => s.id === id) ? id : undefined);
  const a = known(pickedA) ?? byAge.at(-2)?.id ?? '';
  const b = known(pickedB) ?? byAge.at(-1)?.id ?? '';
  const [diff, setDiff] = useState<SessionDiff | undefined>();
  const [error, setError] = useState<string | undefined>();

  if (byAge.length < 2) return null;
  const compare = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      setDiff(await api.diff(a, b));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const changed = diff?.hosts.filter((h) => h.change !== 'unchanged') ?? [];
  return (
    <div className="card session-diff" aria-label="Compare sessions">
      <form className="capture-row" onSubmit={(e) => void compare(e)}>
        <strong>Compare</strong>
        <select aria-label="Before" value={a} onChange={(e) => setA(e.target.value)}>
          {byAge.map((s) => (
            <option key={s.id} value={s.id}>{s.name}</option>
          ))}
        </select>
        <span className="muted">→</span>
        <select aria-label="After" value={b} onChange={(e) => setB(e.target.value)}>
          {byAge.map((s) => (
            <option key={s.id} value={s.id}>{s.name}</option>
          ))}
        </select>
        <button type="submit" className="button" disabled={a === b}>
          Compare
        </button>
        {error && <span className="error small" role="alert">{error}</span>}
      </form>
      {diff && (
        <>
          <p className="small" data-testid="diff-summary">
            Hosts {diff.totals.hosts.a} → {diff.totals.hosts.b} · requests {diff.totals.requests.a} → {diff.totals.requests.b} · plain HTTP requests{' '}
            {diff.totals.plaintextRequests.a} → {diff.totals.plaintextRequests.b} · {diff.hostsAppeared.length} appeared, {diff.hostsDisappeared.length} disappeared
          </p>
          {changed.length === 0 ? (
            <p className="muted small">No host changed between these sessions.</p>
          ) : (
            <table className="grid" role="grid" aria-label="Changes per host">
              <thead>
                <tr role="row">
                  <th role="columnheader">Host</th>
                  <th role="columnheader">Change</th>
                  <th role="columnheader">Identifiers</th>
                  <th role="columnheader" className="num">Requests</th>
                  <th role="columnheader" className="num">Sent</th>
                </tr>
              </thead>
              <tbody>
                {changed.map((h) => (
                  <tr key={h.host} role="row" data-diff-host={h.host}>
                    <td role="gridcell">
                      <strong>{h.host}</strong> <span className="muted small">{h.country}</span>
                    </td>
                    <td role="gridcell">
                      <span className={`pill ${h.change === 'appeared' ? 'pill-warn' : h.change === 'disappeared' ? 'pill-ok' : ''}`}>{h.change}</span>
                      <div className="muted small">
                        {h.transport.a} → {h.transport.b}
                      </div>
                    </td>
                    <td role="gridcell">
                      <Moves label="added" kinds={h.kindsAdded} />
                      <Moves label="removed" kinds={h.kindsRemoved} />
                      <Moves label="plain HTTP → TLS" kinds={h.plaintextToTls} />
                      <Moves label="TLS → plain HTTP" kinds={h.tlsToPlaintext} />
                      <Moves label="plain → hashed" kinds={h.plainToHashed} />
                      <Moves label="hashed → plain" kinds={h.hashedToPlain} />
                    </td>
                    <td role="gridcell" className="num">
                      {h.requests.a} → {h.requests.b}
                    </td>
                    <td role="gridcell" className="num">
                      {formatBytes(h.bytesUp.a)} → {formatBytes(h.bytesUp.b)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
