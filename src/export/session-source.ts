// What an export reads of the store: one session's flows (streamed), their bodies and its events. A redacting
// wrapper (redaction.ts) offers the same shape, so every format is redacted the same way.
import type { Store } from '../store/index.js';

export type SessionSource = Pick<Store, 'iterateFlows' | 'readBody' | 'events' | 'listDevices'>;
