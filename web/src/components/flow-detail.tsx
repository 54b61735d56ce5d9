// One exchange in full: findings first (what left the phone, where, in which encoding), then request and
// response headers and bodies as text with each finding highlighted in place. Bodies are fetched on demand.
import { useEffect, useState } from 'react';
import { api } from '../lib/api-client.js';
import type { Finding, Flow } from '../lib/api-types.js';
import { curlCommand } from '../lib/curl-command.js';
import { needlesFor, type Needle } from '../lib/finding-needles.js';
import { formatBytes, formatDateTime, formatDuration } from '../lib/format.js';
import { kindLabel } from '../lib/kinds.js';
import { BodyView, useBody } from './body-view.js';
import { CopyButton } from './copy-button.js';
import { DecodedLayers } from './decoded-layers.js';
import { HeadersTable } from './headers-table.js';
import { HighlightedText } from './highlighted-text.js';
import { KindBadge } from './kind-badge.js';
import { TimingBar } from './timing-bar.js';
import { TransportIcon } from './transport-icon.js';
import { WebSocketMessages } from './websocket-messages.js';

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; flow: Flow; findings: Finding[] };

export function FlowDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [needles, setNeedles] = useState<Needle[]>([]);
  const [tab, setTab] = useState<'request' | 'response' | 'messages' | 'layers'>('request');

  useEffect(() => {
    let cancelled = false;
    setLoaded({ state: 'loading' });
    api.flow(id).then(
      async ({ flow, findings }) => {
        const n = await needlesFor(findings);
        if (cancelled) return;
        setNeedles(n);
        setLoaded({ state: 'ready', flow, findings });
      },
      (error: Error) => !cancelled && setLoaded({ state: 'error', message: error.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [id]);

  const requestBody = useBody(id, 'request', loaded.state === 'ready' && loaded.flow.request.body.captured > 0);
  const responseBody = useBody(id, 'response', loaded.state === 'ready' && (loaded.flow.response?.body.captured ?? 0) > 0);

  return (
    <aside className="detail" aria-label="Flow detail" data-flow-id={id}>
      <div className="detail-head">
        <h2 className="detail-title">Flow detail</h2>
        <button type="button" className="icon-button" aria-label="Close detail (Esc)" onClick={onClose}>
          ✕
        </button>
      </div>
      {loaded.state === 'loading' && <p className="pad muted">Loading…</p>}
      {loaded.state === 'error' && <p className="pad error">{loaded.message}</p>}
      {loaded.state === 'ready' && (
        <div className="detail-body">
          <div className="detail-url">
            <TransportIcon scheme={loaded.flow.scheme} tunnel={loaded.flow.kind === 'tunnel'} />
            <span className={`method method-${loaded.flow.request.method.toLowerCase()}`}>{loaded.flow.request.method}</span>
            <span className="mono url-text">
              <HighlightedText text={loaded.flow.request.url} needles={needles} />
            </span>
          </div>
          <dl className="facts">
            <div><dt>Status</dt><dd>{loaded.flow.response ? `${loaded.flow.response.status} ${loaded.flow.response.statusText}` : loaded.flow.error ? <span className="error">{loaded.flow.error.code}: {loaded.flow.error.message}</span> : '—'}</dd></div>
            <div><dt>Started</dt><dd>{formatDateTime(loaded.flow.startedAt)}</dd></div>
            <div><dt>Duration</dt><dd>{formatDuration(loaded.flow.timings.total)}</dd></div>
            <div><dt>Device</dt><dd className="mono">{loaded.flow.device}</dd></div>
            <div><dt>Server</dt><dd className="mono">{loaded.flow.serverIp ? `${loaded.flow.serverIp.includes(':') ? `[${loaded.flow.serverIp}]` : loaded.flow.serverIp}:${loaded.flow.port}` : `port ${loaded.flow.port}`}</dd></div>
            <div><dt>TLS</dt><dd>{loaded.flow.scheme === 'http' ? <span className="error">none — plain HTTP</span> : [loaded.flow.tls?.protocol, loaded.flow.tls?.sni && `SNI ${loaded.flow.tls.sni}`].filter(Boolean).join(' · ') || 'yes'}</dd></div>
          </dl>
          <TimingBar timings={loaded.flow.timings} />
          <div className="detail-actions">
            <CopyButton label="Copy as cURL" text={() => curlCommand(loaded.flow, requestBody.state === 'ready' && requestBody.body.kind !== 'binary' ? requestBody.rawText : undefined)} />
            <CopyButton label="Copy URL" text={() => loaded.flow.request.url} />
          </div>

          {loaded.findings.length > 0 && (
            <section className="detail-section" aria-label="Findings in this flow">
              <h3>Identifiers found <span className="muted">({loaded.findings.length})</span></h3>
              <ul className="finding-list">
                {loaded.findings.map((f) => (
                  <li key={f.id} className={`finding-item conf-${f.confidence}`}>
                    <KindBadge kind={f.kind} plaintext={f.plaintext} />
                    <span className="mono finding-value">{f.value}</span>
                    <span className="finding-where">in <code>{f.where}</code></span>
                    {f.encodings.length > 0 && (
                      <span className="chain" title="Encodings undone to find it, outermost first">
                        {f.encodings.map((e, i) => (
                          <span key={i} className="chain-step">{e}</span>
                        ))}
                      </span>
                    )}
                    <span className={`confidence conf-${f.confidence}`} title={f.explanation ?? `${f.source} match`}>{f.confidence}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}

          <div className="tabs" role="tablist" aria-label="Request or response">
            <button type="button" role="tab" aria-selected={tab === 'request'} className={tab === 'request' ? 'tab active' : 'tab'} onClick={() => setTab('request')}>
              Request <span className="muted small">{formatBytes(loaded.flow.request.body.size)}</span>
            </button>
            <button type="button" role="tab" aria-selected={tab === 'response'} className={tab === 'response' ? 'tab active' : 'tab'} onClick={() => setTab('response')}>
              Response <span className="muted small">{loaded.flow.response ? formatBytes(loaded.flow.response.body.size) : '—'}</span>
            </button>
            <button type="button" role="tab" aria-selected={tab === 'layers'} className={tab === 'layers' ? 'tab active' : 'tab'} onClick={() => setTab('layers')}>
              Decoded layers
            </button>
            {loaded.flow.webSocket && (
              <button type="button" role="tab" aria-selected={tab === 'messages'} className={tab === 'messages' ? 'tab active' : 'tab'} onClick={() => setTab('messages')}>
                Messages <span className="muted small">{loaded.flow.webSocket.messages.length}</span>
              </button>
            )}
          </div>
          {tab === 'layers' ? (
            <div role="tabpanel" aria-label="Decoded layers">
              <DecodedLayers flowId={loaded.flow.id} needles={needles} />
            </div>
          ) : tab === 'messages' && loaded.flow.webSocket ? (
            <div role="tabpanel" aria-label="WebSocket messages">
              <WebSocketMessages messages={loaded.flow.webSocket.messages} needles={needles} />
            </div>
          ) : tab === 'request' ? (
            <div role="tabpanel" aria-label="Request">
              <section className="detail-section">
                <h3>Headers</h3>
                <HeadersTable headers={loaded.flow.request.headers} needles={needles} />
              </section>
              <section className="detail-section">
                <h3>Body</h3>
                <BodyView body={requestBody} info={loaded.flow.request.body} needles={needles} />
              </section>
            </div>
          ) : (
            <div role="tabpanel" aria-label="Response">
              {loaded.flow.response ? (
                <>
                  <section className="detail-section">
                    <h3>Headers</h3>
                    <HeadersTable headers={loaded.flow.response.headers} needles={needles} />
                  </section>
                  <section className="detail-section">
                    <h3>Body</h3>
                    <BodyView body={responseBody} info={loaded.flow.response.body} needles={needles} />
                  </section>
                </>
              ) : (
                <p className="muted pad">No response{loaded.flow.error ? ` (${loaded.flow.error.code})` : ''}.</p>
              )}
            </div>
          )}
          {loaded.findings.length === 0 && loaded.flow.kind !== 'tunnel' && (
            <p className="muted small pad">No identifiers found in this flow. {kindLabel('imei')}s, phone numbers and the rest show here, highlighted, when the phone sends them.</p>
          )}
        </div>
      )}
    </aside>
  );
}
