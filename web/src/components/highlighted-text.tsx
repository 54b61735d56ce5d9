// Captured text with findings marked. Everything renders as React text nodes: never as HTML.
import { useMemo } from 'react';
import { kindLabel } from '../lib/kinds.js';
import { splitByNeedles, type Needle } from '../lib/finding-needles.js';

export function HighlightedText({ text, needles }: { text: string; needles: readonly Needle[] }) {
  const segments = useMemo(() => splitByNeedles(text, needles), [text, needles]);
  return (
    <>
      {segments.map((s, i) =>
        s.finding ? (
          <mark key={i} className={`hit hit-${s.finding.confidence}`} data-kind={s.finding.kind} title={`${kindLabel(s.finding.kind)}: ${s.finding.value}${s.finding.encodings.length ? ` (${s.finding.encodings.join(' → ')})` : ''}`}>
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}
