// The process's logger: one line per event on stderr, level from PHONEHOME_LOG (debug|info|warn|error).
import type { LogLevel, Logger } from './types/index.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createConsoleLogger(level: LogLevel = (process.env.PHONEHOME_LOG as LogLevel | undefined) ?? 'info'): Logger {
  const threshold = ORDER[level] ?? ORDER.info;
  const write = (at: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < threshold) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${at.padEnd(5)} ${message}${extra}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
