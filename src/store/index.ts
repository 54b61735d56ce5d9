// The durable store: sessions, flows, findings, events and bodies on disk (see store.ts).
export { Store, type SessionInfo, type StoreOptions } from './store.js';
export { StoreError } from './store-error.js';
export type { FlowQuery } from './flow-index.js';
export type { StoredEvent } from './session-journal.js';
export type { DeviceRecord } from './catalog.js';
export { toFlowSummary } from './flow-summary.js';
