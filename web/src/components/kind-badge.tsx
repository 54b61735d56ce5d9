// A finding kind as a coloured badge (red: phone or person identifiers, amber: device/account, blue: other).
import { Icon } from './icon.js';
import { kindLabel, kindTier, sortKinds } from '../lib/kinds.js';

export function KindBadge({ kind, plaintext, count }: { kind: string; plaintext?: boolean; count?: number }) {
  return (
    <span className={`badge badge-${kindTier(kind)}${plaintext ? ' badge-plain' : ''}`} data-kind={kind} title={plaintext ? `${kindLabel(kind)} — sent unencrypted` : kindLabel(kind)}>
      {plaintext && <Icon name="unlock" size={10} label="unencrypted" />}
      {kindLabel(kind)}
      {count !== undefined && count > 1 && <span className="badge-count">×{count}</span>}
    </span>
  );
}

export function KindBadges({ kinds, plaintextKinds = [], max = 6 }: { kinds: readonly string[]; plaintextKinds?: readonly string[]; max?: number }) {
  if (kinds.length === 0) return <span className="muted">—</span>;
  const sorted = sortKinds(kinds);
  const shown = sorted.slice(0, max);
  return (
    <span className="badges">
      {shown.map((k) => (
        <KindBadge key={k} kind={k} plaintext={plaintextKinds.includes(k)} />
      ))}
      {sorted.length > max && <span className="badge badge-more">+{sorted.length - max}</span>}
    </span>
  );
}
