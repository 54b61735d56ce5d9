// The benchmark's test phone: a 30-value device profile (DESIGN.md "Device profile") with plausible values (valid
// IMEI check digits, a real MCC/MNC, a Beijing location), and request bodies that carry some of them, so detection
// has real findings to make on every flow.

/** 30 values: 2 IMEIs, IMSI, ICCID, number, Android ID, advertising ID, 2 MACs, serial, e-mail, device name,
 *  3 carrier forms, location, SSID, BSSID, 4 contact names + 4 contact numbers + 1 contact e-mail, 2 SMS, 1 custom. */
export const BENCH_PROFILE = {
  name: 'bench phone (Redmi Note 12)',
  imei: ['868828661312806', '868828661312814'],
  imsi: '460017735426822',
  iccid: '89860133467201678333',
  phoneNumbers: ['+8613293757218'],
  androidId: '112ca0203c694fb2',
  advertisingId: '6d6e616d-def4-4513-b572-07b0376bd912',
  macAddresses: ['0c:1d:af:43:ef:59', '28:e3:1f:01:10:6a'],
  serialNumber: 'a3f8c21d',
  emails: ['wangwei1987@example.com'],
  deviceName: '王伟的红米手机',
  carrier: ['China Unicom', '中国联通', '46001'],
  location: { lat: 39.9774, lon: 116.2874 },
  wifiSsid: 'TP-LINK_156F',
  wifiBssid: 'f4:f2:6d:18:ac:93',
  contacts: [
    { name: '张伟', phones: ['182 4147 2272'] },
    { name: '李娜', phones: ['+86 138-2907-8682'], emails: ['lina.bj@example.org'] },
    { name: '刘洋', phones: ['17734121698'] },
    { name: 'David Miller', phones: ['+1 650-555-0149'] },
  ],
  sms: ['妈，我周六晚上回家吃饭，记得给我留点饺子。', 'Running late, the traffic on the Third Ring Road is terrible tonight.'],
  custom: [{ label: 'account', value: '2151796785' }],
};

/** The small GET: an analytics ping whose query carries the Android ID. */
export const SMALL_PATH = '/small?app=com.example.weather&ver=3.2.1&lang=zh_CN&aid=112ca0203c694fb2';

/** A 4,096-byte JSON telemetry upload carrying the IMEI, the carrier and a Wi-Fi BSSID among ordinary events. */
export function postBody(size = 4096): Buffer {
  const events = [];
  for (let i = 0; i < 40; i++) events.push({ ev: ['app_open', 'screen_view', 'click', 'scroll'][i % 4], ts: 1764085000000 + i * 1375, screen: `main/tab${i % 5}` });
  const base = { common: { os: 'android', osv: '13', model: '23021RAAEG', imei: '868828661312806', carrier: '中国联通', bssid: 'f4:f2:6d:18:ac:93' }, events, pad: '' };
  const without = Buffer.byteLength(JSON.stringify(base));
  if (without > size) throw new Error(`post body template is ${without} bytes, more than ${size}`);
  base.pad = 'x'.repeat(size - without);
  const body = Buffer.from(JSON.stringify(base));
  if (body.length !== size) throw new Error(`post body is ${body.length} bytes, not ${size}`);
  return body;
}
