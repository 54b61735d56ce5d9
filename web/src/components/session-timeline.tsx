// The session on one line: flows per moment (red where identifiers went over plain HTTP) and the tester's
// markers ("factory reset done"), so "what did the phone do right after the opt-out?" is answered at a glance.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../lib/api-client.js';
import type { FlowSummary } from '../lib/api-types.js';
import { formatDateTime } from '../lib/format.js';

const BINS = 80;
const WIDTH = 800;
const HEIGHT = 70;

interface Marker {
  time: number;
  text: string;
}

export function SessionTimeline({ sessionId, startedAt, flows }: { sessionId: string; startedAt: number; flows: readonly FlowSummary[] }) {
  const [markers, setMarkers] = useState<Marker[]>([]);
  useEffect(() => {
    let stopped = false;
    const load = () =>
      api.events(sessionId).then(
        (events) => !stopped && setMarkers(events.filter((e) => e.type === 'marker').map((e) => ({ time: e.time, text: String(e.text ?? '') }))),
        () => undefined,
      );
    void load();
    const timer = setInterval(() => void load(), 5_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [sessionId]);

  const { bins, end, peak } = useMemo(() => {
    const last = Math.max(startedAt + 60_000, ...flows.map((f) => f.startedAt), ...markers.map((m) => m.time));
    const span = last - startedAt;
    const counts = Array.from({ length: BINS }, () => ({ all: 0, plain: 0 }));
    for (const f of flows) {
      const i = Math.min(BINS - 1, Math.max(0, Math.floor(((f.startedAt - startedAt) / span) * BINS)));
      counts[i]!.all++;
      if (f.scheme === 'http' && f.findingKinds.length > 0) counts[i]!.plain++;
    }
    return { bins: counts, end: last, peak: Math.max(1, ...counts.map((c) => c.all)) };
  }, [flows, markers, startedAt]);

  const x = (time: number) => ((time - startedAt) / (end - startedAt)) * WIDTH;
  const barWidth = WIDTH / BINS;
  return (
    <figure className="session-timeline" aria-label="Session timeline">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + 4}`} preserveAspectRatio="none" role="img" aria-label={`${flows.length} flows and ${markers.length} markers over time`}>
        {bins.map((b, i) => {
          const h = (b.all / peak) * HEIGHT;
          const hp = (b.plain / peak) * HEIGHT;
          return (
            <g key={i}>
              {b.all > 0 && <rect className="timeline-bar" x={i * barWidth + 0.5} y={HEIGHT - h} width={barWidth - 1} height={h} />}
              {b.plain > 0 && <rect className="timeline-bar-plain" x={i * barWidth + 0.5} y={HEIGHT - hp} width={barWidth - 1} height={hp} />}
            </g>
          );
        })}
        {markers.map((m) => (
          <line key={`${m.time}-${m.text}`} className="timeline-marker" x1={x(m.time)} x2={x(m.time)} y1={0} y2={HEIGHT + 4}>
            <title>{`${formatDateTime(m.time)} · ${m.text}`}</title>
          </line>
        ))}
      </svg>
      <figcaption className="small muted timeline-caption">
        <span>{formatDateTime(startedAt)}</span>
        <span className="timeline-markers">
          {markers.map((m) => (
            <span key={`${m.time}-${m.text}`} className="timeline-marker-label">
              ▍{m.text}
            </span>
          ))}
        </span>
        <span>{formatDateTime(end)}</span>
      </figcaption>
    </figure>
  );
}
