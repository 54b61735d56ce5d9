// Wiring: builds the parts and subscribes them to each other, in the one direction of DESIGN.md's data flow:
// proxy ──flow──► analysis (decode + detect) ──► store ──► host tables / dashboard.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostTable, type HostRow } from '../hosts/host-table.js';
import { CertificateAuthority } from '../proxy/certificate-authority.js';
import { ClientPolicy, DEFAULT_ALLOWED_CLIENTS } from '../proxy/client-policy.js';
import { HostMapping } from '../proxy/host-mapping.js';
import { InterceptingProxy } from '../proxy/intercepting-proxy.js';
import { LeafCertificateIssuer } from '../proxy/leaf-certificate-issuer.js';
import { PassthroughList } from '../proxy/passthrough-matcher.js';
import type { TunnelRecord } from '../proxy/tunnel.js';
import { DashboardServer } from '../server/dashboard-server.js';
import { Store, toFlowSummary, type SessionInfo } from '../store/index.js';
import type { CapturedFlow, Finding, Flow, Logger } from '../types/index.js';
import { analyseFlow } from './flow-analysis.js';
import { importHarInto } from './import-command.js';
import { loadProfiles, ProfileRegistry } from './profile-registry.js';
import { StartError } from './start-error.js';

export { loadProfiles } from './profile-registry.js';
export { StartError } from './start-error.js';

export interface StartOptions {
  port: number;
  listen: string;
  uiPort: number;
  uiHost: string;
  dataDir: string;
  certsDir: string;
  profileFiles: string[];
  mapHosts: string[];
  upstreamCaFiles: string[];
  insecureUpstream: boolean;
  passthrough: string[];
  autoPassthrough: boolean;
  token: string;
  sessionName?: string;
  maxBodyBytes: number;
  upstreamTimeoutMs: number;
  /** CIDRs allowed to use the proxy (default: loopback and private ranges). */
  allowClients?: string[];
  /** user:password required from proxy clients. */
  proxyAuth?: string;
  maxConnections?: number;
  /** Client-side limits (tests shorten them). */
  clientTimeouts?: { headersMs: number; idleMs: number };
  logger: Logger;
}


export interface RunningPhonehome {
  proxyAddress: { host: string; port: number };
  /** host:port strings a phone on the LAN can use. */
  proxyAddresses: string[];
  dashboardUrl: string;
  ca: CertificateAuthority;
  certificates: LeafCertificateIssuer;
  store: Store;
  proxy: InterceptingProxy;
  stop(): Promise<void>;
}

export async function readPackageVersion(): Promise<string> {
  const path = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;
}

/** Addresses a phone can be told: this machine's LAN IPv4 addresses when listening on all interfaces. */
function reachableAddresses(listen: string, port: number): string[] {
  if (listen !== '0.0.0.0' && listen !== '::') return [`${listen.includes(':') ? `[${listen}]` : listen}:${port}`];
  const lan: string[] = [];
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) lan.push(`${a.address}:${port}`);
  }
  return [...lan, `127.0.0.1:${port}`];
}

function tunnelAsFlow(tunnel: TunnelRecord): CapturedFlow {
  const flow: Flow = {
    id: tunnel.id,
    sessionId: tunnel.sessionId,
    kind: 'tunnel',
    device: tunnel.device,
    startedAt: tunnel.startedAt,
    scheme: 'https',
    host: tunnel.host,
    port: tunnel.port,
    request: {
      method: 'CONNECT',
      url: `https://${tunnel.host.includes(':') ? `[${tunnel.host}]` : tunnel.host}:${tunnel.port}`,
      httpVersion: 'HTTP/1.1',
      headers: [],
      body: { size: tunnel.bytesUp, captured: 0, truncated: tunnel.bytesUp > 0 },
    },
    timings: { connect: -1, tls: -1, send: 0, wait: 0, receive: tunnel.durationMs, total: tunnel.durationMs },
    tunnel: { bytesUp: tunnel.bytesUp, bytesDown: tunnel.bytesDown, reason: tunnel.reason },
  };
  if (tunnel.sni) flow.tls = { sni: tunnel.sni };
  if (tunnel.serverIp) flow.serverIp = tunnel.serverIp;
  if (tunnel.error) flow.error = { code: 'upstream-reset', message: tunnel.error };
  return { flow, requestBody: Buffer.alloc(0), responseBody: Buffer.alloc(0) };
}

