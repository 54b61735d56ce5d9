// Capture controls beside the sessions: pause and resume recording (the phone stays online either way) and
// timestamped markers ("factory reset done", "opted out of cloud messaging") listed on the session's timeline.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api-client.js';
import { formatDateTime } from '../lib/format.js';

interface Marker {
  time: number;
  text: string;
}

export function CaptureControls({ sessionId, live }: { sessionId: string | undefined; live: boolean }) {
  const [paused, setPaused] = useState<boolean | undefined>();
  const [markers, setMarkers] = useState<Marker[]>([]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();

  const loadMarkers = useCallback(async () => {
    const events = await api.events(sessionId);
    setMarkers(events.filter((e) => e.type === 'marker' && typeof e.text === 'string').map((e) => ({ time: e.time, text: String(e.text) })));
  }, [sessionId]);

  useEffect(() => {
    api.capture().then((c) => setPaused(c.paused), () => setPaused(undefined));
    loadMarkers().catch(() => undefined);
  }, [loadMarkers]);

  const toggle = async () => {
    setError(undefined);
    try {
      setPaused((await api.setCapture(!paused)).paused);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const addMarker = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.addMarker(text.trim());
      setText('');
      await loadMarkers();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <div className="card capture-controls" aria-label="Capture">
      <div className="capture-row">
        <span>
          Recording is <strong data-testid="capture-state">{paused === undefined ? '…' : paused ? 'paused' : 'on'}</strong>
          <span className="muted small"> · the phone stays online either way</span>
        </span>
        <button type="button" className="button" onClick={() => void toggle()} disabled={paused === undefined}>
          {paused ? 'Resume recording' : 'Pause recording'}
        </button>
      </div>
      {live && (
        <form className="capture-row" onSubmit={(e) => void addMarker(e)}>
          <label htmlFor="marker-text">Marker</label>
          <input id="marker-text" type="text" maxLength={500} placeholder="e.g. factory reset done" value={text} onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="button" disabled={text.trim() === ''}>
            Add marker
          </button>
        </form>
      )}
      {error && <span className="error small" role="alert">{error}</span>}
      {markers.length > 0 && (
        <ol className="marker-timeline" aria-label="Markers">
          {markers.map((m) => (
            <li key={`${m.time}-${m.text}`}>
              <time className="muted small mono">{formatDateTime(m.time)}</time> {m.text}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
