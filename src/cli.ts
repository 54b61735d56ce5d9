#!/usr/bin/env node
// Command-line entry: phonehome start | ca | scan. Flags and printed lines are contracts (DESIGN.md "CLI").
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readPackageVersion, startPhonehome, StartError } from './app/phonehome-app.js';
import { createConsoleLogger } from './console-logger.js';
import { CertificateAuthority } from './proxy/certificate-authority.js';
import { runScanCommand } from './scan.js';
import { runImportCommand } from './app/import-command.js';
import { runExportCommand } from './app/export-command.js';
import { runDiffCommand } from './app/diff-command.js';
import { tuneV8ForProxying } from './app/v8-tuning.js';

const USAGE = `phonehome — see which personal identifiers leave a test phone

Usage:
  phonehome start [options]        start the proxy and the dashboard (what npm start runs)
  phonehome ca [--certs DIR]       print the CA certificate's path and SHA-256 fingerprint
  phonehome scan FILE.har [--profile FILE]... [--json]
                                   offline detection over a HAR file
  phonehome import FILE.har [--data DIR] [--session NAME] [--profile FILE]...
                                   a HAR from any tool becomes a new session, analysed like a live one
  phonehome export --data DIR --session ID|NAME|latest --format har|json|csv|html [--redact] --out FILE
                                   write a stored session as HAR 1.2, lossless JSON, CSV (a row per finding)
                                   or a self-contained HTML report
  phonehome diff A B [--data DIR] [--json]
                                   compare two sessions (ids or names): hosts, identifiers, HTTP/TLS, hashing, volumes

start options:
  --port N                 proxy port (default 8080; 0 = a free port)
  --listen ADDR            proxy bind address (default 0.0.0.0)
  --ui-port N              dashboard port (default 8081; 0 = a free port)
  --ui-host ADDR           dashboard bind address (default 127.0.0.1)
  --data DIR               sessions folder (default ./data)
  --certs DIR              CA folder (default ./certs)
  --profile FILE           device profile JSON (repeatable)
  --map-host HOST[:PORT]=ADDR:PORT
                           connect to ADDR:PORT for HOST, keeping HOST for SNI and verification (repeatable)
  --upstream-ca FILE       extra CA trusted for upstream servers (repeatable)
  --insecure-upstream      do not verify upstream TLS certificates
  --passthrough PATTERN    tunnel matching hosts untouched, e.g. '*.apple.com' (repeatable)
  --no-auto-passthrough    keep intercepting hosts whose clients rejected our certificate
  --token TOKEN            dashboard token (env PHONEHOME_TOKEN; random when absent)
  --session NAME           start a new session with this name
  --max-body BYTES         body bytes kept per direction (default 10485760)
  --upstream-timeout SECONDS
                           answer 504 after this long without upstream activity (default 60)
  --allow-clients CIDR     who may use the proxy (repeatable or comma-separated;
                           default loopback and private ranges)
  --proxy-auth USER:PASS   require proxy credentials (env PHONEHOME_PROXY_AUTH); USER labels the device
  --max-connections N      open client connections beyond this are refused (default 4096)
`;

