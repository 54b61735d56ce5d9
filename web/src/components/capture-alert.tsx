// The alarm a tester must not miss: the proxy keeps forwarding, but nothing is being kept (the data folder
// refuses writes, or recording was paused). Polled from /api/health and /api/capture every few seconds.
import { useEffect, useState } from 'react';
import { api } from '../lib/api-client.js';

const POLL_MS = 3_000;

export function CaptureAlert() {
  const [writeError, setWriteError] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    let stopped = false;
    const check = async () => {
      try {
        const [health, capture] = await Promise.all([api.health(), api.capture()]);
        if (stopped) return;
        setWriteError(health.writeError);
        setPaused(capture.paused);
      } catch {
        // the link indicator reports a lost connection
      }
    };
    void check();
    const timer = setInterval(() => void check(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  if (writeError) {
    return (
      <div className="capture-alert capture-alert-error" role="alert">
        <strong>Capture paused: flows are not being saved.</strong> The data folder refuses writes ({writeError}). The phone stays
        online; capture resumes by itself when the disk accepts writes again.
      </div>
    );
  }
  if (paused) {
    return (
      <div className="capture-alert" role="status">
        <strong>Recording is paused.</strong> The phone stays online but its traffic is not recorded. Resume it under Sessions.
      </div>
    );
  }
  return null;
}
