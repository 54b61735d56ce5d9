// The shell: sidebar navigation, a status strip, and the view the hash names.
import { useEffect } from 'react';
import { useDashboard } from '../lib/dashboard-store.js';
import { useRoute } from '../lib/hash-route.js';
import { CaptureAlert } from './capture-alert.js';
import { FindingsView } from './findings-view.js';
import { FlowsView } from './flows-view.js';
import { HostsView } from './hosts-view.js';
import { NavSidebar } from './nav-sidebar.js';
import { OverviewView } from './overview-view.js';
import { SessionsView } from './sessions-view.js';
import { SetupView } from './setup-view.js';
import { UnauthorizedNotice } from './unauthorized-notice.js';

const TITLES = { overview: 'Overview', hosts: 'Hosts', flows: 'Flows', findings: 'Findings', setup: 'Set up a phone', sessions: 'Sessions' } as const;

export function App() {
  const route = useRoute();
  const state = useDashboard();

  useEffect(() => {
    document.title = `${TITLES[route.view]} · phonehome`;
  }, [route.view]);

  return (
    <div className="shell">
      <NavSidebar view={route.view} />
      <main className="main" id="main">
        {state.link !== 'unauthorized' && <CaptureAlert />}
        {state.link === 'unauthorized' ? (
          <UnauthorizedNotice />
        ) : route.view === 'overview' ? (
          <OverviewView />
        ) : route.view === 'hosts' ? (
          <HostsView params={route.params} />
        ) : route.view === 'flows' ? (
          <FlowsView params={route.params} />
        ) : route.view === 'findings' ? (
          <FindingsView />
        ) : route.view === 'setup' ? (
          <SetupView />
        ) : (
          <SessionsView />
        )}
      </main>
    </div>
  );
}