function integer(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new StartError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return Number(value);
}

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' },
      listen: { type: 'string' },
      'ui-port': { type: 'string' },
      'ui-host': { type: 'string' },
      data: { type: 'string' },
      certs: { type: 'string' },
      profile: { type: 'string', multiple: true },
      'map-host': { type: 'string', multiple: true },
      'upstream-ca': { type: 'string', multiple: true },
      'insecure-upstream': { type: 'boolean' },
      passthrough: { type: 'string', multiple: true },
      'no-auto-passthrough': { type: 'boolean' },
      token: { type: 'string' },
      session: { type: 'string' },
      'max-body': { type: 'string' },
      'upstream-timeout': { type: 'string' },
      'allow-clients': { type: 'string', multiple: true },
      'proxy-auth': { type: 'string' },
      'max-connections': { type: 'string' },
    },
  });
  const logger = createConsoleLogger();
  const token = values.token ?? (process.env.PHONEHOME_TOKEN || undefined) ?? randomBytes(24).toString('base64url');
  if (!/^[A-Za-z0-9._~-]{16,}$/.test(token)) throw new StartError('the dashboard token must be at least 16 characters of A-Z a-z 0-9 . _ ~ -');
  tuneV8ForProxying();
  const running = await startPhonehome({
    port: integer(values.port, '--port', 8080, 0, 65535),
    listen: values.listen ?? '0.0.0.0',
    uiPort: integer(values['ui-port'], '--ui-port', 8081, 0, 65535),
    uiHost: values['ui-host'] ?? '127.0.0.1',
    dataDir: resolve(values.data ?? 'data'),
    certsDir: resolve(values.certs ?? 'certs'),
    profileFiles: values.profile ?? [],
    mapHosts: values['map-host'] ?? [],
    upstreamCaFiles: values['upstream-ca'] ?? [],
    insecureUpstream: values['insecure-upstream'] ?? false,
    passthrough: values.passthrough ?? [],
    autoPassthrough: !values['no-auto-passthrough'],
    token,
    sessionName: values.session,
    maxBodyBytes: integer(values['max-body'], '--max-body', 10 * 1024 * 1024, 0, 2 ** 31),
    upstreamTimeoutMs: integer(values['upstream-timeout'], '--upstream-timeout', 60, 1, 3600) * 1000,
    allowClients: (values['allow-clients'] ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== ''),
    proxyAuth: values['proxy-auth'] ?? process.env.PHONEHOME_PROXY_AUTH,
    maxConnections: integer(values['max-connections'], '--max-connections', 4096, 1, 1_000_000),
    logger,
  });
  const { host, port } = running.proxyAddress;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`proxy listening on ${host.includes(':') ? `[${host}]` : host}:${port}`);
  for (const address of running.proxyAddresses) out(`  phone proxy setting: ${address}`);
  out(`dashboard on ${running.dashboardUrl}`);
  out(`CA certificate: ${running.ca.certPath}`);
  out(`  SHA-256 ${running.ca.fingerprintSha256}`);
  out(`  on the phone: open http://phonehome.setup/ through the proxy to install it`);
  out(`session: ${running.store.currentSession().name} (${running.store.currentSession().id})`);

  await new Promise<void>((resolveStop) => {
    const stop = (signal: string) => {
      logger.info(`${signal}: flushing and stopping`);
      running.stop().then(resolveStop, (error: Error) => {
        logger.error('error while stopping', { error: error.message });
        resolveStop();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  // Everything is flushed and closed; idle keep-alive sockets or watchers must not keep the process alive.
  process.exit(0);
}

async function ca(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { certs: { type: 'string' } } });
  const authority = await CertificateAuthority.loadOrCreate(resolve(values.certs ?? 'certs'), createConsoleLogger('warn'));
  process.stdout.write(`${authority.certPath}\nSHA-256 ${authority.fingerprintSha256}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case 'ca':
      return ca(rest);
    case 'scan':
      return runScanCommand(rest, (line) => process.stdout.write(`${line}\n`));
    case 'import':
      return runImportCommand(rest, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
    case 'export':
      return runExportCommand(rest, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
    case 'diff':
      return runDiffCommand(rest, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
    case '--version':
    case 'version':
      process.stdout.write(`${await readPackageVersion()}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`phonehome: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error & { code?: string }) => {
    // Mistakes the user can fix get one clear line; anything else is a bug and keeps its stack.
    if (error instanceof StartError || error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      process.stderr.write(`phonehome: ${error.message}\n`);
    } else {
      process.stderr.write(`phonehome: ${error.stack ?? error.message}\n`);
    }
    process.exitCode = 2;
  },
);
