// Country of a host's server address (offline GeoIP): a code chip and the name; local and private addresses say so.
export function CountryLabel({ code, name }: { code: string; name: string }) {
  const chip = /^[A-Z]{2}$/.test(code) ? code : code === 'LOCAL' ? 'LO' : code === 'PRIVATE' ? 'LAN' : '?';
  const label = code === 'UNKNOWN' ? 'Unknown' : name || code;
  return (
    <span className="country" title={`${label} (${code})`}>
      <span className={`country-chip${chip.length === 2 && chip !== 'LO' ? '' : ' local'}`} aria-hidden="true">{chip}</span>
      <span className="country-name">{label}</span>
    </span>
  );
}
