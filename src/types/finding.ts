// A finding: a personal identifier seen in what a phone sent. Shape fixed by DESIGN.md ("Finding").

export type FindingKind =
  | 'imei'
  | 'meid'
  | 'imsi'
  | 'iccid'
  | 'phone_number'
  | 'android_id'
  | 'advertising_id'
  | 'mac_address'
  | 'serial_number'
  | 'email'
  | 'location'
  | 'wifi_ssid'
  | 'wifi_bssid'
  | 'cell_id'
  | 'carrier'
  | 'contact'
  | 'sms_text'
  | 'device_name'
  | 'credential'
  | 'credit_card'
  | 'custom';

export type Confidence = 'high' | 'medium' | 'low';
export type FindingSource = 'profile' | 'pattern';

/**
 * `where`: 'url' | `query:NAME` | `header:NAME` | `cookie:NAME` | 'body' | `body:JSON.PATH` | `form:NAME`
 * | `multipart:NAME` | `protobuf:FIELD.PATH`.
 * `encodings`: the chain undone to find the value, outermost first, e.g. ['gzip','json','base64','sha1-hex'].
 */
export interface DetectedFinding {
  kind: FindingKind;
  /** The identifier as the profile or the decoded text holds it (never the hash). */
  value: string;
  where: string;
  encodings: string[];
  confidence: Confidence;
  source: FindingSource;
  /** Why: which detector or profile field, and what context made it count. */
  explanation?: string;
  /** Profile label (custom kind) or the profile's name. */
  label?: string;
}

/** A finding as stored and served: tied to a flow (live) or to a HAR entry (offline scan). */
export interface Finding extends DetectedFinding {
  id: string;
  flowId?: string;
  entry?: number;
  host: string;
  plaintext: boolean;
  /** Epoch ms of the flow. */
  time?: number;
  device?: string;
}
