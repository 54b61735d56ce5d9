// The headline view: one row per destination host — where data went, how much, which identifiers, encrypted or
// not, and whether the phone refused our certificate there. Sortable; a row opens that host's flows.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { HostRow } from '../lib/api-types.js';
import { useDashboard } from '../lib/dashboard-store.js';
import { formatAgo, formatBytes, formatClock, plural } from '../lib/format.js';
import { navigate, routeHref } from '../lib/hash-route.js';
import { kindRank } from '../lib/kinds.js';
import { isTyping, useGridKeys } from '../lib/use-grid-keys.js';
import { CountryLabel } from './country-label.js';
import { EmptyState } from './empty-state.js';
import { Icon } from './icon.js';
import { KindBadges } from './kind-badge.js';
import { PageHeader } from './page-header.js';

type SortKey = 'host' | 'country' | 'requests' | 'bytesUp' | 'bytesDown' | 'kinds' | 'transport' | 'tls' | 'firstSeen' | 'lastSeen';

/** Risk: plaintext identifiers, then identifier severity and count. */
function riskScore(h: HostRow): number {
  const worst = h.kinds.length ? Math.min(...h.kinds.map(kindRank)) : 99;
  return h.plaintextKinds.length * 1000 + h.kinds.length * 100 + (99 - worst);
}

const COMPARE: Record<SortKey, (a: HostRow, b: HostRow) => number> = {
  host: (a, b) => a.host.localeCompare(b.host),
  country: (a, b) => a.countryName.localeCompare(b.countryName),
  requests: (a, b) => a.requests + a.tunnels - (b.requests + b.tunnels),
  bytesUp: (a, b) => a.bytesUp - b.bytesUp,
  bytesDown: (a, b) => a.bytesDown - b.bytesDown,
  kinds: (a, b) => riskScore(a) - riskScore(b),
  transport: (a, b) => Number(a.plaintext) - Number(b.plaintext),
  tls: (a, b) => a.tlsFailures + (a.likelyPinned ? 1000 : 0) - (b.tlsFailures + (b.likelyPinned ? 1000 : 0)),
  firstSeen: (a, b) => a.firstSeen - b.firstSeen,
  lastSeen: (a, b) => a.lastSeen - b.lastSeen,
};

const COLUMNS: { key: SortKey; label: string; numeric?: boolean; title?: string }[] = [
  { key: 'host', label: 'Host' },
  { key: 'country', label: 'Country', title: 'Country of the server address the proxy connected to (offline GeoIP)' },
  { key: 'requests', label: 'Requests', numeric: true },
  { key: 'bytesUp', label: 'Sent / recv.', numeric: true, title: 'Bytes the phone sent (↑, request bodies) and received (↓); sorts by sent' },
  { key: 'kinds', label: 'Identifiers sent', title: 'Identifier kinds found in what the phone sent (open lock = over plain HTTP)' },
  { key: 'transport', label: 'Transport' },
  { key: 'tls', label: 'TLS fail.', numeric: true, title: 'Handshakes the phone refused; "likely pinned" when it rejected our certificate' },
  { key: 'lastSeen', label: 'Seen', numeric: true, title: 'First seen (small) and last seen; sorts by last seen' },
];

