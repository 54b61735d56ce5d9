// A device's label, editable in place: the tester names the phone once and every view shows the name.
import { useState, type FormEvent } from 'react';
import { dashboardStore } from '../lib/dashboard-store.js';

export function DeviceLabel({ address, label }: { address: string; label: string | undefined }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(label ?? '');
  const [error, setError] = useState<string | undefined>();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await dashboardStore.labelDevice(address, text.trim());
      setEditing(false);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (!editing) {
    return (
      <>
        {label && <span className="muted"> · {label}</span>}
        <button type="button" className="button small link-button" onClick={() => setEditing(true)} aria-label={`Label device ${address}`}>
          {label ? 'rename' : 'name it'}
        </button>
      </>
    );
  }
  return (
    <form className="device-label-form" onSubmit={(e) => void save(e)}>
      <input type="text" maxLength={100} autoFocus value={text} placeholder="e.g. Redmi 1S test unit" aria-label={`Label for ${address}`} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="button small primary" disabled={text.trim() === ''}>
        Save
      </button>
      <button type="button" className="button small" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error && <span className="error small" role="alert">{error}</span>}
    </form>
  );
}
