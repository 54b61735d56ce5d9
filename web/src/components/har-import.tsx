// Upload a HAR from any tool (Chrome, Firefox, Safari, Charles, mitmproxy, HTTP Toolkit, phonehome): it becomes a
// session of its own, analysed with the current profiles, and opens on screen.
import { useState, type ChangeEvent } from 'react';
import { api } from '../lib/api-client.js';
import { dashboardStore } from '../lib/dashboard-store.js';

export function HarImport() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>();

  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setBusy(true);
    setMessage(undefined);
    try {
      const result = await api.importHar(file, `import of ${file.name}`);
      setMessage({ text: `Imported ${result.entries} entries (${result.findings} findings) from ${file.name}.`, error: false });
      await dashboardStore.openSession(result.sessionId);
    } catch (err) {
      setMessage({ text: (err as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="capture-row har-import">
      <label className="button" aria-disabled={busy}>
        {busy ? 'Importing…' : 'Import a HAR file…'}
        <input type="file" accept=".har,application/json" hidden disabled={busy} aria-label="HAR file to import" onChange={(e) => void upload(e)} />
      </label>
      <span className="muted small">from Chrome, Firefox, Safari, Charles, mitmproxy, HTTP Toolkit or phonehome</span>
      {message && (
        <span className={message.error ? 'error small' : 'small'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </span>
      )}
    </div>
  );
}
