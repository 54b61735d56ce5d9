// Profile values as search targets: each with its kind, the value to report, and the spellings it may travel in.
import type { DeviceProfile, ProfileLocation } from '../types/profile.js';
import type { FindingKind } from '../types/finding.js';
import { find as findOperator } from 'mcc-mnc-list';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { phoneForms } from './phone-forms.js';

export interface Target {
  kind: FindingKind;
  /** The value reported in a finding (as the profile holds it). */
  value: string;
  /** Profile field or custom label, for the explanation. */
  field: string;
  label?: string;
  /** Spellings to search for as they are (and in their text encodings). */
  forms: string[];
  /** Spellings to search for as MD5/SHA-1/SHA-256 digests. */
  hashForms: string[];
  /** Free text (names, SSIDs, SMS): matched on word boundaries, not identifier boundaries. */
  freeText?: boolean;
  /** The forms are slices of a longer text (SMS): matched without boundaries. */
  chunked?: boolean;
  /** A short CJK word (a name): not matched inside a longer CJK text. */
  cjkWord?: boolean;
}

export interface LocationTarget {
  value: string;
  lat: number;
  lon: number;
}

const list = (v: string[] | string | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const uniq = (xs: string[]): string[] => [...new Set(xs.filter((x) => x !== ''))];
const caseForms = (xs: string[]): string[] => uniq(xs.flatMap((x) => [x, x.toLowerCase(), x.toUpperCase()]));

function macForms(mac: string): string[] {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  const octets = hex.match(/../g) ?? [];
  const out: string[] = [];
  for (const sep of [':', '-', '']) {
    const s = octets.join(sep);
    out.push(s, s.toUpperCase());
  }
  return uniq(out);
}

/** The region phone numbers without a country code belong to: the phone's own number, else the IMSI's MCC. */
export function defaultRegion(p: DeviceProfile): string | undefined {
  for (const n of p.phoneNumbers ?? []) {
    const parsed = parsePhoneNumberFromString(n);
    if (parsed?.country) return parsed.country;
  }
  for (const code of [...list(p.imsi), ...(p.carrier ?? []).filter((c) => /^\d{5,6}$/.test(c.trim()))]) {
    const imsi = code.trim();
    try {
      const op = findOperator({ mcc: imsi.slice(0, 3) });
      if (op?.countryCode) return op.countryCode.slice(0, 2).toUpperCase();
    } catch {
      // not in the table
    }
  }
  return undefined;
}

function textChunks(text: string): string[] {
  const chars = [...text.trim()];
  if (chars.length <= 16) return [chars.join('')];
  const out = [chars.slice(0, 12).join('')];
  for (const start of [Math.floor(chars.length / 3), Math.floor((2 * chars.length) / 3) - 8]) {
    out.push(chars.slice(start, start + 16).join(''));
  }
  out.push(chars.slice(-16).join(''));
  return uniq(out);
}

export function profileTargets(p: DeviceProfile): { targets: Target[]; locations: LocationTarget[] } {
  const t: Target[] = [];
  const region = defaultRegion(p);
  for (const v of list(p.imei)) {
    const d = v.replace(/\D/g, '');
    const grouped = d.length === 15 ? [`${d.slice(0, 2)}-${d.slice(2, 8)}-${d.slice(8, 14)}-${d.slice(14)}`, `${d.slice(0, 8)} ${d.slice(8, 14)} ${d.slice(14)}`] : [];
    t.push({ kind: 'imei', value: d, field: 'imei', forms: uniq([d, d.length === 15 ? d.slice(0, 14) : '', ...grouped]), hashForms: [d] });
  }
  for (const v of list(p.meid)) {
    const h = v.trim();
    const forms = [h.toLowerCase()];
    if (/^[0-9a-fA-F]{14}$/.test(h)) {
      const dec = String(parseInt(h.slice(0, 8), 16)).padStart(10, '0') + String(parseInt(h.slice(8), 16)).padStart(8, '0');
      forms.push(dec);
    }
    t.push({ kind: 'meid', value: h, field: 'meid', forms: uniq(forms), hashForms: caseForms([h]) });
  }
  for (const v of list(p.imsi)) {
    const d = v.replace(/\D/g, '');
    t.push({ kind: 'imsi', value: d, field: 'imsi', forms: [d], hashForms: [d] });
  }
  for (const v of list(p.iccid)) {
    const d = v.replace(/[^\dfF]/g, '');
    const digits = d.replace(/[fF]/g, '');
    const padded = digits.length % 2 ? `${digits}F` : digits;
    const swapped = (padded.match(/../g) ?? []).map((pair) => pair[1]! + pair[0]!).join('');
    t.push({ kind: 'iccid', value: digits, field: 'iccid', forms: uniq([digits, swapped.toLowerCase()]), hashForms: [digits] });
  }
  for (const v of p.phoneNumbers ?? []) {
    const f = phoneForms(v, region);
    t.push({ kind: 'phone_number', value: f.e164 ?? v, field: 'phoneNumbers', forms: f.forms, hashForms: f.hashForms });
  }
  for (const v of list(p.androidId)) {
    const h = v.trim().toLowerCase();
    t.push({ kind: 'android_id', value: h, field: 'androidId', forms: uniq([h, h.replace(/^0+/, '')]), hashForms: caseForms([h]) });
  }
  for (const v of list(p.advertisingId)) {
    const h = v.trim().toLowerCase();
    const dashed = h.includes('-') || !/^[0-9a-f]{32}$/.test(h) ? h : h.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    const nodash = dashed.replace(/-/g, '');
    t.push({ kind: 'advertising_id', value: dashed, field: 'advertisingId', forms: uniq([dashed, nodash]), hashForms: caseForms([dashed, nodash]) });
  }
  for (const v of p.macAddresses ?? []) {
    const forms = macForms(v);
    t.push({ kind: 'mac_address', value: forms[0] ?? v, field: 'macAddresses', forms, hashForms: forms });
  }
  for (const v of list(p.wifiBssid)) {
    const forms = macForms(v);
    t.push({ kind: 'wifi_bssid', value: forms[0] ?? v, field: 'wifiBssid', forms, hashForms: forms });
  }
  for (const v of list(p.serialNumber)) t.push({ kind: 'serial_number', value: v.trim(), field: 'serialNumber', forms: [v.trim()], hashForms: caseForms([v.trim()]) });
  for (const v of p.emails ?? []) {
    const e = v.trim();
    t.push({ kind: 'email', value: e.toLowerCase(), field: 'emails', forms: [e.toLowerCase()], hashForms: uniq([e.toLowerCase(), e]) });
  }
  for (const v of list(p.deviceName)) t.push({ kind: 'device_name', value: v, field: 'deviceName', forms: [v.trim()], hashForms: [v.trim()], freeText: true });
  for (const v of p.carrier ?? []) t.push({ kind: 'carrier', value: v, field: 'carrier', forms: [v.trim()], hashForms: [], freeText: !/^\d+$/.test(v.trim()) });
  for (const v of list(p.wifiSsid)) t.push({ kind: 'wifi_ssid', value: v, field: 'wifiSsid', forms: [v], hashForms: [v], freeText: true });
  for (const c of p.contacts ?? []) {
    const name = c.name?.trim() ?? '';
    for (const ph of c.phones ?? []) {
      const f = phoneForms(ph, region);
      t.push({ kind: 'contact', value: name ? `${name} (${ph})` : ph, field: 'contacts', forms: f.forms, hashForms: f.hashForms });
    }
    for (const e of c.emails ?? []) {
      t.push({ kind: 'contact', value: name ? `${name} <${e}>` : e, field: 'contacts', forms: [e.trim().toLowerCase()], hashForms: uniq([e.trim().toLowerCase(), e.trim()]) });
    }
    // A name alone: CJK names from 2 characters, others from 4 (on word boundaries).
    const cjk = /^[\u3400-\u9fff\uf900-\ufaff·•]+$/.test(name);
    if ([...name].length >= (cjk ? 2 : 4)) t.push({ kind: 'contact', value: name, field: 'contacts', forms: [name], hashForms: [], freeText: true, cjkWord: cjk });
  }
  for (const s of p.sms ?? []) t.push({ kind: 'sms_text', value: s, field: 'sms', forms: textChunks(s), hashForms: [s.trim()], freeText: true, chunked: true });
  for (const c of p.custom ?? []) t.push({ kind: 'custom', value: c.value, field: 'custom', label: c.label, forms: [c.value.trim()], hashForms: caseForms([c.value.trim()]) });

  const locs: ProfileLocation[] = p.location === undefined ? [] : Array.isArray(p.location) ? p.location : [p.location];
  const locations = locs.map((l) => ({ value: `${l.lat},${l.lon}`, lat: l.lat, lon: l.lon }));
  return { targets: t, locations };
}
