// Key names that identify what a value is, per kind (normalised: lower case, letters and digits only).
// Short SDK names (ii, mobilekey, sim…) come from ReCon's learned key→type map.

const set = (...names: string[]): ReadonlySet<string> => new Set(names);

export const IMEI_KEYS = set('imei', 'deviceimei', 'imeiid', 'imeinum', 'imeino', 'ii', 'mobilekey', 'meid', 'imeimd5', 'hardwareid', 'deviceid', 'did', 'udid', 'uniqueid', 'telephonydeviceid');
export const IMSI_KEYS = set('imsi', 'subscriberid', 'imsiid', 'simimsi', 'imsino');
export const ICCID_KEYS = set('iccid', 'sim', 'simserial', 'simserialnumber', 'simsn', 'simid', 'iccidno', 'icc');
export const PHONE_KEYS = set('phone', 'phoneno', 'phonenum', 'phonenumber', 'mobile', 'mobileno', 'mobilenum', 'mobilenumber', 'mobilephone', 'msisdn', 'tel', 'telno', 'telephone', 'cellphone', 'line1number', 'mdn', 'bindphone', 'userphone', 'contactphone', 'cellnumber', 'smsto', 'address');
export const EMAIL_KEYS = set('email', 'mail', 'emailaddress', 'useremail', 'primaryemail', 'account', 'accountname', 'user', 'username', 'login', 'loginname', 'uid', 'userid', 'contactemail');
export const MAC_KEYS = set('mac', 'macaddress', 'macaddr', 'wifimac', 'wlanmac', 'btmac', 'bluetoothmac', 'bluetoothaddress', 'mc', 'hwaddr', 'ethmac', 'devicemac', 'localmac');
export const BSSID_KEYS = set('bssid', 'wifibssid', 'apmac', 'routermac', 'apbssid', 'connectedbssid');
export const ADID_KEYS = set('adid', 'gaid', 'aaid', 'advertisingid', 'advertiserid', 'googleadid', 'gpsadid', 'idfa', 'oaid', 'adtrackingid', 'advid', 'adsid', 'googleaid', 'msaoaid');
export const ANDROID_ID_KEYS = set('androidid', 'ssaid', 'andid', 'aid', 'secureandroidid', 'androiduuid', 'adrid', 'androididmd5');
export const LAT_KEYS = set('lat', 'latitude', 'gpslat', 'la', 'glat', 'userlat', 'curlat');
export const LON_KEYS = set('lon', 'lng', 'long', 'longitude', 'gpslon', 'gpslng', 'lo', 'glng', 'userlng', 'curlng', 'userlon', 'curlon');
export const LATLON_KEYS = set('location', 'loc', 'latlng', 'latlon', 'gps', 'geo', 'coordinates', 'coord', 'll', 'position', 'lnglat', 'lonlat');
export const SSID_KEYS = set('ssid', 'wifissid', 'wifiname', 'apname', 'wlanssid', 'networkname', 'connectedssid');
export const CELL_KEYS = set('cellid', 'cellidentity', 'eci', 'nci', 'lac', 'cid', 'ci', 'tac', 'basestationid', 'bsid');
export const CELL_STRONG_KEYS = set('cellid', 'cellidentity', 'eci', 'nci', 'basestationid');
export const PASSWORD_KEYS = set('password', 'passwd', 'pwd', 'passcode', 'userpassword', 'loginpassword', 'pass', 'pin');
export const CARD_KEYS = set('card', 'cardno', 'cardnum', 'cardnumber', 'ccnum', 'ccnumber', 'creditcard', 'creditcardnumber', 'pan', 'bankcard', 'bankcardno', 'accountnumber');

/** Every identifying key of every kind: a leaf under none of them can only yield format-only hints. */
export const ANY_IDENTIFYING_KEY: ReadonlySet<string> = new Set([
  ...IMEI_KEYS, ...IMSI_KEYS, ...ICCID_KEYS, ...PHONE_KEYS, ...EMAIL_KEYS, ...MAC_KEYS, ...BSSID_KEYS, ...ADID_KEYS, ...ANDROID_ID_KEYS,
  ...LAT_KEYS, ...LON_KEYS, ...LATLON_KEYS, ...SSID_KEYS, ...CELL_KEYS, ...PASSWORD_KEYS, ...CARD_KEYS,
]);

/** Shapes a detector may report without a key (as a low hint): 15 digits, 18–22 digits, an '@', a separated MAC. */
export function hintShape(text: string): boolean {
  const n = text.length;
  if (n === 15 || (n >= 18 && n <= 22)) return /^\d+[fF]?$/.test(text);
  if (n === 17) return /^[0-9a-fA-F]{2}[:-]/.test(text);
  return n >= 6 && n <= 254 && text.includes('@');
}
