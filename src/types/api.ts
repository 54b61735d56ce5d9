// What the HTTP API and the live stream send (DESIGN.md "HTTP API"): one definition, read by the server that builds
// these shapes and by the dashboard that shows them. Types only.
import type { Finding } from './finding.js';
import type { FlowSummary } from './flow.js';
import type { DeviceProfile } from './profile.js';

/** GET /api/hosts: per-host facts of one session. */
export interface HostRow {
  host: string;
  country: string;
  countryName: string;
  serverIps: string[];
  requests: number;
  bytesUp: number;
  bytesDown: number;
  /** Identifier kinds the phone sent to this host (alerts: medium and high confidence). */
  kinds: string[];
  /** Kinds that travelled over plain HTTP. */
  plaintextKinds: string[];
  /** Some traffic to this host was unencrypted HTTP. */
  plaintext: boolean;
  tlsFailures: number;
  likelyPinned: boolean;
  tunnels: number;
  devices: string[];
  firstSeen: number;
  lastSeen: number;
}

/** GET /api/sessions. */
export interface SessionInfo {
  id: string;
  name: string;
  createdAt: number;
  endedAt?: number;
  current: boolean;
  flowCount: number;
  findingCount: number;
}

/** A phone (client address) the proxy has seen. */
export interface DeviceRecord {
  address: string;
  label?: string;
  firstSeen: number;
  lastSeen: number;
}

/** GET /api/setup. */
export interface SetupInfo {
  proxyAddresses: string[];
  fingerprintSha256: string;
  caUrls: { pem: string; crt: string };
  setupHost: string;
}

/** A TLS handshake the phone refused (likely pinning) or that failed. */
export interface LiveTlsFailure {
  host: string;
  time: number;
  cause: string;
  device?: string;
  [k: string]: unknown;
}

export interface LiveDevice {
  address: string;
  time: number;
  label?: string;
}

/** socket.io 'batch': what changed since the last one. */
export interface LiveBatch {
  sessionId: string;
  flows: FlowSummary[];
  findings: Finding[];
  tlsFailures: LiveTlsFailure[];
  devices: LiveDevice[];
  /** Current rows of the hosts this batch touched. */
  hosts: HostRow[];
  /** Set when the current session changed since the last batch: the client starts over. */
  session?: SessionInfo;
  /** Flows in the current session. */
  total: number;
  /** The batch was too large to send: reload over the HTTP API. */
  resync?: boolean;
}

/** socket.io 'snapshot': where a newly connected dashboard starts. */
export interface LiveSnapshot {
  session: SessionInfo;
  sessions: SessionInfo[];
  hosts: HostRow[];
  devices: DeviceRecord[];
  findings: Finding[];
  /** The newest flows (at most `snapshotFlows`), oldest first; older ones come from GET /api/flows. */
  flows: FlowSummary[];
  total: number;
  batchMs: number;
}

export type SessionTransport = 'none' | 'http' | 'https' | 'http+https';

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
  transport: SessionDiffPair<SessionTransport>;
  kinds: SessionDiffPair<string[]>;
  kindsAdded: string[];
  kindsRemoved: string[];
  /** Kinds sent in both sessions that went over plain HTTP in A and only over TLS in B. */
  plaintextToTls: string[];
  /** Kinds sent in both sessions that went only over TLS in A and (also) over plain HTTP in B. */
  tlsToPlaintext: string[];
  /** Kinds sent in both sessions whose plain value was seen in A and only hashed forms in B. */
  plainToHashed: string[];
  /** Kinds sent in both sessions that were only hashed in A and seen as a plain value in B. */
  hashedToPlain: string[];
}

/** GET /api/diff?a=&b= and `phonehome diff --json`. */
export interface SessionDiff {
  a: { id: string; name: string; flows: number; findings: number };
  b: { id: string; name: string; flows: number; findings: number };
  hostsAppeared: string[];
  hostsDisappeared: string[];
  totals: {
    requests: SessionDiffPair<number>;
    bytesUp: SessionDiffPair<number>;
    bytesDown: SessionDiffPair<number>;
    hosts: SessionDiffPair<number>;
    plaintextRequests: SessionDiffPair<number>;
  };
  hosts: SessionHostDiff[];
}

/** GET /api/profiles: a device profile in force, with the file it lives in. */
export interface ProfileEntry {
  index: number;
  source: string;
  profile: DeviceProfile;
}
