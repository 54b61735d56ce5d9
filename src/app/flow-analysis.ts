// After a flow completes (off the forwarding path): the decompressed body copies and the findings.
import { decodeContentEncoding, detectFindings, type CompiledProfile } from '../detect/index.js';
import type { BodyInfo, CapturedFlow, DeviceProfile, Finding } from '../types/index.js';

export interface LoadedProfile {
  source: string;
  profile: DeviceProfile;
  compiled: CompiledProfile;
}

export interface FlowAnalysis {
  findings: Finding[];
  decoded: { request?: Buffer; response?: Buffer };
}

/** The profiles that apply to a device: those naming its address, and those naming no device at all. */
export function profilesFor(device: string, profiles: readonly LoadedProfile[]): CompiledProfile[] {
  return profiles.filter((p) => !p.profile.devices || p.profile.devices.includes(device)).map((p) => p.compiled);
}

function decode(body: Buffer, info: BodyInfo, maxDecodedBytes: number): Buffer | undefined {
  if (!info.contentEncoding || body.length === 0 || /^identity$/i.test(info.contentEncoding.trim())) return undefined;
  if (info.truncated) {
    info.decodeError = 'body truncated at --max-body: not decompressed';
    return undefined;
  }
  // A decompression bomb must not become a huge "copy": the decoded copy obeys the same cap as the raw one.
  const result = decodeContentEncoding(body, info.contentEncoding, maxDecodedBytes);
  if (!result.ok) {
    info.decodeError = result.error;
    return undefined;
  }
  info.decodedSize = result.bytes.length;
  return result.bytes;
}

/** Mutates the flow's body infos (decodedSize / decodeError) and returns the findings and decoded copies. */
export function analyseFlow(captured: CapturedFlow, profiles: readonly LoadedProfile[], maxDecodedBytes: number): FlowAnalysis {
  const { flow } = captured;
  const decoded: FlowAnalysis['decoded'] = {};
  const request = decode(captured.requestBody, flow.request.body, maxDecodedBytes);
  if (request) decoded.request = request;
  if (flow.response) {
    const response = decode(captured.responseBody, flow.response.body, maxDecodedBytes);
    if (response) decoded.response = response;
  }
  if (flow.kind !== 'exchange') return { findings: [], decoded };
  const detected = detectFindings(
    {
      scheme: flow.scheme,
      method: flow.request.method,
      url: flow.request.url,
      host: flow.host,
      requestHeaders: flow.request.headers,
      requestBody: captured.requestBody,
      requestBodyTruncated: flow.request.body.truncated,
      responseHeaders: flow.response?.headers,
      responseBody: captured.responseBody,
      device: flow.device,
    },
    profilesFor(flow.device, profiles),
  );
  const findings = detected.map<Finding>((finding, index) => ({
    ...finding,
    id: `${flow.id}.${index}`,
    flowId: flow.id,
    host: flow.host,
    plaintext: flow.scheme === 'http',
    time: flow.startedAt,
    device: flow.device,
  }));
  return { findings, decoded };
}
