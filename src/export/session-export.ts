// One entry point for every export format, shared by `phonehome export` and GET /api/sessions/:id/export.
import type { Writable } from 'node:stream';
import type { SessionInfo, Store } from '../store/index.js';
import type { DeviceProfile } from '../types/index.js';
import { writeSessionCsv } from './csv-writer.js';
import { writeHar } from './har-writer.js';
import { writeHtmlReport } from './html-report.js';
import { writeSessionJson } from './json-writer.js';
import { redactedSource, Redactor } from './redaction.js';
import type { SessionSource } from './session-source.js';

export const EXPORT_FORMATS = ['har', 'json', 'csv', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** File extension and content type of each format. */
export const EXPORT_TYPES: Record<ExportFormat, { extension: string; contentType: string }> = {
  har: { extension: 'har', contentType: 'application/json; charset=utf-8' },
  json: { extension: 'json', contentType: 'application/json; charset=utf-8' },
  csv: { extension: 'csv', contentType: 'text/csv; charset=utf-8' },
  html: { extension: 'html', contentType: 'text/html; charset=utf-8' },
};

export interface ExportOptions {
  creatorVersion: string;
  /** Mask every identifier value: the session's finding values and those of these profiles. */
  redact?: { profiles?: DeviceProfile[] };
}

/** A file name for a session's export: the session's name, made safe. */
export function exportFileName(session: SessionInfo, format: ExportFormat): string {
  return `phonehome-${session.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.${EXPORT_TYPES[format].extension}`;
}

/** Writes the session in the format to out (does not end it). */
export async function exportSession(store: Store, session: SessionInfo, format: ExportFormat, out: Writable, options: ExportOptions): Promise<void> {
  const source: SessionSource = options.redact ? redactedSource(store, Redactor.create(store.findings(session.id), options.redact.profiles ?? [])) : store;
  switch (format) {
    case 'har':
      // writeHar reads only iterateFlows, readBody and events of the store: what a SessionSource offers.
      return writeHar(source as Store, session.id, out, { creatorVersion: options.creatorVersion });
    case 'json':
      return writeSessionJson(source, session, out, { creatorVersion: options.creatorVersion, redacted: options.redact !== undefined });
    case 'csv':
      return writeSessionCsv(source, session.id, out);
    case 'html':
      return writeHtmlReport(source, session, out, { creatorVersion: options.creatorVersion, redacted: options.redact !== undefined });
  }
}
