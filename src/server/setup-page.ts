// The dashboard's setup page (no token needed): the proxy addresses a phone can use and the CA downloads.
import { escapeHtml } from '../proxy/html-escape.js';

export interface SetupPageInfo {
  proxyAddresses: string[];
  fingerprintSha256: string;
}

export function renderSetupPage(info: SetupPageInfo): string {
  const addresses = info.proxyAddresses.map((a) => `<li><code>${escapeHtml(a)}</code></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>phonehome · set up a phone</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44em;margin:2em auto;padding:0 1em}code{font-size:.95em}</style>
</head><body>
<h1>Set up a phone</h1>
<ol>
<li>Connect the phone to the same Wi-Fi network as this computer.</li>
<li>In the Wi-Fi network's settings set a manual proxy to one of:<ul>${addresses}</ul></li>
<li>On the phone, open <code>http://phonehome.setup/</code> and install the certificate
(or download it here: <a href="/ca.crt">ca.crt</a> for Android, <a href="/ca.pem">ca.pem</a> for iOS).</li>
<li>Android: Settings → Security → Install a certificate → CA certificate. Apps on Android 7+ only trust it when they opt in;
use an emulator or a rooted device with the CA as a system certificate to see every app.<br>
iOS: install the downloaded profile, then Settings → General → About → Certificate Trust Settings → enable full trust.</li>
</ol>
<p>CA SHA-256 fingerprint: <code>${escapeHtml(info.fingerprintSha256)}</code></p>
</body></html>
`;
}
