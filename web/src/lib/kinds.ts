// Human names for finding kinds (DESIGN.md "Finding") and their severity for ordering badges.
export const KIND_LABELS: Record<string, string> = {
  imei: 'IMEI',
  meid: 'MEID',
  imsi: 'IMSI',
  iccid: 'ICCID',
  phone_number: 'Phone number',
  android_id: 'Android ID',
  advertising_id: 'Advertising ID',
  mac_address: 'MAC address',
  serial_number: 'Serial number',
  email: 'E-mail',
  location: 'Location',
  wifi_ssid: 'Wi-Fi SSID',
  wifi_bssid: 'Wi-Fi BSSID',
  cell_id: 'Cell ID',
  carrier: 'Carrier',
  contact: 'Contact',
  sms_text: 'SMS text',
  device_name: 'Device name',
  credential: 'Credential',
  credit_card: 'Credit card',
  custom: 'Custom',
};

/** Hardware and subscriber identifiers first: they follow a person across apps and resets. */
const ORDER = ['imei', 'meid', 'imsi', 'iccid', 'phone_number', 'sms_text', 'contact', 'location', 'credential', 'credit_card', 'email', 'serial_number', 'mac_address', 'android_id', 'advertising_id', 'wifi_bssid', 'wifi_ssid', 'cell_id', 'carrier', 'device_name', 'custom'];

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

export function kindRank(kind: string): number {
  const i = ORDER.indexOf(kind);
  return i < 0 ? ORDER.length : i;
}

export function sortKinds(kinds: readonly string[]): string[] {
  return [...kinds].sort((a, b) => kindRank(a) - kindRank(b));
}

/** Severity tier for colour: identifiers of the phone or the person (red), of the network (amber), other (blue). */
export function kindTier(kind: string): 'critical' | 'warning' | 'info' {
  if (['imei', 'meid', 'imsi', 'iccid', 'phone_number', 'sms_text', 'contact', 'location', 'credential', 'credit_card'].includes(kind)) return 'critical';
  if (['email', 'serial_number', 'mac_address', 'android_id', 'advertising_id', 'wifi_bssid'].includes(kind)) return 'warning';
  return 'info';
}
