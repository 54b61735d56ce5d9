// Live / polling / offline dot at the bottom of the sidebar.
import { useDashboard } from '../lib/dashboard-store.js';

const TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Updating every 2 s',
  unauthorized: 'Token needed',
  offline: 'phonehome is not reachable',
} as const;

export function LinkIndicator() {
  const { link, paused, lastLiveAt } = useDashboard();
  const text = link === 'live' && lastLiveAt === undefined ? 'Connected' : TEXT[link];
  return (
    <div className={`link-indicator link-${paused ? 'paused' : link}`} role="status" aria-live="polite" data-link={link}>
      <span className="dot" aria-hidden="true" />
      {paused ? 'View paused' : text}
    </div>
  );
}
