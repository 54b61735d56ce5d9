// Left navigation with live counts and the connection state.
import { dashboardStore, useDashboard } from '../lib/dashboard-store.js';
import { routeHref, type ViewName } from '../lib/hash-route.js';
import { LinkIndicator } from './link-indicator.js';

const ITEMS: { view: ViewName; label: string; icon: string }[] = [
  { view: 'overview', label: 'Overview', icon: '◎' },
  { view: 'hosts', label: 'Hosts', icon: '⌂' },
  { view: 'flows', label: 'Flows', icon: '⇅' },
  { view: 'findings', label: 'Findings', icon: '⚑' },
  { view: 'setup', label: 'Setup', icon: '⚙' },
  { view: 'sessions', label: 'Sessions', icon: '◷' },
];

export function NavSidebar({ view }: { view: ViewName }) {
  const state = useDashboard();
  const alerts = state.findings.filter((f) => f.confidence !== 'low').length;
  const count: Partial<Record<ViewName, number>> = { hosts: state.hosts.length, flows: state.flows.length, findings: alerts };
  return (
    <nav className="sidebar" aria-label="Views">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">◉</span>
        <span className="brand-name">phonehome</span>
      </div>
      <div className="session-chip" title={state.session ? `Session ${state.session.id}` : undefined}>
        <span className="muted small">Session</span>
        <span className="session-name">{state.session?.name ?? '…'}</span>
        {state.session && !state.session.current && (
          <span className="tag">
            archived ·{' '}
            <button type="button" className="link-button back-live" onClick={() => void dashboardStore.openCurrent()}>
              back to the live session
            </button>
          </span>
        )}
      </div>
      <ul className="nav-list">
        {ITEMS.map((item) => (
          <li key={item.view}>
            <a href={routeHref(item.view)} className={item.view === view ? 'nav-item active' : 'nav-item'} aria-current={item.view === view ? 'page' : undefined} data-view={item.view}>
              <span className="nav-icon" aria-hidden="true">{item.icon}</span>
              <span className="nav-label">{item.label}</span>
              {count[item.view] !== undefined && count[item.view]! > 0 && (
                <span className={item.view === 'findings' ? 'nav-count alert' : 'nav-count'}>{count[item.view]!.toLocaleString()}</span>
              )}
            </a>
          </li>
        ))}
      </ul>
      <div className="sidebar-foot">
        <LinkIndicator />
      </div>
    </nav>
  );
}
