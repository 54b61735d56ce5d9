// Test helpers for the store: realistic flows and a logger that remembers what it was told.
import type { CapturedFlow, Finding, FindingKind, Flow, Logger } from '../../../src/types/index.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

export function memoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function makeFlow(sessionId: string, n: number, over: Partial<Flow> = {}): Flow {
  const host = over.host ?? `api${n % 7}.example.com`;
  return {
    id: `flow-${String(n).padStart(6, '0')}`,
    sessionId,
    kind: 'exchange',
    device: '192.168.1.23',
    startedAt: 1_700_000_000_000 + n,
    scheme: 'https',
    host,
    port: 443,
    request: {
      method: n % 3 === 0 ? 'POST' : 'GET',
      url: `https://${host}/v1/items/${n}?imei=865432100123457&t=${n}`,
      httpVersion: '1.1',
      headers: [
        ['Host', host],
        ['User-Agent', 'Dalvik/2.1.0 (Linux; U; Android 9; Redmi 1S Build/PKQ1)'],
        ['Accept-Encoding', 'gzip'],
      ],
      body: { size: 64, captured: 64, truncated: false },
    },
    response: {
      status: n % 10 === 0 ? 404 : 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [
        ['Content-Type', 'application/json'],
        ['Content-Encoding', 'gzip'],
      ],
      body: { size: 256, captured: 256, truncated: false, contentEncoding: 'gzip', decodedSize: 512 },
    },
    timings: { connect: 3, tls: 5, send: 0, wait: 20, receive: 1, total: 29 },
    serverIp: '93.184.216.34',
    tls: { sni: host, protocol: 'TLSv1.3' },
    ...over,
  };
}

export function makeFinding(flow: Flow, kind: FindingKind, n = 0): Finding {
  return {
    id: `${flow.id}-f${n}`,
    flowId: flow.id,
    kind,
    value: kind === 'imei' ? '865432100123457' : `value-${n}`,
    where: 'query:imei',
    encodings: [],
    confidence: 'high',
    source: 'profile',
    host: flow.host,
    plaintext: flow.scheme === 'http',
    time: flow.startedAt,
  };
}

/** Bytes that exercise every value 0-255 and are different per flow. */
export function binaryBody(n: number, size = 300): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + n * 7) & 0xff;
  return bytes;
}

export function captured(flow: Flow, requestBody: Buffer = Buffer.alloc(0), responseBody: Buffer = Buffer.alloc(0)): CapturedFlow {
  return { flow, requestBody, responseBody };
}