export async function startPhonehome(options: StartOptions): Promise<RunningPhonehome> {
  const { logger } = options;
  const version = await readPackageVersion();
  const loadedProfiles = await loadProfiles(options.profileFiles);
  let hostMapping: HostMapping;
  let passthrough: PassthroughList;
  let clients: ClientPolicy;
  try {
    hostMapping = new HostMapping(options.mapHosts);
    passthrough = new PassthroughList(options.passthrough);
    clients = new ClientPolicy(options.allowClients?.length ? options.allowClients : DEFAULT_ALLOWED_CLIENTS, options.proxyAuth);
  } catch (error) {
    throw new StartError((error as Error).message);
  }
  const upstreamCa: string[] = [];
  for (const file of options.upstreamCaFiles) {
    try {
      upstreamCa.push(await readFile(file, 'utf8'));
    } catch (error) {
      throw new StartError(`--upstream-ca ${file}: ${(error as Error).message}`);
    }
  }

  const profiles = new ProfileRegistry(loadedProfiles, join(options.dataDir, 'profiles'));
  let store: Store;
  try {
    store = await Store.open(options.dataDir, logger, options.sessionName ? { sessionName: options.sessionName } : {});
  } catch (error) {
    throw new StartError(`data folder ${options.dataDir}: ${(error as Error).message}`);
  }
  let ca: CertificateAuthority;
  try {
    ca = await CertificateAuthority.loadOrCreate(options.certsDir, logger);
  } catch (error) {
    await store.close();
    throw new StartError(`certificate folder ${options.certsDir}: ${(error as Error).message}`);
  }
  const issuer = new LeafCertificateIssuer(ca);
  if (options.sessionName && store.currentSession().name !== options.sessionName) store.startSession(options.sessionName);

  // Host tables: live for sessions seen in this run, rebuilt from the journal on first request otherwise.
  const hostTables = new Map<string, HostTable>();
  const liveTable = (sessionId: string): HostTable => {
    let table = hostTables.get(sessionId);
    if (!table) {
      table = new HostTable();
      hostTables.set(sessionId, table);
    }
    return table;
  };
  const hostsOf = async (sessionId: string): Promise<HostRow[]> => {
    if (!hostTables.has(sessionId)) {
      const table = new HostTable();
      for await (const { flow, findings } of store.iterateFlows(sessionId)) {
        if (flow.kind === 'tunnel' && flow.tunnel) {
          table.addTunnel({ host: flow.host, startedAt: flow.startedAt, bytesUp: flow.tunnel.bytesUp, bytesDown: flow.tunnel.bytesDown, serverIp: flow.serverIp, device: flow.device, reason: flow.tunnel.reason });
        } else table.addFlow(flow, findings);
      }
      for (const event of store.events(sessionId)) {
        if (event.type === 'tls-failure') table.addTlsFailure({ host: String(event.host), time: event.time, cause: String(event.cause) });
      }
      if (!hostTables.has(sessionId)) hostTables.set(sessionId, table);
    }
    return liveTable(sessionId).rows();
  };
  // The dashboard exists before the proxy (its port is protected from the proxy), so this is bound late.
  let announceSession: (session: SessionInfo) => void = () => undefined;
  const startSession = (name: string | undefined): SessionInfo => {
    const session = store.startSession(name);
    hostTables.set(session.id, new HostTable());
    announceSession(session);
    return session;
  };
  // The current session's table is live from the start (after a restart it is rebuilt first).
  await hostsOf(store.currentSession().id);

  let proxyAddresses: string[] = [];
  // Pausing stops recording, never forwarding: the phone keeps working while the tester sets something up.
  let capturePaused = false;
  const capture = {
    get paused() {
      return capturePaused;
    },
    setPaused(paused: boolean) {
      if (paused !== capturePaused) logger.info(paused ? 'capture paused' : 'capture resumed');
      capturePaused = paused;
    },
  };
  const dashboard = new DashboardServer({
    host: options.uiHost,
    port: options.uiPort,
    token: options.token,
    ca,
    setup: () => ({ proxyAddresses, fingerprintSha256: ca.fingerprintSha256 }),
    webRoot: fileURLToPath(new URL('../../web/dist', import.meta.url)),
    logger,
    store,
    version,
    hostsOf,
    startSession,
    capture,
    profiles,
    currentProfiles: () => profiles.current.map((p) => p.profile),
    importHar: (text, sessionName) => importHarInto(store, text, sessionName, profiles.current, options.maxBodyBytes),
  });
  const live = dashboard.live;
  announceSession = (session) => live.sessionChanged(session);
  const dashboardAddress = await dashboard.start().catch((error: Error) => {
    throw new StartError(`dashboard ${options.uiHost}:${options.uiPort}: ${error.message}`);
  });

  const proxy = new InterceptingProxy({
    listenHost: options.listen,
    port: options.port,
    ca,
    certificates: issuer,
    hostMapping,
    passthrough,
    autoPassthrough: options.autoPassthrough,
    upstreamCa,
    insecureUpstream: options.insecureUpstream,
    maxBodyBytes: options.maxBodyBytes,
    upstreamTimeoutMs: options.upstreamTimeoutMs,
    protectedPorts: [dashboardAddress.port],
    clients,
    maxConnections: options.maxConnections ?? 4096,
    ...(options.clientTimeouts ? { clientTimeouts: options.clientTimeouts } : {}),
    sessionId: () => store.currentSession().id,
    logger,
  });

  const record = (captured: CapturedFlow, findings: Finding[], decoded?: { request?: Buffer; response?: Buffer }) => {
    store.addFlow(captured, findings, decoded);
    liveTable(captured.flow.sessionId).addFlow(captured.flow, findings);
    if (captured.flow.sessionId === store.currentSession().id) live.flowAdded(toFlowSummary(captured.flow, findings), findings);
  };
  // Detection runs after forwarding, on the next turn of the event loop, so it never delays a byte.
  proxy.events.on('flow', (captured) => {
    if (capturePaused) {
      captured.release?.();
      return;
    }
    setImmediate(() => {
      try {
        const { findings, decoded } = analyseFlow(captured, profiles.current, options.maxBodyBytes);
        record(captured, findings, decoded);
      } catch (error) {
        logger.error('could not analyse a flow; stored without findings', { flow: captured.flow.id, error: String(error) });
        record(captured, []);
      }
    });
  });
  proxy.events.on('tunnel', (tunnel) => {
    if (capturePaused) return;
    const captured = tunnelAsFlow(tunnel);
    store.addFlow(captured, []);
    liveTable(tunnel.sessionId).addTunnel(tunnel);
    if (tunnel.sessionId === store.currentSession().id) live.flowAdded(toFlowSummary(captured.flow, []), []);
  });
  proxy.events.on('tls-failure', (failure) => {
    const sessionId = store.currentSession().id;
    store.addEvent(sessionId, { type: 'tls-failure', ...failure });
    liveTable(sessionId).addTlsFailure(failure);
    live.tlsFailure({ ...failure });
  });
  proxy.events.on('device', ({ address, time, label }) => {
    store.upsertDevice(address, time, label);
    live.device({ address, time, ...(label ? { label } : {}) });
  });

  let proxyAddress;
  try {
    proxyAddress = await proxy.start();
  } catch (error) {
    await dashboard.stop();
    await store.close();
    throw new StartError(`proxy ${options.listen}:${options.port}: ${(error as Error).message}`);
  }
  proxyAddresses = reachableAddresses(options.listen, proxyAddress.port);
  if (options.insecureUpstream) logger.warn('--insecure-upstream: upstream TLS certificates are NOT verified');
  const uiHostText = dashboardAddress.address.includes(':') ? `[${dashboardAddress.address}]` : dashboardAddress.address;

  let stopped = false;
  return {
    proxyAddress: { host: proxyAddress.address, port: proxyAddress.port },
    proxyAddresses,
    dashboardUrl: `http://${uiHostText}:${dashboardAddress.port}/?token=${options.token}`,
    ca,
    certificates: issuer,
    store,
    proxy,
    async stop() {
      if (stopped) return;
      stopped = true;
      await proxy.stop();
      await dashboard.stop();
      // Let analyses queued with setImmediate reach the store before it closes.
      await new Promise((resolve) => setImmediate(resolve));
      await store.close();
    },
  };
}
