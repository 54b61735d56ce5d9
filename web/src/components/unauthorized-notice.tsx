// Shown when the token cookie is missing or stale (e.g. phonehome restarted with a new token).
import { EmptyState } from './empty-state.js';

export function UnauthorizedNotice() {
  return (
    <EmptyState icon="key" title="This dashboard needs its token">
      Open the dashboard link that <code>phonehome start</code> printed (it ends in <code>/?token=…</code>). The token is
      swapped for a cookie and removed from the address bar.
    </EmptyState>
  );
}
