// The pattern-tier detectors, in the order they are tried on a leaf.
import type { PatternDetector } from './detector.js';
import { ImeiDetector } from './imei-detector.js';
import { MeidDetector } from './meid-detector.js';
import { ImsiDetector } from './imsi-detector.js';
import { IccidDetector } from './iccid-detector.js';
import { PhoneNumberDetector } from './phone-number-detector.js';
import { EmailDetector } from './email-detector.js';
import { MacAddressDetector } from './mac-address-detector.js';
import { WifiBssidDetector } from './wifi-bssid-detector.js';
import { AdvertisingIdDetector } from './advertising-id-detector.js';
import { AndroidIdDetector } from './android-id-detector.js';
import { LocationDetector } from './location-detector.js';
import { WifiSsidDetector } from './wifi-ssid-detector.js';
import { CellIdDetector } from './cell-id-detector.js';
import { CredentialDetector } from './credential-detector.js';
import { CreditCardDetector } from './credit-card-detector.js';

export const PATTERN_DETECTORS: readonly PatternDetector[] = [
  new ImeiDetector(),
  new MeidDetector(),
  new ImsiDetector(),
  new IccidDetector(),
  new CreditCardDetector(),
  new PhoneNumberDetector(),
  new EmailDetector(),
  new WifiBssidDetector(),
  new MacAddressDetector(),
  new AdvertisingIdDetector(),
  new AndroidIdDetector(),
  new LocationDetector(),
  new WifiSsidDetector(),
  new CellIdDetector(),
  new CredentialDetector(),
];

export type { PatternContext, PatternDetector, PatternMatch } from './detector.js';
export { pairLocations } from './location-detector.js';
export { ANY_IDENTIFYING_KEY, hintShape } from './context-keys.js';
export { keyIn } from './detector.js';
