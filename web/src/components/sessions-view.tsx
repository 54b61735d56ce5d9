// Sessions: start a new one (POST /api/sessions), see the earlier ones, open one to look back.
import { useState, type FormEvent } from 'react';
import { dashboardStore, useDashboard } from '../lib/dashboard-store.js';
import { formatDateTime, formatDuration } from '../lib/format.js';
import { CaptureControls } from './capture-controls.js';
import { EmptyState } from './empty-state.js';
import { ExportMenu } from './export-menu.js';
import { HarImport } from './har-import.js';
import { SessionDiffView } from './session-diff-view.js';
import { PageHeader } from './page-header.js';

export function SessionsView() {
  const { sessions, session: shown } = useDashboard();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await dashboardStore.newSession(name.trim());
      setName('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const sorted = [...sessions].sort((a, b) => b.createdAt - a.createdAt);
  return (
    <section className="view" aria-labelledby="sessions-title">
      <PageHeader id="sessions-title" title="Sessions" subtitle="One session per test run: start a new one before a factory reset, an opt-out, a new app version…" />
      <CaptureControls sessionId={shown?.id} live={shown?.current ?? true} />
      <form className="card new-session" onSubmit={(e) => void submit(e)}>
        <label htmlFor="session-name">New session</label>
        <input id="session-name" type="text" maxLength={200} placeholder="e.g. after factory reset" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Starting…' : 'Start new session'}
        </button>
        {error && <span className="error small" role="alert">{error}</span>}
      </form>
      <HarImport />
      {sorted.length === 0 ? (
        <EmptyState title="No sessions yet" />
      ) : (
        <table className="grid sessions-grid" role="grid" aria-label="Sessions">
          <thead>
            <tr role="row">
              <th role="columnheader">Name</th>
              <th role="columnheader">Started</th>
              <th role="columnheader" className="num">Length</th>
              <th role="columnheader" className="num">Flows</th>
              <th role="columnheader" className="num">Findings</th>
              <th role="columnheader" />
            </tr>
          </thead>
          <tbody>
            {sorted.map((s) => (
              <tr key={s.id} role="row" className={s.id === shown?.id ? 'active' : undefined} data-session={s.name}>
                <td role="gridcell">
                  <strong>{s.name}</strong> {s.current && <span className="pill pill-ok">recording</span>}
                  <div className="muted small mono">{s.id}</div>
                </td>
                <td role="gridcell">{formatDateTime(s.createdAt)}</td>
                <td role="gridcell" className="num">{s.endedAt ? formatDuration(s.endedAt - s.createdAt) : s.current ? '—' : ''}</td>
                <td role="gridcell" className="num">{s.flowCount.toLocaleString()}</td>
                <td role="gridcell" className="num">{s.findingCount.toLocaleString()}</td>
                <td role="gridcell" className="num">
                  {s.id === shown?.id ? (
                    <span className="muted small">on screen</span>
                  ) : (
                    <button type="button" className="button small" onClick={() => void dashboardStore.openSession(s.id)}>
                      Open
                    </button>
                  )}
                  <a className="button small" href={`api/sessions/${encodeURIComponent(s.id)}/export?format=har`} download>
                    HAR
                  </a>
                  <ExportMenu sessionId={s.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SessionDiffView sessions={sessions} />
    </section>
  );
}
