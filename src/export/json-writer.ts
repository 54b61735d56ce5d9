// JSON export of a session: everything the store holds, lossless. The session record, every flow with its findings
// and its body copies (base64: raw as travelled, and the decompressed copy when there is one), the session's events
// and the devices seen. Streamed one flow at a time.
import type { Writable } from 'node:stream';
import type { SessionInfo } from '../store/index.js';
import type { SessionSource } from './session-source.js';
import { chunkWriter } from './stream-write.js';

export interface JsonWriteOptions {
  creatorVersion: string;
  redacted?: boolean;
}

export const JSON_EXPORT_FORMAT = 'phonehome-session';

export async function writeSessionJson(source: SessionSource, session: SessionInfo, out: Writable, options: JsonWriteOptions): Promise<void> {
  const write = chunkWriter(out);
  const head = {
    format: JSON_EXPORT_FORMAT,
    formatVersion: 1,
    creator: { name: 'phonehome', version: options.creatorVersion },
    exportedAt: new Date().toISOString(),
    redacted: options.redacted === true,
    session,
  };
  await write(`${JSON.stringify(head).slice(0, -1)},"flows":[`);
  const devices = new Set<string>();
  let first = true;
  for await (const { flow, findings } of source.iterateFlows(session.id)) {
    devices.add(flow.device);
    const bodies: Record<string, string> = {};
    const put = async (key: string, which: 'request' | 'response', form: 'raw' | 'decoded') => {
      const bytes = await source.readBody(flow.id, which, form);
      if (bytes && bytes.length > 0) bodies[key] = bytes.toString('base64');
    };
    await put('request', 'request', 'raw');
    await put('response', 'response', 'raw');
    if (flow.request.body.decodedSize !== undefined) await put('requestDecoded', 'request', 'decoded');
    if (flow.response?.body.decodedSize !== undefined) await put('responseDecoded', 'response', 'decoded');
    await write(`${first ? '' : ','}${JSON.stringify({ flow, findings, bodies })}`);
    first = false;
  }
  const deviceRecords = source.listDevices().filter((d) => devices.has(d.address));
  await write(`],"events":${JSON.stringify(source.events(session.id))},"devices":${JSON.stringify(deviceRecords)}}\n`);
}
