// Headers as they travelled (name case and order kept), values as text with findings marked.
import type { HeaderPair } from '../lib/api-types.js';
import type { Needle } from '../lib/finding-needles.js';
import { HighlightedText } from './highlighted-text.js';

export function HeadersTable({ headers, needles }: { headers: HeaderPair[]; needles: readonly Needle[] }) {
  if (headers.length === 0) return <p className="muted small">No headers.</p>;
  return (
    <table className="kv-table">
      <tbody>
        {headers.map(([name, value], i) => (
          <tr key={i}>
            <th scope="row" className="mono">{name}</th>
            <td className="mono">
              <HighlightedText text={value} needles={needles} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
