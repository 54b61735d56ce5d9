// Getting a phone in: the proxy address(es), a QR code with the proxy and the CA URL, CA downloads, short Android
// and iOS steps, and a live "waiting for your phone… connected" indicator.
import { useEffect, useState } from 'react';
import { api } from '../lib/api-client.js';
import type { SetupInfo } from '../lib/api-types.js';
import { useDashboard } from '../lib/dashboard-store.js';
import { formatAgo } from '../lib/format.js';
import { routeHref } from '../lib/hash-route.js';
import { CopyButton } from './copy-button.js';
import { DevicesTable } from './devices-table.js';
import { ProfileEditor } from './profile-editor.js';
import { PageHeader } from './page-header.js';
import { QrCode } from './qr-code.js';

export function SetupView() {
  const { devices, flows } = useDashboard();
  const [info, setInfo] = useState<SetupInfo | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [chosen, setChosen] = useState(0);

  useEffect(() => {
    api.setup().then(setInfo, (e: Error) => setError(e.message));
  }, []);

  const address = info?.proxyAddresses[chosen] ?? info?.proxyAddresses[0];
  const [host, port] = address ? splitHostPort(address) : ['', ''];
  const caUrl = info ? new URL('ca.crt', info.setupHost).href : '';
  const qrText = address ? `phonehome proxy ${address}\nCA certificate: ${caUrl}` : '';
  const connected = [...devices].sort((a, b) => b.lastSeen - a.lastSeen);

  return (
    <section className="view setup" aria-labelledby="setup-title">
      <PageHeader id="setup-title" title="Set up a phone" subtitle="Three steps: proxy, certificate, use the phone." />
      <div className={connected.length ? 'device-status connected' : 'device-status waiting'} role="status" aria-live="polite" data-testid="device-status">
        <span className="pulse" aria-hidden="true" />
        {connected.length === 0 ? (
          <span>Waiting for your phone… set its proxy below; it shows as connected on its first request.</span>
        ) : (
          <span>
            <strong>Connected:</strong>{' '}
            {connected.map((d, i) => (
              <span key={d.address}>
                {i > 0 && ', '}
                <span className="mono">{d.label ? `${d.label} (${d.address})` : d.address}</span> <span className="muted small">{formatAgo(d.lastSeen)}</span>
              </span>
            ))}{' '}
            · <a href={routeHref('flows')}>watch its flows →</a>
          </span>
        )}
      </div>
      {error && <p className="error">{error}</p>}
      <div className="setup-grid">
        <div className="card setup-step">
          <h2><span className="step-no">1</span> Set the phone&apos;s Wi-Fi proxy</h2>
          <p>Same Wi-Fi network as this computer → the network&apos;s settings → Proxy: <strong>Manual</strong>.</p>
          {info && info.proxyAddresses.length > 0 ? (
            <>
              <div className="address-list" role="radiogroup" aria-label="Proxy address">
                {info.proxyAddresses.map((a, i) => (
                  <button key={a} type="button" role="radio" aria-checked={i === chosen} className={i === chosen ? 'address active' : 'address'} onClick={() => setChosen(i)}>
                    <span className="mono">{a}</span>
                  </button>
                ))}
              </div>
              <dl className="facts compact">
                <div><dt>Hostname</dt><dd className="mono" data-testid="proxy-host">{host}</dd></div>
                <div><dt>Port</dt><dd className="mono" data-testid="proxy-port">{port}</dd></div>
              </dl>
              {host.startsWith('127.') && <p className="muted small">127.0.0.1 only works on this computer (or an emulator with <code>adb reverse</code>). Start with <code>--listen 0.0.0.0</code> to let a phone on the LAN in.</p>}
            </>
          ) : (
            <p className="muted">{info ? 'The proxy is not listening yet.' : 'Loading…'}</p>
          )}
        </div>
        <div className="card setup-step qr-card">
          <h2><span className="step-no">2</span> Scan or type</h2>
          {address ? (
            <>
              <QrCode text={qrText} size={196} label={`QR code: proxy ${address}, CA ${caUrl}`} />
              <p className="muted small pre-line">{qrText}</p>
            </>
          ) : (
            <p className="muted">…</p>
          )}
        </div>
        <div className="card setup-step">
          <h2><span className="step-no">3</span> Install the CA certificate</h2>
          <p>
            With the proxy set, open <span className="mono">{info?.setupHost ?? 'http://phonehome.setup/'}</span> on the phone, or download it here:
          </p>
          <div className="button-row">
            <a className="button primary" href="ca.crt" download data-testid="ca-crt">Android · ca.crt</a>
            <a className="button" href="ca.pem" download data-testid="ca-pem">iOS / other · ca.pem</a>
          </div>
          {info && (
            <p className="small">
              SHA-256 fingerprint <CopyButton label="Copy" text={() => info.fingerprintSha256} />
              <br />
              <span className="mono fingerprint">{info.fingerprintSha256}</span>
            </p>
          )}
          <details>
            <summary>Android</summary>
            <ol className="small">
              <li>Settings → Security → Encryption &amp; credentials → Install a certificate → CA certificate → pick ca.crt.</li>
              <li>Android 7+: apps trust user CAs only when they opt in. For every app, use an emulator or rooted phone with the CA as a system certificate.</li>
            </ol>
          </details>
          <details>
            <summary>iPhone / iPad</summary>
            <ol className="small">
              <li>Open the setup page in Safari, download ca.pem and allow the profile.</li>
              <li>Settings → General → VPN &amp; Device Management → install the profile.</li>
              <li>Settings → General → About → Certificate Trust Settings → enable full trust for “phonehome”.</li>
            </ol>
          </details>
        </div>
      </div>
      {devices.length > 0 && (
        <section className="card" aria-labelledby="devices-title">
          <h2 id="devices-title">Devices</h2>
          <DevicesTable devices={devices} flows={flows} />
        </section>
      )}
      <ProfileEditor />
    </section>
  );
}

function splitHostPort(address: string): [string, string] {
  const at = address.lastIndexOf(':');
  if (at < 0) return [address, ''];
  return [address.slice(0, at).replace(/^\[|\]$/g, ''), address.slice(at + 1)];
}
