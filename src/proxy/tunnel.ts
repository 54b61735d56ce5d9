// A TLS connection passed through untouched (--passthrough, or a host whose clients pin their certificates):
// bytes are relayed both ways and only the fact of the tunnel is recorded: SNI, byte counts, timing.
import { randomUUID } from 'node:crypto';
import net, { type Socket } from 'node:net';
import type { Logger } from '../types/index.js';
import type { HostPort } from './host-port.js';
import { readClientHelloSni } from './client-hello.js';

export interface TunnelRecord {
  id: string;
  sessionId: string;
  device: string;
  host: string;
  port: number;
  sni?: string;
  startedAt: number;
  durationMs: number;
  bytesUp: number;
  bytesDown: number;
  reason: 'passthrough-pattern' | 'likely-pinned';
  serverIp?: string;
  error?: string;
}

export interface TunnelOptions {
  client: Socket;
  head: Buffer;
  target: HostPort;
  connectTo: HostPort;
  /** Resolves names for the upstream connection (refuses names that point at this machine). */
  lookup: net.LookupFunction;
  device: string;
  reason: TunnelRecord['reason'];
  sessionId: string;
  logger: Logger;
  onClose: (record: TunnelRecord) => void;
}

export function openTunnel(options: TunnelOptions): void {
  const { client, head, target, connectTo } = options;
  const record: TunnelRecord = {
    id: randomUUID(),
    sessionId: options.sessionId,
    device: options.device,
    host: target.host,
    port: target.port,
    startedAt: Date.now(),
    durationMs: 0,
    bytesUp: 0,
    bytesDown: 0,
    reason: options.reason,
  };
  const started = performance.now();
  let closed = false;
  const upstream = net.connect({ host: connectTo.host, port: connectTo.port, noDelay: true, lookup: options.lookup });
  const finish = (error?: Error) => {
    if (closed) return;
    closed = true;
    if (error) record.error = error.message;
    record.durationMs = Math.round(performance.now() - started);
    client.destroy();
    upstream.destroy();
    options.onClose(record);
  };
  const noteSni = (chunk: Buffer) => {
    if (record.sni === undefined) record.sni = readClientHelloSni(chunk);
  };
  if (head.length > 0) {
    noteSni(head);
    record.bytesUp += head.length;
    upstream.write(head);
  }
  client.on('data', (chunk: Buffer) => {
    noteSni(chunk);
    record.bytesUp += chunk.length;
  });
  upstream.on('data', (chunk: Buffer) => {
    record.bytesDown += chunk.length;
  });
  upstream.once('connect', () => {
    record.serverIp = upstream.remoteAddress;
  });
  client.pipe(upstream);
  upstream.pipe(client);
  client.on('error', (error) => finish(error));
  upstream.on('error', (error) => {
    options.logger.debug('tunnel upstream error', { host: target.host, error: error.message });
    finish(error);
  });
  client.once('close', () => finish());
  upstream.once('close', () => finish());
}
