// Entry: mounts the dashboard and starts the live connection.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app.js';
import { dashboardStore } from './lib/dashboard-store.js';
import './styles.css';

dashboardStore.start();
// Read by the e2e tests and handy in the console: counts only, never captured content.
(window as unknown as { phonehome: { counts: () => unknown } }).phonehome = { counts: () => dashboardStore.counts() };

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
