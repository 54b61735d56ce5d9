// Shapes the dashboard reads from the API and the live stream: the server's own definitions (src/types, types
// only; see eslint.config.js), so the two cannot drift apart.
export type {
  DeviceProfile,
  DeviceRecord,
  Finding,
  FindingKind,
  Flow,
  FlowSummary,
  HeaderPair,
  HostRow,
  LiveBatch,
  LiveDevice,
  LiveSnapshot,
  LiveTlsFailure,
  ProfileEntry,
  SessionDiff,
  SessionDiffPair,
  SessionHostDiff,
  SessionInfo,
  SetupInfo,
} from '../../../src/types/index.js';
