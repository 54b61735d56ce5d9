// The session's other exports: the HTML report (the evidence to hand on), lossless JSON, CSV of findings, and
// redacted copies of each (every identifier masked but its last 4 characters).
export function ExportMenu({ sessionId }: { sessionId: string }) {
  const href = (format: string, redact: boolean) => `api/sessions/${encodeURIComponent(sessionId)}/export?format=${format}${redact ? '&redact=1' : ''}`;
  return (
    <details className="export-menu">
      <summary className="button small">More…</summary>
      <div className="export-menu-items" role="menu">
        {(['html', 'json', 'csv', 'har'] as const).map((format) => (
          <span key={format} className="export-menu-row">
            <a role="menuitem" href={href(format, false)} download>
              {format === 'html' ? 'HTML report' : format.toUpperCase()}
            </a>
            <a role="menuitem" className="muted" href={href(format, true)} download>
              redacted
            </a>
          </span>
        ))}
      </div>
    </details>
  );
}
