// Closes client connections that moved no byte either way for `idleMs`. A sweep over counters rather than
// socket.setTimeout: on Node 20, http.Server's connection checks (headersTimeout) keep re-arming socket timers, so an
// idle socket's own timeout may never fire under load. Tunnels that may idle for minutes are exempted.
import type { Socket } from 'node:net';

export class IdleSweeper {
  private readonly sockets = new Map<Socket, { bytes: number; since: number }>();
  private readonly exempt = new WeakSet<Socket>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly idleMs: number) {}

  start(): void {
    this.timer = setInterval(() => this.sweep(), Math.max(100, Math.min(this.idleMs / 3, 10_000)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.sockets.clear();
  }

  watch(socket: Socket): void {
    this.sockets.set(socket, { bytes: socket.bytesRead + socket.bytesWritten, since: Date.now() });
    socket.once('close', () => this.sockets.delete(socket));
  }

  /** A passed-through tunnel: idle push channels are legitimate. */
  exemptFromIdle(socket: Socket): void {
    this.exempt.add(socket);
    this.sockets.delete(socket);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [socket, state] of this.sockets) {
      const bytes = socket.bytesRead + socket.bytesWritten;
      if (bytes !== state.bytes) {
        state.bytes = bytes;
        state.since = now;
      } else if (now - state.since >= this.idleMs && !this.exempt.has(socket)) {
        this.sockets.delete(socket);
        socket.destroy();
      }
    }
  }
}
