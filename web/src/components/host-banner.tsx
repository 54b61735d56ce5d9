// Above the flow list when it shows one host: that host's facts and what it received.
import type { Finding, HostRow } from '../lib/api-types.js';
import { formatBytes, plural } from '../lib/format.js';
import { kindLabel, sortKinds } from '../lib/kinds.js';
import { CountryLabel } from './country-label.js';
import { Icon } from './icon.js';
import { KindBadge } from './kind-badge.js';

export function HostBanner({ host, findings }: { host: HostRow; findings: Finding[] }) {
  const alerts = findings.filter((f) => f.confidence !== 'low');
  const values = new Map<string, Set<string>>();
  for (const f of alerts) {
    if (!values.has(f.kind)) values.set(f.kind, new Set());
    values.get(f.kind)!.add(f.value);
  }
  return (
    <div className={host.plaintextKinds.length ? 'host-banner alarm' : 'host-banner'} aria-label={`Host ${host.host}`}>
      <div className="host-banner-main">
        <div className="host-banner-name">{host.host}</div>
        <div className="host-banner-facts">
          <CountryLabel code={host.country} name={host.countryName} />
          {host.serverIps.length > 0 && <span className="muted">{host.serverIps.join(', ')}</span>}
          <span>{plural(host.requests, 'request')}</span>
          <span>↑ {formatBytes(host.bytesUp)} ↓ {formatBytes(host.bytesDown)}</span>
          {host.plaintext ? <span className="pill pill-danger"><Icon name="unlock" size={11} /> Plain HTTP</span> : <span className="pill pill-ok"><Icon name="lock" size={11} /> TLS</span>}
          {host.likelyPinned && <span className="pill pill-warn">Likely pinned</span>}
        </div>
      </div>
      {values.size > 0 && (
        <ul className="host-banner-kinds">
          {sortKinds([...values.keys()]).map((kind) => (
            <li key={kind}>
              <KindBadge kind={kind} plaintext={host.plaintextKinds.includes(kind)} />
              <span className="mono small" title={`${kindLabel(kind)} values sent to ${host.host}`}>
                {[...values.get(kind)!].slice(0, 3).join(', ')}
                {values.get(kind)!.size > 3 ? ` +${values.get(kind)!.size - 3}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
