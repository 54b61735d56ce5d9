// The filter syntax, with clickable examples.
const EXAMPLES: [string, string][] = [
  ['host:xiaomi', 'host contains “xiaomi” (host:=a.b.c for exactly that host)'],
  ['kind:imei', 'carried an IMEI (kind:any for any identifier)'],
  ['plaintext', 'sent over plain HTTP (tls for HTTPS only)'],
  ['method:POST', 'request method'],
  ['status:4xx', 'status class; also status:404, status:>=400, status:error'],
  ['device:192.168.1.23', 'from one phone'],
  ['-host:google', 'a leading “-” negates any term'],
  ['upload', 'free text in host or path'],
];

export function FilterHelp({ onPick }: { onPick: (text: string) => void }) {
  return (
    <div className="filter-help" role="note">
      <strong>Filter syntax</strong> — all terms must match.
      <dl>
        {EXAMPLES.map(([term, text]) => (
          <div key={term}>
            <dt>
              <button type="button" className="link-button" onClick={() => onPick(term)}>
                <code>{term}</code>
              </button>
            </dt>
            <dd>{text}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
