// Lock for TLS, open lock (red) for plain HTTP, arrows for TLS passed through undecrypted.
import { Icon } from './icon.js';

export function TransportIcon({ scheme, tunnel }: { scheme: 'http' | 'https'; tunnel?: boolean }) {
  if (tunnel)
    return (
      <span className="transport tunnel" title="TLS passed through (not decrypted)">
        <Icon name="tunnel" label="passed through" />
      </span>
    );
  if (scheme === 'http')
    return (
      <span className="transport plain" title="Plain HTTP: anyone on the path can read it">
        <Icon name="unlock" label="plain HTTP" />
      </span>
    );
  return (
    <span className="transport tls" title="HTTPS (decrypted by phonehome)">
      <Icon name="lock" label="HTTPS" />
    </span>
  );
}
