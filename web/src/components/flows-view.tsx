// The live flow list: virtualized (a session of 20,000 flows renders ~40 rows), filterable with a small syntax,
// pausable, following the tail while the user is at the bottom. j/k move, Enter or click opens the detail,
// "/" focuses the filter, Esc closes the detail or clears the filter.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FlowSummary } from '../lib/api-types.js';
import { dashboardStore, useDashboard } from '../lib/dashboard-store.js';
import { parseFilter } from '../lib/flow-filter.js';
import { plural } from '../lib/format.js';
import { navigate, routeHref } from '../lib/hash-route.js';
import { isTyping } from '../lib/use-grid-keys.js';
import { EmptyState } from './empty-state.js';
import { FilterHelp } from './filter-help.js';
import { FlowDetail } from './flow-detail.js';
import { FlowRow, FLOW_COLUMNS, ROW_HEIGHT } from './flow-row.js';
import { HostBanner } from './host-banner.js';

export function FlowsView({ params }: { params: URLSearchParams }) {
  const state = useDashboard();
  const filterText = params.get('filter') ?? '';
  const selectedId = params.get('flow') ?? undefined;
  const [draft, setDraft] = useState(filterText);
  const [follow, setFollow] = useState(true);
  const [showHelp, setShowHelp] = useState(false);
  const filterRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => setDraft(filterText), [filterText]);

  const parsed = useMemo(() => parseFilter(filterText), [filterText]);
  const rows = useMemo(() => (parsed.empty ? state.flows : state.flows.filter(parsed.predicate)), [state.flows, parsed]);

  const setParams = useCallback(
    (patch: { filter?: string; flow?: string | undefined }, replace = true) => {
      navigate('flows', { filter: 'filter' in patch ? patch.filter : filterText, flow: 'flow' in patch ? patch.flow : selectedId }, replace);
    },
    [filterText, selectedId],
  );

  // Typing filters after a short pause; the URL keeps the filter so Back and reload keep it.
  useEffect(() => {
    if (draft === filterText) return;
    const t = setTimeout(() => setParams({ filter: draft }), 150);
    return () => clearTimeout(t);
  }, [draft, filterText, setParams]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // Follow the tail: new rows scroll into view while following.
  useEffect(() => {
    if (follow && rows.length > 0 && !selectedId) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [rows.length, follow, selectedId, virtualizer]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 1.5;
    if (atBottom !== follow) setFollow(atBottom);
  };

  const selectedIndex = useMemo(() => (selectedId ? rows.findIndex((f) => f.id === selectedId) : -1), [rows, selectedId]);
  const select = useCallback(
    (flow: FlowSummary | undefined) => {
      setParams({ flow: flow?.id }, true);
    },
    [setParams],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape') {
        if (document.activeElement === filterRef.current) {
          if (draft) setDraft('');
          filterRef.current?.blur();
        } else if (selectedId) select(undefined);
        else if (filterText) setParams({ filter: '' });
        return;
      }
      if (isTyping(e.target)) return;
      if (e.key === '/') {
        e.preventDefault();
        filterRef.current?.focus();
        filterRef.current?.select();
      } else if (e.key === 'j' || e.key === 'ArrowDown' || e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (rows.length === 0) return;
        const down = e.key === 'j' || e.key === 'ArrowDown';
        const from = selectedIndex < 0 ? (down ? -1 : rows.length) : selectedIndex;
        const next = Math.max(0, Math.min(rows.length - 1, from + (down ? 1 : -1)));
        select(rows[next]);
        virtualizer.scrollToIndex(next, { align: 'auto' });
      } else if (e.key === 'G' || e.key === 'End') {
        setFollow(true);
        select(undefined);
      } else if (e.key === ' ' && e.shiftKey === false && document.activeElement === document.body) {
        e.preventDefault();
        dashboardStore.setPaused(!state.paused);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [draft, filterText, rows, selectedId, selectedIndex, select, setParams, state.paused, virtualizer]);

  // Suggestions for the filter box: hosts and the identifier kinds seen in this session.
  const suggestions = useMemo(() => {
    const kinds = new Set(state.findings.map((f) => f.kind));
    return [...state.hosts.map((h) => `host:=${h.host}`), ...[...kinds].map((k) => `kind:${k}`), 'plaintext', 'kind:any', 'status:error', 'method:POST'];
  }, [state.hosts, state.findings]);

  const hostFilter = /^host:=(\S+)$/.exec(filterText.trim())?.[1];
  const hostRow = hostFilter ? state.hosts.find((h) => h.host === hostFilter) : undefined;

  return (
    <section className={selectedId ? 'view flows-view with-detail' : 'view flows-view'} aria-label="Flows">
      <div className="flows-pane">
        <div className="toolbar">
          <div className="filter-box">
            <span className="filter-icon" aria-hidden="true">⌕</span>
            <input
              ref={filterRef}
              className="filter-input"
              type="text"
              spellCheck={false}
              autoComplete="off"
              placeholder="Filter: host:example.cn kind:imei method:POST status:4xx plaintext …   ( / )"
              aria-label="Filter flows"
              aria-describedby="filter-status"
              list="filter-suggestions"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') setParams({ filter: draft });
              }}
            />
            {draft && (
              <button type="button" className="icon-button" aria-label="Clear filter" onClick={() => { setDraft(''); setParams({ filter: '' }); }}>
                ✕
              </button>
            )}
            <button type="button" className="icon-button" aria-label="Filter syntax" aria-expanded={showHelp} onClick={() => setShowHelp((v) => !v)}>
              ?
            </button>
          </div>
          <button type="button" className={state.paused ? 'button warn' : 'button'} aria-pressed={state.paused} title="Freeze the list (capture goes on); Space" onClick={() => dashboardStore.setPaused(!state.paused)}>
            {state.paused ? `▶ Resume${state.pendingWhilePaused ? ` (${state.pendingWhilePaused} new)` : ''}` : '❚❚ Pause'}
          </button>
          <button
            type="button"
            className={follow ? 'button active' : 'button'}
            aria-pressed={follow}
            title="Keep the newest flow in view"
            onClick={() => {
              setFollow(true);
              if (rows.length) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
            }}
          >
            ⤓ Follow
          </button>
          <span id="filter-status" className="muted small count-label" aria-live="polite">
            {parsed.empty ? plural(state.flows.length, 'flow') : `${rows.length.toLocaleString()} of ${plural(state.flows.length, 'flow')}`}
          </span>
        </div>
        <datalist id="filter-suggestions">
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        {parsed.problems.length > 0 && (
          <div className="filter-problems" role="alert">
            {parsed.problems.join(' · ')}
          </div>
        )}
        {showHelp && <FilterHelp onPick={(t) => { setDraft(t); setParams({ filter: t }); }} />}
        {hostRow && <HostBanner host={hostRow} findings={state.findings.filter((f) => f.host === hostRow.host)} />}

        <div className="flow-grid" role="grid" aria-label="Flows" aria-rowcount={rows.length + 1} aria-colcount={FLOW_COLUMNS.length}>
          <div className="flow-head" role="row" aria-rowindex={1}>
            {FLOW_COLUMNS.map((c) => (
              <div key={c.key} role="columnheader" className={`fc fc-${c.key}`}>
                {c.label}
              </div>
            ))}
          </div>
          <div className="flow-scroll" ref={scrollRef} onScroll={onScroll} data-testid="flow-scroll">
            {rows.length === 0 ? (
              state.flows.length === 0 ? (
                state.loading ? (
                  <EmptyState title="Loading flows…" />
                ) : (
                  <EmptyState icon="phone" title="Waiting for the phone’s first request" action={<a className="button primary" href={routeHref('setup')}>Set up a phone</a>}>
                    Set the phone&apos;s Wi-Fi proxy to this computer and open any app: requests appear here as they happen.
                  </EmptyState>
                )
              ) : (
                <EmptyState icon="search" title="No flow matches this filter" action={<button type="button" className="button" onClick={() => setParams({ filter: '' })}>Clear the filter</button>}>
                  {plural(state.flows.length, 'flow')} hidden by <code>{filterText}</code>.
                </EmptyState>
              )
            ) : (
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {virtualizer.getVirtualItems().map((item) => {
                  const flow = rows[item.index]!;
                  return (
                    <FlowRow
                      key={flow.id}
                      flow={flow}
                      index={item.index}
                      top={item.start}
                      selected={flow.id === selectedId}
                      onSelect={() => select(flow)}
                    />
                  );
                })}
              </div>
            )}
          </div>
        </div>
      </div>
      {selectedId && <FlowDetail id={selectedId} onClose={() => select(undefined)} />}
    </section>
  );
}
