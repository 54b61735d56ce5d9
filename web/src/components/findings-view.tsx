// Findings grouped by kind, then by host, with the evidence (value, where, encoding chain) and links to flows.
import { useMemo, useState } from 'react';
import type { Finding } from '../lib/api-types.js';
import { useDashboard } from '../lib/dashboard-store.js';
import { formatClock, plural } from '../lib/format.js';
import { routeHref } from '../lib/hash-route.js';
import { kindLabel, sortKinds } from '../lib/kinds.js';
import { EmptyState } from './empty-state.js';
import { Icon } from './icon.js';
import { KindBadge } from './kind-badge.js';
import { PageHeader } from './page-header.js';

export function FindingsView() {
  const { findings, loading } = useDashboard();
  const [showLow, setShowLow] = useState(false);
  const shown = useMemo(() => (showLow ? findings : findings.filter((f) => f.confidence !== 'low')), [findings, showLow]);
  const lowCount = findings.length - findings.filter((f) => f.confidence !== 'low').length;

  const groups = useMemo(() => {
    const byKind = new Map<string, Map<string, Finding[]>>();
    for (const f of shown) {
      const hosts = byKind.get(f.kind) ?? byKind.set(f.kind, new Map()).get(f.kind)!;
      (hosts.get(f.host) ?? hosts.set(f.host, []).get(f.host)!).push(f);
    }
    return sortKinds([...byKind.keys()]).map((kind) => ({
      kind,
      hosts: [...byKind.get(kind)!.entries()].sort((a, b) => Number(b[1].some((f) => f.plaintext)) - Number(a[1].some((f) => f.plaintext)) || b[1].length - a[1].length),
    }));
  }, [shown]);

  return (
    <section className="view" aria-labelledby="findings-title">
      <PageHeader id="findings-title" title="Findings" subtitle={shown.length ? `${plural(shown.length, 'finding')} of ${plural(groups.length, 'kind')}` : undefined}>
        <label className="check">
          <input type="checkbox" checked={showLow} onChange={(e) => setShowLow(e.target.checked)} /> Show low-confidence hints ({lowCount})
        </label>
      </PageHeader>
      {groups.length === 0 ? (
        <EmptyState icon="shield" title={loading ? 'Loading findings…' : 'No identifiers found yet'}>
          {loading ? null : <>Findings appear as the phone sends identifiers. Start phonehome with <code>--profile phone.json</code> (IMEI, number, contacts…) to catch them hashed or encoded too.</>}
        </EmptyState>
      ) : (
        <div className="finding-groups">
          {groups.map((g) => (
            <section key={g.kind} className="card finding-group" aria-label={kindLabel(g.kind)}>
              <h2>
                <KindBadge kind={g.kind} /> <span className="muted small">{plural(g.hosts.reduce((n, [, fs]) => n + fs.length, 0), 'finding')} · {plural(g.hosts.length, 'host')}</span>
              </h2>
              {g.hosts.map(([host, fs]) => (
                <details key={host} className="finding-host" open={g.hosts.length <= 4}>
                  <summary>
                    <span className="mono">{host}</span>
                    {fs.some((f) => f.plaintext) && <span className="pill pill-danger"><Icon name="unlock" size={11} /> plain HTTP</span>}
                    <span className="muted small"> {plural(fs.length, 'time')}</span>
                  </summary>
                  <table className="mini-table evidence">
                    <thead>
                      <tr><th>Time</th><th>Value</th><th>Where</th><th>Encodings</th><th>Confidence</th><th /></tr>
                    </thead>
                    <tbody>
                      {fs.slice(0, 50).map((f) => (
                        <tr key={f.id}>
                          <td className="num">{f.time ? formatClock(f.time, false) : '—'}</td>
                          <td className="mono">{f.value}</td>
                          <td><code>{f.where}</code></td>
                          <td>{f.encodings.length ? f.encodings.map((e, i) => <span key={i} className="chain-step">{e}</span>) : <span className="muted">plain</span>}</td>
                          <td><span className={`confidence conf-${f.confidence}`}>{f.confidence}</span></td>
                          <td>{f.flowId && <a href={routeHref('flows', { filter: `host:=${host}`, flow: f.flowId })}>flow →</a>}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {fs.length > 50 && <p className="muted small">… and {fs.length - 50} more: <a href={routeHref('flows', { filter: `host:=${host} kind:${g.kind}` })}>see the flows</a></p>}
                </details>
              ))}
            </section>
          ))}
        </div>
      )}
    </section>
  );
}
