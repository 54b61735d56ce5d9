// A friendly placeholder that says what to do next.
import type { ReactNode } from 'react';
import { Icon, type IconName } from './icon.js';

export function EmptyState({ icon, title, children, action }: { icon?: IconName; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      {icon && <div className="empty-icon"><Icon name={icon} size={28} /></div>}
      <h2>{title}</h2>
      {children && <p>{children}</p>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}
