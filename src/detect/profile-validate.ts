// Device-profile validation (format of DESIGN.md "Device profile"). All fields optional; unknown fields and
// bad values are refused with the field's name and the reason; a profile is never half-loaded.
import type { DeviceProfile, ProfileContact, ProfileLocation } from '../types/profile.js';
import { ProfileError } from './profile-error.js';

type Check = (value: string) => string | undefined;

const digitsOnly = (s: string): string => s.replace(/[\s.-]/g, '');

const checks = {
  imei: (v: string) => {
    const d = digitsOnly(v);
    // No Luhn check: the profile holds what the test unit reports, and emulators and test units report IMEIs
    // with wrong check digits. The pattern tier, which guesses, is where Luhn matters.
    return /^\d{14,16}$/.test(d) ? undefined : 'an IMEI has 15 digits (14 without check digit, 16 as IMEISV)';
  },
  meid: (v: string) => (/^[0-9a-fA-F]{14}$/.test(v.trim()) || /^\d{18}$/.test(v.trim()) ? undefined : 'a MEID has 14 hex digits (or 18 decimal digits)'),
  imsi: (v: string) => (/^\d{6,15}$/.test(digitsOnly(v)) ? undefined : 'an IMSI has up to 15 digits (MCC + MNC + MSIN)'),
  iccid: (v: string) => (/^\d{18,22}[fF]?$/.test(digitsOnly(v)) ? undefined : 'an ICCID has 18 to 22 digits'),
  phone: (v: string) => {
    const d = v.replace(/\D/g, '');
    if (!/^[+\d\s().-]+$/.test(v.trim())) return 'a phone number holds digits, spaces, "+", "-", "." and parentheses only';
    return d.length >= 5 && d.length <= 17 ? undefined : 'a phone number has 5 to 17 digits';
  },
  androidId: (v: string) => (/^[0-9a-fA-F]{8,16}$/.test(v.trim()) ? undefined : 'an Android ID is up to 16 hex digits'),
  // A UUID (AAID, IDFA) or a vendor ID such as an OAID (hex or alphanumeric, dashes allowed).
  adId: (v: string) => (/^[0-9A-Za-z][0-9A-Za-z-]{7,99}$/.test(v.trim()) ? undefined : 'an advertising ID is a UUID (or a vendor ID of 8+ letters and digits)'),
  mac: (v: string) =>
    /^[0-9a-fA-F]{2}([:-]?)[0-9a-fA-F]{2}(?:\1[0-9a-fA-F]{2}){4}$/.test(v.trim()) ? undefined : 'a MAC address has 6 hex octets (aa:bb:cc:dd:ee:ff)',
  email: (v: string) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? undefined : 'not an e-mail address'),
  text: (v: string) => (v.trim().length > 0 ? undefined : 'must not be empty'),
} satisfies Record<string, Check>;

type Spec = { kind: 'one-or-many' | 'many'; check: Check };

const FIELDS: Record<string, Spec | 'special'> = {
  name: 'special',
  devices: 'special',
  imei: { kind: 'one-or-many', check: checks.imei },
  meid: { kind: 'one-or-many', check: checks.meid },
  imsi: { kind: 'one-or-many', check: checks.imsi },
  iccid: { kind: 'one-or-many', check: checks.iccid },
  phoneNumbers: { kind: 'many', check: checks.phone },
  androidId: { kind: 'one-or-many', check: checks.androidId },
  advertisingId: { kind: 'one-or-many', check: checks.adId },
  macAddresses: { kind: 'many', check: checks.mac },
  serialNumber: { kind: 'one-or-many', check: checks.text },
  emails: { kind: 'many', check: checks.email },
  deviceName: { kind: 'one-or-many', check: checks.text },
  carrier: { kind: 'many', check: checks.text },
  location: 'special',
  wifiSsid: { kind: 'one-or-many', check: checks.text },
  wifiBssid: { kind: 'one-or-many', check: checks.mac },
  contacts: 'special',
  sms: { kind: 'many', check: checks.text },
  custom: 'special',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringList(field: string, value: unknown, spec: Spec, src?: string): string[] {
  // A single string where a list is expected is read as a list of one.
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) {
    throw new ProfileError(field, spec.kind === 'many' ? 'must be an array of strings' : 'must be a string or an array of strings', src);
  }
  return list.map((item, i) => {
    const name = `${field}[${i}]`;
    if (typeof item !== 'string') throw new ProfileError(name, 'must be a string', src);
    const why = spec.check(item);
    if (why) throw new ProfileError(name, `${why} (got ${JSON.stringify(item)})`, src);
    return item;
  });
}

