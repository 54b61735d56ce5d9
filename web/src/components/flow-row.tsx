// One row of the virtualized flow list.
import { memo } from 'react';
import type { FlowSummary } from '../lib/api-types.js';
import { formatBytes, formatClock } from '../lib/format.js';
import { sortKinds } from '../lib/kinds.js';
import { KindBadge } from './kind-badge.js';
import { TransportIcon } from './transport-icon.js';

export const ROW_HEIGHT = 32;

export const FLOW_COLUMNS = [
  { key: 'time', label: 'Time' },
  { key: 'device', label: 'Device' },
  { key: 'method', label: 'Method' },
  { key: 'tls', label: '' },
  { key: 'host', label: 'Host' },
  { key: 'path', label: 'Path' },
  { key: 'status', label: 'Status' },
  { key: 'size', label: 'Size' },
  { key: 'findings', label: 'Identifiers' },
] as const;

function statusClass(f: FlowSummary): string {
  if (f.error) return 'status-error';
  if (f.status === undefined) return 'muted';
  if (f.status >= 500) return 'status-error';
  if (f.status >= 400) return 'status-warn';
  if (f.status >= 300) return 'status-redirect';
  return 'status-ok';
}

export const FlowRow = memo(function FlowRow({ flow, index, top, selected, onSelect }: { flow: FlowSummary; index: number; top: number; selected: boolean; onSelect: () => void }) {
  const kinds = sortKinds(flow.findingKinds);
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`flow-row${selected ? ' selected' : ''}${flow.findingKinds.length ? ' has-findings' : ''}${flow.scheme === 'http' && flow.findingKinds.length ? ' plain-alarm' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={onSelect}
      data-flow-id={flow.id}
    >
      <div role="gridcell" className="fc fc-time">{formatClock(flow.startedAt)}</div>
      <div role="gridcell" className="fc fc-device" title={flow.device}>{flow.device}</div>
      <div role="gridcell" className={`fc fc-method method-${flow.method.toLowerCase()}`}>{flow.kind === 'tunnel' ? 'TUNNEL' : flow.method}</div>
      <div role="gridcell" className="fc fc-tls"><TransportIcon scheme={flow.scheme} tunnel={flow.kind === 'tunnel'} /></div>
      <div role="gridcell" className="fc fc-host" title={flow.host}>{flow.host}</div>
      <div role="gridcell" className="fc fc-path" title={flow.path}>{flow.kind === 'tunnel' ? <span className="muted">passed through</span> : flow.path}</div>
      <div role="gridcell" className={`fc fc-status ${statusClass(flow)}`} title={flow.error}>{flow.error ? '✕' : (flow.status ?? '…')}</div>
      <div role="gridcell" className="fc fc-size" title={`↑ ${flow.requestSize} B  ↓ ${flow.responseSize} B`}>{formatBytes(flow.responseSize + flow.requestSize)}</div>
      <div role="gridcell" className="fc fc-findings">
        {kinds.slice(0, 2).map((k) => (
          <KindBadge key={k} kind={k} plaintext={flow.scheme === 'http'} />
        ))}
        {kinds.length > 2 && <span className="badge badge-more" title={kinds.slice(2).join(', ')}>+{kinds.length - 2}</span>}
      </div>
    </div>
  );
});
