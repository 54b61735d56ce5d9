// The device profile editor: what the tester knows of the test phone (IMEI, numbers, contacts, SMS…). Saved
// profiles apply to the next flows at once; a refusal names the field and the reason, and nothing is half-applied.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api-client.js';
import type { DeviceProfile, ProfileEntry } from '../lib/api-types.js';

/** List fields: one value per line (or comma-separated, except texts that may hold commas). */
const LIST_FIELDS: { key: string; label: string; hint: string; lines?: boolean }[] = [
  { key: 'imei', label: 'IMEI', hint: '865432100123457' },
  { key: 'imsi', label: 'IMSI', hint: '460011234567895' },
  { key: 'iccid', label: 'ICCID', hint: '89860112345678901234' },
  { key: 'meid', label: 'MEID', hint: 'A0000012345678' },
  { key: 'phoneNumbers', label: 'Phone numbers', hint: '+8613812345678' },
  { key: 'androidId', label: 'Android ID', hint: '9f1c2d3e4a5b6c7d' },
  { key: 'advertisingId', label: 'Advertising ID', hint: 'uuid' },
  { key: 'macAddresses', label: 'MAC addresses', hint: 'aa:bb:cc:dd:ee:ff' },
  { key: 'serialNumber', label: 'Serial number', hint: '' },
  { key: 'emails', label: 'E-mail addresses', hint: 'tester@example.com' },
  { key: 'deviceName', label: 'Device name', hint: "Li Wei's Redmi", lines: true },
  { key: 'carrier', label: 'Carrier names and codes', hint: 'China Unicom, 中国联通, 46001' },
  { key: 'wifiSsid', label: 'Wi-Fi SSID', hint: 'HomeNet', lines: true },
  { key: 'wifiBssid', label: 'Wi-Fi BSSID', hint: 'aa:bb:cc:dd:ee:ff' },
  { key: 'sms', label: 'SMS texts (one per line)', hint: 'Meet me at the station at nine', lines: true },
  { key: 'devices', label: 'Applies to client addresses (empty: every device)', hint: '192.168.1.23' },
];

type Draft = Record<string, string>;

function toDraft(deviceProfile: DeviceProfile): Draft {
  // Read field by field through the editor's own list of keys.
  const profile = deviceProfile as Record<string, unknown>;
  const draft: Draft = { name: typeof profile.name === 'string' ? profile.name : '' };
  for (const { key, lines } of LIST_FIELDS) {
    const value = profile[key];
    const list = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
    draft[key] = list.join(lines ? '\n' : ', ');
  }
  const location = profile.location as { lat?: number; lon?: number } | undefined;
  draft.lat = location?.lat !== undefined ? String(location.lat) : '';
  draft.lon = location?.lon !== undefined ? String(location.lon) : '';
  draft.contacts = profile.contacts ? JSON.stringify(profile.contacts, null, 2) : '';
  draft.custom = profile.custom ? JSON.stringify(profile.custom, null, 2) : '';
  return draft;
}

function fromDraft(draft: Draft): Record<string, unknown> {
  const profile: Record<string, unknown> = {};
  if (draft.name?.trim()) profile.name = draft.name.trim();
  for (const { key, lines } of LIST_FIELDS) {
    const values = (draft[key] ?? '').split(lines ? /\n/ : /[\n,]/).map((v) => v.trim()).filter((v) => v !== '');
    if (values.length > 0) profile[key] = values;
  }
  if (draft.lat?.trim() || draft.lon?.trim()) profile.location = { lat: Number(draft.lat), lon: Number(draft.lon) };
  for (const key of ['contacts', 'custom']) {
    const text = draft[key]?.trim();
    if (!text) continue;
    try {
      profile[key] = JSON.parse(text);
    } catch {
      throw Object.assign(new Error(`${key}: not valid JSON`), { field: key });
    }
  }
  return profile;
}

export function ProfileEditor() {
  const [entries, setEntries] = useState<ProfileEntry[] | undefined>();
  const [selected, setSelected] = useState<number | 'new'>('new');
  const [draft, setDraft] = useState<Draft>(toDraft({}));
  const [error, setError] = useState<{ message: string; field?: string } | undefined>();
  const [saved, setSaved] = useState<string | undefined>();

  useEffect(() => {
    api.profiles().then(
      (list) => {
        setEntries(list);
        if (list[0]) {
          setSelected(0);
          setDraft(toDraft(list[0].profile));
        }
      },
      () => setEntries([]),
    );
  }, []);

  const choose = (value: string) => {
    const index = value === 'new' ? 'new' : Number(value);
    setSelected(index);
    setDraft(toDraft(index === 'new' ? {} : (entries?.[index]?.profile ?? {})));
    setError(undefined);
    setSaved(undefined);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setSaved(undefined);
    try {
      const entry = await api.saveProfile(selected === 'new' ? undefined : selected, fromDraft(draft));
      const next = [...(entries ?? [])];
      next[entry.index] = entry;
      setEntries(next);
      setSelected(entry.index);
      setSaved(`Saved to ${entry.source}; new flows are checked against it.`);
    } catch (err) {
      setError({ message: (err as Error).message, field: (err as { field?: string }).field });
    }
  };

  const fieldRoot = error?.field?.split(/[[.]/)[0];
  const field = (key: string, label: string, hint: string, multiline = false) => (
    <label key={key} className={`profile-field${fieldRoot === key ? ' invalid' : ''}`}>
      <span>{label}</span>
      {multiline ? (
        <textarea rows={3} value={draft[key] ?? ''} placeholder={hint} aria-invalid={fieldRoot === key} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
      ) : (
        <input type="text" value={draft[key] ?? ''} placeholder={hint} aria-invalid={fieldRoot === key} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
      )}
    </label>
  );

  return (
    <form className="card profile-editor" aria-label="Device profile" onSubmit={(e) => void save(e)}>
      <div className="capture-row">
        <h2 id="profile-title">Device profile</h2>
        <select aria-label="Profile" value={String(selected)} onChange={(e) => choose(e.target.value)}>
          {(entries ?? []).map((p) => (
            <option key={p.index} value={p.index}>{String(p.profile.name ?? p.source)}</option>
          ))}
          <option value="new">New profile…</option>
        </select>
      </div>
      <p className="muted small">
        What you know of the test phone. Values found in its traffic — plain, encoded or hashed — are high-confidence alerts. Lists: one value per line or comma-separated.
      </p>
      <div className="profile-grid">
        {field('name', 'Name', 'Redmi 1S test unit')}
        {LIST_FIELDS.map((f) => field(f.key, f.label, f.hint, f.lines))}
        {field('lat', 'Latitude', '39.9042')}
        {field('lon', 'Longitude', '116.4074')}
        {field('contacts', 'Contacts (JSON: [{"name","phones":[],"emails":[]}])', '[{"name": "Zhang San", "phones": ["+8613900000000"]}]', true)}
        {field('custom', 'Other values (JSON: [{"label","value"}])', '[{"label": "account id", "value": "u-12345"}]', true)}
      </div>
      <div className="capture-row">
        <button type="submit" className="button primary">
          {selected === 'new' ? 'Create profile' : 'Save profile'}
        </button>
        {error && (
          <span className="error small" role="alert">
            {error.message}
          </span>
        )}
        {saved && (
          <span className="small" role="status">
            {saved}
          </span>
        )}
      </div>
    </form>
  );
}
