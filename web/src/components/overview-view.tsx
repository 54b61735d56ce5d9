// The first screen: session clock, counts, alerts by kind, plaintext alarms and where data went.
import { useEffect, useMemo, useState } from 'react';
import { useDashboard } from '../lib/dashboard-store.js';
import { formatBytes, formatDuration, plural } from '../lib/format.js';
import { routeHref } from '../lib/hash-route.js';
import { kindLabel, kindTier, sortKinds } from '../lib/kinds.js';
import { CountryLabel } from './country-label.js';
import { EmptyState } from './empty-state.js';
import { KindBadge } from './kind-badge.js';
import { PageHeader } from './page-header.js';
import { SessionTimeline } from './session-timeline.js';

function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function OverviewView() {
  const state = useDashboard();
  const now = useNow(1000);
  const alerts = useMemo(() => state.findings.filter((f) => f.confidence !== 'low'), [state.findings]);

  const byKind = useMemo(() => {
    const m = new Map<string, { count: number; hosts: Set<string>; plaintext: number }>();
    for (const f of alerts) {
      const e = m.get(f.kind) ?? { count: 0, hosts: new Set<string>(), plaintext: 0 };
      e.count++;
      e.hosts.add(f.host);
      if (f.plaintext) e.plaintext++;
      m.set(f.kind, e);
    }
    return sortKinds([...m.keys()]).map((k) => ({ kind: k, ...m.get(k)! }));
  }, [alerts]);

  const plainAlarms = useMemo(() => {
    const m = new Map<string, Set<string>>();
    for (const f of alerts) if (f.plaintext) (m.get(f.host) ?? m.set(f.host, new Set()).get(f.host)!).add(f.kind);
    return [...m.entries()].map(([host, kinds]) => ({ host, kinds: sortKinds([...kinds]) }));
  }, [alerts]);

  const countries = useMemo(() => {
    const m = new Map<string, { code: string; name: string; hosts: number; bytesUp: number; withIds: number }>();
    for (const h of state.hosts) {
      const e = m.get(h.country) ?? { code: h.country, name: h.countryName, hosts: 0, bytesUp: 0, withIds: 0 };
      e.hosts++;
      e.bytesUp += h.bytesUp;
      if (h.kinds.length) e.withIds++;
      m.set(h.country, e);
    }
    return [...m.values()].sort((a, b) => b.withIds - a.withIds || b.bytesUp - a.bytesUp);
  }, [state.hosts]);

  const pinned = useMemo(() => {
    const causes = new Map<string, Map<string, number>>();
    for (const f of state.tlsFailures) {
      const m = causes.get(f.host) ?? causes.set(f.host, new Map()).get(f.host)!;
      m.set(f.cause, (m.get(f.cause) ?? 0) + 1);
    }
    return state.hosts
      .filter((h) => h.likelyPinned || h.tlsFailures > 0)
      .sort((a, b) => Number(b.likelyPinned) - Number(a.likelyPinned) || b.tlsFailures - a.tlsFailures)
      .map((h) => ({ host: h, causes: [...(causes.get(h.host) ?? new Map<string, number>()).entries()] }));
  }, [state.hosts, state.tlsFailures]);

  const session = state.session;
  const started = session?.createdAt;

  return (
    <section className="view overview" aria-labelledby="overview-title">
      <PageHeader id="overview-title" title="Overview" subtitle={session ? <>Session <strong>{session.name}</strong>{started ? ` · running ${formatDuration(now - started)}` : ''}</> : undefined} />
      <div className="stat-cards">
        <a className="stat-card" href={routeHref('flows')}><span className="stat-value">{state.total.toLocaleString()}</span><span className="stat-label">Flows</span></a>
        <a className="stat-card" href={routeHref('hosts')}><span className="stat-value">{state.hosts.length.toLocaleString()}</span><span className="stat-label">Hosts</span></a>
        <a className="stat-card" href={routeHref('setup')}><span className="stat-value">{state.devices.length.toLocaleString()}</span><span className="stat-label">Devices</span></a>
        <a className={alerts.length ? 'stat-card alert' : 'stat-card'} href={routeHref('findings')}><span className="stat-value">{alerts.length.toLocaleString()}</span><span className="stat-label">Alerts</span></a>
        <a className={plainAlarms.length ? 'stat-card danger' : 'stat-card'} href={routeHref('flows', { filter: 'plaintext kind:any' })}><span className="stat-value">{plainAlarms.length.toLocaleString()}</span><span className="stat-label">Hosts got identifiers in plain HTTP</span></a>
      </div>

      {state.total === 0 && !state.loading ? (
        <EmptyState icon="phone" title="Nothing captured yet" action={<a className="button primary" href={routeHref('setup')}>Set up a phone</a>}>
          Set the phone&apos;s Wi-Fi proxy to phonehome, install the CA certificate, then use the phone as usual.
        </EmptyState>
      ) : (
        <div className="overview-grid">
          {session && started !== undefined && (
            <div className="card card-wide">
              <h2>Timeline</h2>
              <SessionTimeline sessionId={session.id} startedAt={started} flows={state.flows} />
            </div>
          )}
          <div className="card card-wide">
            <h2>Alerts by kind</h2>
            {byKind.length === 0 ? (
              <p className="muted">No identifiers found so far. Load a device profile (<code>--profile</code>) to find the phone&apos;s own IMEI, number and contacts, even hashed.</p>
            ) : (
              <ul className="kind-bars">
                {byKind.map((k) => (
                  <li key={k.kind}>
                    <a href={routeHref('flows', { filter: `kind:${k.kind}` })} className="kind-bar-row">
                      <KindBadge kind={k.kind} />
                      <span className={`bar bar-${kindTier(k.kind)}`} aria-hidden="true"><span style={{ width: `${Math.max(4, (100 * k.count) / byKind.reduce((m, x) => Math.max(m, x.count), 1))}%` }} /></span>
                      <span className="num">{k.count}</span>
                      <span className="muted small">{plural(k.hosts.size, 'host')}{k.plaintext ? <span className="error"> · {k.plaintext} in plain HTTP</span> : ''}</span>
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className={plainAlarms.length ? 'card card-danger' : 'card'}>
            <h2>Plaintext alarms</h2>
            {plainAlarms.length === 0 ? (
              <p className="muted">No identifier travelled over plain HTTP.</p>
            ) : (
              <ul className="alarm-list">
                {plainAlarms.map((a) => (
                  <li key={a.host}>
                    <a href={routeHref('flows', { filter: `host:=${a.host} plaintext` })}>
                      <span className="mono">{a.host}</span>
                    </a>
                    <span className="muted"> received </span>
                    {a.kinds.map((k) => kindLabel(k)).join(', ')}
                    <span className="muted"> unencrypted</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="card">
            <h2>TLS failures and likely pinning</h2>
            {pinned.length === 0 ? (
              <p className="muted">The phone accepted phonehome&apos;s certificate everywhere so far. Apps that pin their server&apos;s key refuse it; they show here.</p>
            ) : (
              <ul className="alarm-list" data-testid="tls-failures">
                {pinned.map(({ host, causes }) => (
                  <li key={host.host}>
                    <a href={routeHref('flows', { filter: `host:=${host.host}` })}>
                      <span className="mono">{host.host}</span>
                    </a>{' '}
                    {host.likelyPinned && <span className="pill pill-warn">likely pinned</span>}{' '}
                    <span className="muted small">
                      {plural(host.tlsFailures, 'failed handshake')}
                      {causes.length > 0 && ` · ${causes.map(([c, n]) => `${c} ×${n}`).join(', ')}`}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="card card-wide">
            <h2>Countries data went to</h2>
            {countries.length === 0 ? (
              <p className="muted">No hosts yet.</p>
            ) : (
              <table className="mini-table">
                <thead>
                  <tr><th>Country</th><th className="num">Hosts</th><th className="num">Got identifiers</th><th className="num">Sent</th></tr>
                </thead>
                <tbody>
                  {countries.map((c) => (
                    <tr key={c.code}>
                      <td><CountryLabel code={c.code} name={c.name} /></td>
                      <td className="num">{c.hosts}</td>
                      <td className={c.withIds ? 'num strong' : 'num muted'}>{c.withIds}</td>
                      <td className="num">{formatBytes(c.bytesUp)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
