// The page the phone sees when the proxy cannot complete its request: readable, naming the cause and the host.
// Everything interpolated is escaped: hostnames and messages come from the network.

import { escapeHtml } from './html-escape.js';

export interface ErrorPageContent {
  status: number;
  title: string;
  host: string;
  detail: string;
}

export function renderErrorPage(page: ErrorPageContent): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${page.status} ${escapeHtml(page.title)} · phonehome</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.3em}code{background:#f2f2f2;padding:0 .3em;border-radius:3px}.muted{color:#666;font-size:.9em}</style>
</head><body>
<h1>${page.status} · ${escapeHtml(page.title)}</h1>
<p>phonehome could not complete this request to <code>${escapeHtml(page.host)}</code>.</p>
<p>${escapeHtml(page.detail)}</p>
<p class="muted">This page comes from the phonehome proxy, not from the site. The attempt is recorded in the dashboard.</p>
</body></html>
`;
}
