// Records a WebSocket exchange: the upgrade request, then each message (direction, time, size, the first 64 KiB
// as text or base64). Emitted as one flow when the socket closes.
import { randomUUID } from 'node:crypto';
import type { CapturedFlow, Flow, WebSocketMessage } from '../types/index.js';
import { absoluteUrl, pairHeaders, type ExchangeStart } from './exchange-recorder.js';

const MESSAGE_PREVIEW_BYTES = 64 * 1024;
/** Beyond this many messages only counts grow: a chatty socket must not grow the record without bound. */
const MAX_MESSAGES = 5_000;

export class WebSocketRecorder {
  readonly id = randomUUID();
  private readonly startedAt = Date.now();
  private readonly startedHr = performance.now();
  private readonly messages: WebSocketMessage[] = [];
  private bytesUp = 0;
  private bytesDown = 0;
  private droppedMessages = 0;
  private closeCode: number | undefined;
  private errorMessage: string | undefined;
  private done = false;

  constructor(
    private readonly start: Omit<ExchangeStart, 'method'>,
    private readonly onComplete: (captured: CapturedFlow) => void,
  ) {}

  message(type: string, fromServer: boolean, data: unknown, flags: unknown): void {
    if (type !== 'message') return;
    const bytes = toBuffer(data);
    const binary = typeof flags === 'boolean' ? flags : Boolean((flags as { binary?: boolean } | undefined)?.binary);
    if (fromServer) this.bytesDown += bytes.length;
    else this.bytesUp += bytes.length;
    if (this.messages.length >= MAX_MESSAGES) {
      this.droppedMessages++;
      return;
    }
    const preview = bytes.subarray(0, MESSAGE_PREVIEW_BYTES);
    this.messages.push({
      direction: fromServer ? 'received' : 'sent',
      time: Date.now(),
      size: bytes.length,
      opcode: binary ? 'binary' : 'text',
      data: binary ? preview.toString('base64') : preview.toString('utf8'),
      truncated: bytes.length > preview.length,
    });
  }

  fail(error: Error | undefined): void {
    this.errorMessage ??= error?.message ?? 'websocket error';
    this.close(undefined);
  }

  close(code: number | undefined): void {
    if (this.done) return;
    this.done = true;
    this.closeCode = code;
    const sent = this.messages.filter((m) => m.direction === 'sent');
    const flow: Flow = {
      id: this.id,
      sessionId: this.start.sessionId,
      kind: 'exchange',
      device: this.start.device,
      startedAt: this.startedAt,
      scheme: this.start.scheme,
      host: this.start.host,
      port: this.start.port,
      request: {
        method: 'GET',
        url: absoluteUrl(this.start.scheme, this.start.host, this.start.port, this.start.path, true),
        httpVersion: `HTTP/${this.start.httpVersion}`,
        headers: pairHeaders(this.start.rawHeaders),
        body: { size: this.bytesUp, captured: 0, truncated: this.bytesUp > 0 },
      },
      response: {
        status: 101,
        statusText: 'Switching Protocols',
        httpVersion: 'HTTP/1.1',
        headers: [],
        body: { size: this.bytesDown, captured: 0, truncated: this.bytesDown > 0 },
      },
      timings: { connect: -1, tls: -1, send: 0, wait: 0, receive: Math.round(performance.now() - this.startedHr), total: Math.round(performance.now() - this.startedHr) },
      webSocket: { messages: this.messages },
    };
    if (this.start.tls) flow.tls = this.start.tls;
    if (this.errorMessage) flow.error = { code: 'upstream-reset', message: this.errorMessage };
    if (this.droppedMessages > 0 || this.closeCode !== undefined) {
      flow.response!.statusText = `Switching Protocols (closed ${this.closeCode ?? '-'}${this.droppedMessages ? `, ${this.droppedMessages} messages not kept` : ''})`;
    }
    // Sent text messages are what detection reads: hand them on as the request body copy.
    const requestBody = Buffer.from(sent.filter((m) => m.opcode === 'text').map((m) => m.data).join('\n'));
    this.onComplete({ flow, requestBody, responseBody: Buffer.alloc(0) });
  }
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(String(data));
}
