// A view's title row with optional subtitle and tools on the right.
import type { ReactNode } from 'react';

export function PageHeader({ id, title, subtitle, children }: { id?: string; title: string; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1 id={id}>{title}</h1>
        {subtitle && <p className="subtitle">{subtitle}</p>}
      </div>
      {children && <div className="page-tools">{children}</div>}
    </header>
  );
}
