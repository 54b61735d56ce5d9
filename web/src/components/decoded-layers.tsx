// The request's decoded layers, as detection saw them: each value reached through an encoding (gzip → JSON →
// base64 → …) with where it sits and the chain undone. Text only; identifiers found are highlighted.
import { useEffect, useState } from 'react';
import { api } from '../lib/api-client.js';
import type { Needle } from '../lib/finding-needles.js';
import { HighlightedText } from './highlighted-text.js';

interface Layer {
  where: string;
  encodings: string[];
  text: string;
  truncated: boolean;
}

export function DecodedLayers({ flowId, needles }: { flowId: string; needles: readonly Needle[] }) {
  const [layers, setLayers] = useState<Layer[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    setLayers(undefined);
    setError(undefined);
    api.layers(flowId).then(setLayers, (err: Error) => setError(err.message));
  }, [flowId]);
  if (error) return <p className="error small pad">{error}</p>;
  if (!layers) return <p className="muted small pad">Decoding…</p>;
  if (layers.length === 0) return <p className="muted small pad">Nothing in this request is encoded: what it sends is in its headers and body as they are.</p>;
  return (
    <ol className="decoded-layers" aria-label="Decoded layers">
      {layers.map((layer, i) => (
        <li key={`${layer.where}-${i}`} className="decoded-layer">
          <div className="small">
            <span className="mono">{layer.where}</span> <span className="muted">· {layer.encodings.join(' → ')}</span>
          </div>
          <pre className="body-text">
            <HighlightedText text={layer.text} needles={needles} />
            {layer.truncated ? '…' : ''}
          </pre>
        </li>
      ))}
    </ol>
  );
}
