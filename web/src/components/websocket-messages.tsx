// A WebSocket's messages: direction, time, size and content as text (binary frames arrive base64-encoded).
import type { Flow } from '../lib/api-types.js';
import type { Needle } from '../lib/finding-needles.js';
import { formatBytes, formatClock } from '../lib/format.js';
import { HighlightedText } from './highlighted-text.js';

type Message = NonNullable<Flow['webSocket']>['messages'][number];

export function WebSocketMessages({ messages, needles }: { messages: Message[]; needles: readonly Needle[] }) {
  if (messages.length === 0) return <p className="muted small">No messages.</p>;
  return (
    <ol className="ws-list" aria-label="WebSocket messages">
      {messages.map((m, i) => (
        <li key={i} className={`ws-message ws-${m.direction}`}>
          <div className="ws-meta">
            <span className="ws-dir" title={m.direction === 'sent' ? 'sent by the phone' : 'received by the phone'}>
              {m.direction === 'sent' ? '↑ sent' : '↓ received'}
            </span>
            <span className="muted small">{formatClock(m.time)}</span>
            <span className="muted small">
              {formatBytes(m.size)} · {m.opcode}
              {m.truncated && ' · truncated'}
            </span>
          </div>
          <pre className="code-block">
            <HighlightedText text={m.data} needles={needles} />
          </pre>
        </li>
      ))}
    </ol>
  );
}
