// CSV export: one row per finding (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma,
// a quote or a line break, quotes doubled). Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at
// the start) get a leading apostrophe: captured text is untrusted.
import type { Writable } from 'node:stream';
import { countryOf } from '../hosts/country-lookup.js';
import type { SessionSource } from './session-source.js';
import { chunkWriter } from './stream-write.js';

export const CSV_COLUMNS = ['time', 'device', 'host', 'country', 'kind', 'where', 'encodings', 'plaintext', 'confidence', 'flow URL'] as const;

/** One CSV field, quoted when it must be and defused when a spreadsheet would evaluate it. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export async function writeSessionCsv(source: SessionSource, sessionId: string, out: Writable): Promise<void> {
  const write = chunkWriter(out);
  await write(csvRow(CSV_COLUMNS));
  for await (const { flow, findings } of source.iterateFlows(sessionId)) {
    if (findings.length === 0) continue;
    const country = countryOf(flow.serverIp).code;
    let rows = '';
    for (const f of findings) {
      rows += csvRow([
        new Date(f.time ?? flow.startedAt).toISOString(),
        f.device ?? flow.device,
        f.host,
        country,
        f.kind,
        f.where,
        f.encodings.join('>'),
        f.plaintext ? 'true' : 'false',
        f.confidence,
        flow.request.url,
      ]);
    }
    await write(rows);
  }
}
