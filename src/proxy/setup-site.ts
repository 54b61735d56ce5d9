// http://phonehome.setup/ through the proxy (and the proxy port opened directly): the CA downloads a phone needs
// before HTTPS interception can work. Deliberately minimal: no script, no external resources.
import type { ServerResponse } from 'node:http';

export const SETUP_HOST = 'phonehome.setup';

export interface SetupCertificate {
  certPem: string;
  certDer: Buffer;
  fingerprintSha256: string;
}

const PAGE_STYLE = 'body{font:17px/1.5 system-ui,sans-serif;max-width:36em;margin:1.5em auto;padding:0 1em;color:#1d1d1f}' +
  'a.button{display:block;margin:.6em 0;padding:.8em 1em;border-radius:10px;background:#0b5cff;color:#fff;text-decoration:none;text-align:center}' +
  'code{word-break:break-all;font-size:.85em}ol{padding-left:1.2em}';

function page(ca: SetupCertificate): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>phonehome setup</title><style>${PAGE_STYLE}</style></head><body>
<h1>phonehome: install the certificate</h1>
<p>This phone's traffic goes through phonehome. To let it see HTTPS, install and trust its certificate authority.</p>
<a class="button" href="/ca.crt">Android: download ca.crt</a>
<a class="button" href="/ca.pem">iPhone / other: download ca.pem</a>
<h2>Android</h2>
<ol><li>Download <b>ca.crt</b> above.</li><li>Settings → Security → Encryption &amp; credentials → Install a certificate → CA certificate.</li>
<li>Android 7+ apps trust user CAs only when they opt in: for all apps use an emulator or a rooted device with the CA installed as a system certificate.</li></ol>
<h2>iPhone</h2>
<ol><li>Download <b>ca.pem</b> in Safari and allow the profile.</li><li>Settings → General → VPN &amp; Device Management → install the profile.</li>
<li>Settings → General → About → Certificate Trust Settings → enable full trust for "phonehome CA".</li></ol>
<p>SHA-256 fingerprint:<br><code>${ca.fingerprintSha256}</code></p>
</body></html>
`;
}

/** Answers a request for the setup site; path is the request's path (the URL may be absolute-form). */
export function serveSetupSite(path: string, res: ServerResponse, ca: SetupCertificate): void {
  path = path.split('?')[0] ?? '/';
  const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  if (path === '/ca.pem') {
    res.writeHead(200, { ...headers, 'content-type': 'application/x-pem-file', 'content-disposition': 'attachment; filename="phonehome-ca.pem"' });
    res.end(ca.certPem);
  } else if (path === '/ca.crt') {
    res.writeHead(200, { ...headers, 'content-type': 'application/x-x509-ca-cert', 'content-disposition': 'attachment; filename="phonehome-ca.crt"' });
    res.end(ca.certDer);
  } else if (path === '/' || path === '/index.html') {
    res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
    res.end(page(ca));
  } else {
    res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found. Open http://phonehome.setup/ for the certificate downloads.\n');
  }
}