function location(field: string, value: unknown, src?: string): ProfileLocation {
  if (!isObject(value)) throw new ProfileError(field, 'must be an object {"lat": …, "lon": …}', src);
  for (const k of Object.keys(value)) if (k !== 'lat' && k !== 'lon') throw new ProfileError(`${field}.${k}`, 'unknown field', src);
  const { lat, lon } = value;
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) throw new ProfileError(`${field}.lat`, 'must be a number from -90 to 90', src);
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) throw new ProfileError(`${field}.lon`, 'must be a number from -180 to 180', src);
  return { lat, lon };
}

/** Validates a parsed JSON profile. Throws ProfileError naming the first bad field; never returns a partial profile. */
export function parseProfile(json: unknown, sourceName?: string): DeviceProfile {
  const src = sourceName;
  if (!isObject(json)) throw new ProfileError('(root)', 'a profile is a JSON object', src);
  const out: DeviceProfile = {};
  const o = out as Record<string, unknown>;
  for (const [field, value] of Object.entries(json)) {
    const spec = FIELDS[field];
    if (spec === undefined) throw new ProfileError(field, 'unknown field', src);
    if (value === null || value === undefined) continue;
    if (spec !== 'special') {
      o[field] = stringList(field, value, spec, src);
      continue;
    }
    switch (field) {
      case 'name':
        if (typeof value !== 'string') throw new ProfileError(field, 'must be a string', src);
        out.name = value;
        break;
      case 'devices':
        out.devices = stringList(field, value, { kind: 'many', check: checks.text }, src).map((d) => d.trim());
        break;
      case 'location':
        out.location = Array.isArray(value) ? value.map((v, i) => location(`location[${i}]`, v, src)) : location(field, value, src);
        break;
      case 'contacts': {
        if (!Array.isArray(value)) throw new ProfileError(field, 'must be an array of {name, phones, emails}', src);
        out.contacts = value.map((c, i): ProfileContact => {
          const f = `contacts[${i}]`;
          if (!isObject(c)) throw new ProfileError(f, 'must be an object {name, phones, emails}', src);
          const contact: ProfileContact = {};
          for (const [k, v] of Object.entries(c)) {
            if (k === 'name') {
              if (typeof v !== 'string') throw new ProfileError(`${f}.name`, 'must be a string', src);
              contact.name = v;
            } else if (k === 'phones') contact.phones = stringList(`${f}.phones`, v, { kind: 'many', check: checks.phone }, src);
            else if (k === 'emails') contact.emails = stringList(`${f}.emails`, v, { kind: 'many', check: checks.email }, src);
            else throw new ProfileError(`${f}.${k}`, 'unknown field', src);
          }
          if (!contact.name && !contact.phones?.length && !contact.emails?.length) throw new ProfileError(f, 'a contact needs a name, a phone or an e-mail', src);
          return contact;
        });
        break;
      }
      case 'custom': {
        if (!Array.isArray(value)) throw new ProfileError(field, 'must be an array of {label, value}', src);
        out.custom = value.map((c, i) => {
          const f = `custom[${i}]`;
          if (!isObject(c)) throw new ProfileError(f, 'must be an object {label, value}', src);
          for (const k of Object.keys(c)) if (k !== 'label' && k !== 'value') throw new ProfileError(`${f}.${k}`, 'unknown field', src);
          if (typeof c.label !== 'string' || c.label.trim() === '') throw new ProfileError(`${f}.label`, 'must be a non-empty string', src);
          if (typeof c.value !== 'string' || c.value.trim().length < 4) throw new ProfileError(`${f}.value`, 'must be a string of at least 4 characters', src);
          return { label: c.label, value: c.value };
        });
        break;
      }
    }
  }
  return out;
}
