// A device profile: what the tester knows of the test phone. Format fixed by DESIGN.md ("Device profile").

export interface ProfileContact {
  name?: string;
  phones?: string[];
  emails?: string[];
}

export interface ProfileLocation {
  lat: number;
  lon: number;
}

export interface DeviceProfile {
  name?: string;
  /** Client addresses this profile applies to; absent = every device. */
  devices?: string[];
  imei?: string[] | string;
  meid?: string[] | string;
  imsi?: string[] | string;
  iccid?: string[] | string;
  phoneNumbers?: string[];
  androidId?: string[] | string;
  advertisingId?: string[] | string;
  macAddresses?: string[];
  serialNumber?: string[] | string;
  emails?: string[];
  deviceName?: string[] | string;
  carrier?: string[];
  location?: ProfileLocation | ProfileLocation[];
  wifiSsid?: string[] | string;
  wifiBssid?: string[] | string;
  contacts?: ProfileContact[];
  sms?: string[];
  custom?: { label: string; value: string }[];
}
