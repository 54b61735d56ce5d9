// Node clients that speak to the proxy the way a phone does: CONNECT, then TLS to our leaf, then HTTP.
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';

/** Opens a CONNECT tunnel through the proxy and returns the raw socket. */
export function connectTunnel(proxyPort: number, authority: string, proxyHost = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: proxyHost, port: proxyPort, method: 'CONNECT', path: authority, headers: { host: authority } });
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new Error(`CONNECT ${authority}: ${res.statusCode}`));
      } else resolve(socket);
    });
    req.once('error', reject);
    req.end();
  });
}

/** CONNECT + TLS (verifying our CA) and returns the TLS socket. */
export async function tlsThroughProxy(proxyPort: number, host: string, port: number, ca: string, servername = host): Promise<tls.TLSSocket> {
  const authority = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
  const socket = await connectTunnel(proxyPort, authority);
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ socket, servername: net.isIP(servername) ? undefined : servername, ca, host }, () => resolve(secure));
    secure.once('error', reject);
  });
}

export interface SimpleResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function collect(res: http.IncomingMessage): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    res.on('error', reject);
  });
}

/** One HTTP request over an existing (tunnelled) socket. */
export function requestOverSocket(socket: net.Socket, options: http.RequestOptions & { body?: Buffer | string }): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...options, createConnection: () => socket }, (res) => collect(res).then(resolve, reject));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A plain-HTTP proxy request (absolute-form URL) to the proxy port. */
export function httpViaProxy(proxyPort: number, url: string, options: http.RequestOptions & { body?: Buffer | string } = {}): Promise<SimpleResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, path: url, ...options, headers: { host: target.host, ...(options.headers ?? {}) } }, (res) =>
      collect(res).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends raw bytes to a port and collects what comes back until the peer closes (or timeout). */
export function rawExchange(port: number, payload: Buffer | string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', done);
    socket.on('close', done);
    socket.write(payload);
  });
}
