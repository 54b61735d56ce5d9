// A flow: one exchange the proxy saw, as it is kept, streamed and exported. Types only.

/** A header as it travelled: original name case and order kept. */
export type HeaderPair = [name: string, value: string];

export type FlowScheme = 'http' | 'https';

/** 'exchange' is an intercepted HTTP(S) request/response; 'tunnel' a TLS connection passed through untouched. */
export type FlowKind = 'exchange' | 'tunnel';

/** Why a flow did not complete normally. Wire values: the dashboard and exports show them. */
export type FlowErrorCode =
  | 'upstream-unreachable' // DNS failure, connection refused, no route
  | 'upstream-tls' // the upstream's certificate failed verification, or its handshake failed
  | 'upstream-timeout' // no response within the upstream timeout
  | 'upstream-reset' // the upstream closed or reset mid-exchange
  | 'client-aborted' // the phone went away before the response ended
  | 'bad-request' // the phone's request could not be routed (no host, bad target)
  | 'refused' // the proxy refused to forward it (e.g. to itself)
  | 'proxy-error'; // a fault of ours: recorded, never fatal

export interface FlowError {
  code: FlowErrorCode;
  message: string;
}

/** What is known of one direction's body. Bytes live in the body store, not here. */
export interface BodyInfo {
  /** Bytes as they travelled (after transfer-decoding, before content-decoding). */
  size: number;
  /** Bytes kept (≤ --max-body). */
  captured: number;
  truncated: boolean;
  /** The content-encoding header's value, when there was one. */
  contentEncoding?: string;
  /** Size of the decompressed copy, when the body was content-encoded and decoding worked. */
  decodedSize?: number;
  /** Why the decompressed copy could not be made (the raw bytes are kept). */
  decodeError?: string;
}

export interface FlowRequest {
  method: string;
  /** Absolute URL as the phone asked for it (scheme://host[:port]/path?query). */
  url: string;
  httpVersion: string;
  headers: HeaderPair[];
  body: BodyInfo;
}

export interface FlowResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  headers: HeaderPair[];
  body: BodyInfo;
}

/** Milliseconds; -1 where a phase did not happen (e.g. a reused connection has no connect time). */
export interface FlowTimings {
  connect: number;
  tls: number;
  send: number;
  wait: number;
  receive: number;
  total: number;
}

export interface TlsInfo {
  sni?: string;
  /** e.g. 'TLSv1.3' of the phone's side. */
  protocol?: string;
  cipher?: string;
}

export interface WebSocketMessage {
  direction: 'sent' | 'received';
  time: number;
  /** Full size of the message. */
  size: number;
  opcode: 'text' | 'binary';
  /** The first 64 KiB: UTF-8 text for text frames, base64 for binary ones. */
  data: string;
  truncated: boolean;
}

export interface Flow {
  id: string;
  sessionId: string;
  kind: FlowKind;
  /** Client (phone) address, e.g. '192.168.1.23' or '::1'. */
  device: string;
  /** Epoch milliseconds when the request (or tunnel) started. */
  startedAt: number;
  scheme: FlowScheme;
  host: string;
  port: number;
  request: FlowRequest;
  response?: FlowResponse;
  timings: FlowTimings;
  /** The address the proxy actually connected to upstream. */
  serverIp?: string;
  tls?: TlsInfo;
  error?: FlowError;
  webSocket?: { messages: WebSocketMessage[] };
  /** For tunnels: bytes each way. */
  tunnel?: { bytesUp: number; bytesDown: number; reason: 'passthrough-pattern' | 'likely-pinned' };
}

/** A completed flow as the proxy hands it on: the record plus the captured body copies. */
export interface CapturedFlow {
  flow: Flow;
  requestBody: Buffer;
  responseBody: Buffer;
  /**
   * Gives the body copies back to the proxy for reuse. The last holder calls it once nothing reads the two buffers
   * any more (the store: once they are on disk). Never calling it is safe; calling it early is not.
   */
  release?: () => void;
}

/** One line of the flow list (what /api/flows returns). */
export interface FlowSummary {
  id: string;
  sessionId: string;
  kind: FlowKind;
  device: string;
  startedAt: number;
  scheme: FlowScheme;
  method: string;
  host: string;
  port: number;
  path: string;
  status?: number;
  requestSize: number;
  responseSize: number;
  durationMs: number;
  error?: FlowErrorCode;
  findingKinds: string[];
}