export function HostsView({ params }: { params: URLSearchParams }) {
  const { hosts, loading } = useDashboard();
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: (params.get('sort') as SortKey) || 'kinds', desc: params.get('dir') !== 'asc' });
  const [text, setText] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);

  // "/" filters the hosts; Esc in the box clears it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !isTyping(e.target)) {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'Escape' && e.target === searchRef.current) {
        setText('');
        searchRef.current?.blur();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const filtered = needle ? hosts.filter((h) => h.host.toLowerCase().includes(needle) || h.countryName.toLowerCase().includes(needle) || h.kinds.some((k) => k.includes(needle))) : hosts;
    const compare = COMPARE[sort.key];
    return [...filtered].sort((a, b) => {
      const c = compare(a, b) || b.lastSeen - a.lastSeen || a.host.localeCompare(b.host);
      return sort.desc ? -c : c;
    });
  }, [hosts, sort, text]);

  const open = (h: HostRow) => navigate('flows', { filter: `host:=${h.host}` });
  const grid = useGridKeys(rows.length, (i) => {
    const row = rows[i];
    if (row) open(row);
  });

  const withIds = hosts.filter((h) => h.kinds.length > 0).length;
  const plain = hosts.filter((h) => h.plaintextKinds.length > 0).length;

  return (
    <section className="view" aria-labelledby="hosts-title">
      <PageHeader
        id="hosts-title"
        title="Hosts"
        subtitle={hosts.length ? `${plural(hosts.length, 'host')} · ${withIds} received identifiers · ${plain} got them over plain HTTP` : undefined}
      >
        <input ref={searchRef} className="search" type="search" placeholder="Filter hosts…  ( / )" aria-label="Filter hosts" value={text} onChange={(e) => setText(e.target.value)} />
      </PageHeader>
      {hosts.length === 0 ? (
        loading ? (
          <EmptyState title="Loading hosts…" />
        ) : (
          <EmptyState icon="radar" title="No traffic yet" action={<a className="button primary" href={routeHref('setup')}>Set up a phone</a>}>
            Point the phone&apos;s Wi-Fi proxy at phonehome and install its certificate; every host the phone talks to shows
            up here with what it was sent.
          </EmptyState>
        )
      ) : (
        <div className="table-wrap">
          <table className="grid hosts-grid" role="grid" aria-label="Hosts" aria-rowcount={rows.length + 1} {...grid.tableProps}>
            <thead>
              <tr role="row">
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    role="columnheader"
                    scope="col"
                    className={c.numeric ? 'num' : undefined}
                    aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                    title={c.title}
                  >
                    <button type="button" className="sort-button" onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.key !== 'host' && c.key !== 'country' }))}>
                      {c.label}
                      <span className="sort-arrow" aria-hidden="true">{sort.key === c.key ? (sort.desc ? '▼' : '▲') : ''}</span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((h, i) => (
                <tr
                  key={h.host}
                  role="row"
                  aria-rowindex={i + 2}
                  aria-selected={grid.active === i}
                  className={`${grid.active === i ? 'active ' : ''}${h.plaintextKinds.length ? 'row-alarm' : ''}`}
                  onClick={() => open(h)}
                  onMouseDown={() => grid.setActive(i)}
                  data-host={h.host}
                >
                  <td role="gridcell" className="host-cell">
                    <a href={routeHref('flows', { filter: `host:=${h.host}` })} onClick={(e) => e.stopPropagation()} className="host-link">
                      {h.host}
                    </a>
                    {h.devices.length > 1 && <span className="muted small"> · {h.devices.length} devices</span>}
                  </td>
                  <td role="gridcell"><CountryLabel code={h.country} name={h.countryName} /></td>
                  <td role="gridcell" className="num">
                    {h.requests.toLocaleString()}
                    {h.tunnels > 0 && <span className="muted small" title="TLS connections passed through undecrypted"> +{h.tunnels} ⇄</span>}
                  </td>
                  <td role="gridcell" className="num bytes-cell">
                    <span title="sent by the phone">↑ {formatBytes(h.bytesUp)}</span>
                    <span className="muted small" title="received by the phone">↓ {formatBytes(h.bytesDown)}</span>
                  </td>
                  <td role="gridcell"><KindBadges kinds={h.kinds} plaintextKinds={h.plaintextKinds} /></td>
                  <td role="gridcell">
                    {h.plaintext ? (
                      <span className="pill pill-danger"><Icon name="unlock" size={11} /> Plain HTTP</span>
                    ) : h.requests > 0 ? (
                      <span className="pill pill-ok"><Icon name="lock" size={11} /> TLS</span>
                    ) : h.tunnels > 0 ? (
                      <span className="pill" title="TLS passed through undecrypted"><Icon name="tunnel" size={11} /> Passed through</span>
                    ) : (
                      <span className="pill pill-warn" title="Every TLS handshake with this host failed: nothing was decrypted">Handshake failed</span>
                    )}
                  </td>
                  <td role="gridcell" className="num">
                    {h.likelyPinned && <span className="pill pill-warn" title="The phone refused our certificate: the app likely pins its server's key">Likely pinned</span>}
                    {h.tlsFailures > 0 ? <span> {h.tlsFailures}</span> : !h.likelyPinned && <span className="muted">—</span>}
                  </td>
                  <td role="gridcell" className="num seen-cell" title={`first seen ${new Date(h.firstSeen).toLocaleString()}, last seen ${new Date(h.lastSeen).toLocaleString()}`}>
                    <span className="muted small">since {formatClock(h.firstSeen, false)}</span>
                    <span>{formatAgo(h.lastSeen)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 && <p className="muted pad">No host matches “{text}”.</p>}
        </div>
      )}
    </section>
  );
}
