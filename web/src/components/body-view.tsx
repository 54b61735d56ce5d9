// A captured body as text (pretty JSON, or a hex dump for binary), decoded (gzip, br…) or raw as it travelled.
import { useEffect, useState } from 'react';
import { api } from '../lib/api-client.js';
import type { Flow } from '../lib/api-types.js';
import { bodyText, type BodyText } from '../lib/body-text.js';
import type { Needle } from '../lib/finding-needles.js';
import { formatBytes } from '../lib/format.js';
import { HighlightedText } from './highlighted-text.js';

export type BodyState =
  | { state: 'none' }
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; body: BodyText; rawText: string; decoded: boolean; setDecoded: (d: boolean) => void };

export function useBody(id: string, which: 'request' | 'response', present: boolean): BodyState {
  const [decoded, setDecoded] = useState(true);
  const [result, setResult] = useState<{ state: 'none' } | { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; body: BodyText; rawText: string }>({ state: 'none' });
  useEffect(() => {
    if (!present) {
      setResult({ state: 'none' });
      return;
    }
    let cancelled = false;
    setResult({ state: 'loading' });
    api.body(id, which, decoded).then(
      (bytes) => {
        if (cancelled) return;
        setResult({ state: 'ready', body: bodyText(bytes), rawText: new TextDecoder().decode(bytes) });
      },
      (error: Error) => !cancelled && setResult({ state: 'error', message: error.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [id, which, present, decoded]);
  if (result.state === 'ready') return { ...result, decoded, setDecoded };
  return result;
}

export function BodyView({ body, info, needles }: { body: BodyState; info: Flow['request']['body']; needles: Needle[] }) {
  if (body.state === 'none') return <p className="muted small">{info.size > 0 ? `${formatBytes(info.size)}, not captured.` : 'Empty.'}</p>;
  if (body.state === 'loading') return <p className="muted small">Loading body…</p>;
  if (body.state === 'error') return <p className="error small">{body.message}</p>;
  return (
    <div className="body-view">
      <div className="body-meta">
        <span className="muted small">
          {formatBytes(info.size)}
          {info.contentEncoding && ` · ${info.contentEncoding}`}
          {info.truncated && ` · first ${formatBytes(info.captured)} kept`}
          {body.body.kind === 'json' && ' · JSON'}
          {body.body.kind === 'binary' && ' · binary (hex)'}
        </span>
        {info.contentEncoding && (
          <span className="segmented" role="group" aria-label="Body form">
            <button type="button" aria-pressed={body.decoded} className={body.decoded ? 'active' : ''} onClick={() => body.setDecoded(true)}>
              Decoded
            </button>
            <button type="button" aria-pressed={!body.decoded} className={!body.decoded ? 'active' : ''} onClick={() => body.setDecoded(false)}>
              Raw
            </button>
          </span>
        )}
        {info.decodeError && <span className="error small">could not decode: {info.decodeError}</span>}
      </div>
      {body.body.kind === 'empty' ? (
        <p className="muted small">Empty.</p>
      ) : (
        <pre className="code-block">
          <HighlightedText text={body.body.text} needles={needles} />
        </pre>
      )}
    </div>
  );
}
