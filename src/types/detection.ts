// What the detection engine reads: one flow's request (and response), already off the forwarding path.
import type { FlowScheme, HeaderPair } from './flow.js';

export interface DetectionInput {
  scheme: FlowScheme;
  method: string;
  /** Absolute URL. */
  url: string;
  host: string;
  requestHeaders: HeaderPair[];
  /** Raw captured request body (content-encoded as it travelled). */
  requestBody: Uint8Array;
  requestBodyTruncated?: boolean;
  responseHeaders?: HeaderPair[];
  responseBody?: Uint8Array;
  /** Client address, to pick the profiles that apply to this device. */
  device?: string;
}
