// The country of a server address, offline (geoip-country: geoip-lite's country-only data, ~20 MB of RSS
// where geoip-lite's city data costs ~150 MB). Private, loopback and link-local addresses say what they are.
import { createRequire } from 'node:module';
import net from 'node:net';

interface GeoipCountry {
  lookup(ip: string): { country: string; name?: string } | null;
}

const require = createRequire(import.meta.url);
let geoip: GeoipCountry | undefined;

export interface CountryInfo {
  /** ISO 3166-1 alpha-2, or a marker for addresses that have no country. */
  code: string;
  name: string;
}

const LOOPBACK: CountryInfo = { code: 'LOCAL', name: 'This machine (loopback)' };
const PRIVATE: CountryInfo = { code: 'PRIVATE', name: 'Private network' };
const UNKNOWN: CountryInfo = { code: 'UNKNOWN', name: 'Unknown' };

export function countryOf(address: string | undefined): CountryInfo {
  if (!address || net.isIP(address) === 0) return UNKNOWN;
  const ip = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  const special = specialRange(ip);
  if (special) return special;
  geoip ??= require('geoip-country') as GeoipCountry;
  const hit = geoip.lookup(ip);
  return hit ? { code: hit.country, name: hit.name ?? hit.country } : UNKNOWN;
}

function specialRange(ip: string): CountryInfo | undefined {
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    if (a === 127 || a === 0) return LOOPBACK;
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)) {
      return PRIVATE;
    }
    return undefined;
  }
  const lower = ip.toLowerCase();
  if (lower === '::1' || lower === '::') return LOOPBACK;
  if (/^f[cd]/.test(lower) || /^fe[89ab]/.test(lower)) return PRIVATE;
  return undefined;
}
