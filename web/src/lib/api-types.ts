// Shapes the dashboard reads from the API and the live stream. Flow, FlowSummary and Finding are shared with the
// server (types only); the rest mirror src/ modules the dashboard may not import (see eslint.config.js).
export type { Finding, FindingKind, Flow, FlowSummary, HeaderPair } from '../../../src/types/index.js';
import type { Finding, FlowSummary } from '../../../src/types/index.js';

/** Mirrors HostRow of src/hosts/host-table.ts. */
export interface HostRow {
  host: string;
  country: string;
  countryName: string;
  serverIps: string[];
  requests: number;
  bytesUp: number;
  bytesDown: number;
  kinds: string[];
  plaintextKinds: string[];
  plaintext: boolean;
  tlsFailures: number;
  likelyPinned: boolean;
  tunnels: number;
  devices: string[];
  firstSeen: number;
  lastSeen: number;
}

/** Mirrors SessionInfo of src/store/store.ts. */
export interface SessionInfo {
  id: string;
  name: string;
  createdAt: number;
  endedAt?: number;
  current: boolean;
  flowCount: number;
  findingCount: number;
}

/** Mirrors DeviceRecord of src/store/catalog.ts. */
export interface DeviceRecord {
  address: string;
  label?: string;
  firstSeen: number;
  lastSeen: number;
}

export interface SetupInfo {
  proxyAddresses: string[];
  fingerprintSha256: string;
  caUrls: { pem: string; crt: string };
  setupHost: string;
}

export interface LiveTlsFailure {
  host: string;
  time: number;
  cause: string;
  device?: string;
}

/** Mirrors LiveBatch of src/server/live-stream.ts. */
export interface LiveBatch {
  sessionId: string;
  flows: FlowSummary[];
  findings: Finding[];
  tlsFailures: LiveTlsFailure[];
  devices: { address: string; time: number; label?: string }[];
  hosts: HostRow[];
  session?: SessionInfo;
  total: number;
  resync?: boolean;
}

/** Mirrors LiveSnapshot of src/server/live-stream.ts. */
export interface LiveSnapshot {
  session: SessionInfo;
  sessions: SessionInfo[];
  hosts: HostRow[];
  devices: DeviceRecord[];
  findings: Finding[];
  flows: FlowSummary[];
  total: number;
  batchMs: number;
}

/** GET /api/diff?a=&b= (src/export/session-diff.ts). */
export interface SessionDiffPair<T> {
  a: T;
  b: T;
}
export interface SessionHostDiff {
  host: string;
  change: 'appeared' | 'disappeared' | 'changed' | 'unchanged';
  country: string;
  requests: SessionDiffPair<number>;
  bytesUp: SessionDiffPair<number>;
  bytesDown: SessionDiffPair<number>;
  transport: SessionDiffPair<'none' | 'http' | 'https' | 'http+https'>;
  kinds: SessionDiffPair<string[]>;
  kindsAdded: string[];
  kindsRemoved: string[];
  plaintextToTls: string[];
  tlsToPlaintext: string[];
  plainToHashed: string[];
  hashedToPlain: string[];
}
export interface SessionDiff {
  a: { id: string; name: string; flows: number; findings: number };
  b: { id: string; name: string; flows: number; findings: number };
  hostsAppeared: string[];
  hostsDisappeared: string[];
  totals: { requests: SessionDiffPair<number>; bytesUp: SessionDiffPair<number>; bytesDown: SessionDiffPair<number>; hosts: SessionDiffPair<number>; plaintextRequests: SessionDiffPair<number> };
  hosts: SessionHostDiff[];
}

/** GET /api/profiles: a device profile in force (DESIGN.md "Device profile"), with the file it lives in. */
export interface ProfileEntry {
  index: number;
  source: string;
  profile: Record<string, unknown>;
}
