import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImeiDetector } from '../../../src/detect/detectors/imei-detector.js';
import { MeidDetector } from '../../../src/detect/detectors/meid-detector.js';
import { ImsiDetector } from '../../../src/detect/detectors/imsi-detector.js';
import { IccidDetector } from '../../../src/detect/detectors/iccid-detector.js';
import { PhoneNumberDetector } from '../../../src/detect/detectors/phone-number-detector.js';
import { EmailDetector } from '../../../src/detect/detectors/email-detector.js';
import { MacAddressDetector } from '../../../src/detect/detectors/mac-address-detector.js';
import { WifiBssidDetector } from '../../../src/detect/detectors/wifi-bssid-detector.js';
import { AdvertisingIdDetector } from '../../../src/detect/detectors/advertising-id-detector.js';
import { AndroidIdDetector } from '../../../src/detect/detectors/android-id-detector.js';
import { LocationDetector, pairLocations } from '../../../src/detect/detectors/location-detector.js';
import { WifiSsidDetector } from '../../../src/detect/detectors/wifi-ssid-detector.js';
import { CellIdDetector } from '../../../src/detect/detectors/cell-id-detector.js';
import { CredentialDetector } from '../../../src/detect/detectors/credential-detector.js';
import { CreditCardDetector } from '../../../src/detect/detectors/credit-card-detector.js';
import { imsiOperator } from '../../../src/detect/detectors/mcc-mnc.js';
import { luhnValid, luhnCheckDigit } from '../../../src/detect/luhn.js';
import type { PatternContext } from '../../../src/detect/detectors/detector.js';

const at = (key: string, where = `form:${key}`): PatternContext => ({ key, where, region: 'CN' });
const conf = (m: { confidence: string } | undefined): string => m?.confidence ?? 'none';

describe('Luhn', () => {
  it('checks and computes check digits', () => {
    assert.equal(luhnValid('868828661312806'), true);
    assert.equal(luhnValid('868828661312807'), false);
    assert.equal(luhnCheckDigit('86882866131280'), 6);
    assert.equal(luhnValid('12a'), false);
  });
});

describe('ImeiDetector', () => {
  const d = new ImeiDetector();
  it('is medium under IMEI keys, short SDK names included', () => {
    for (const k of ['imei', 'IMEI1', 'ii', 'mobilekey', 'device_imei']) assert.equal(conf(d.matches('868828661312806', at(k))), 'medium', k);
    assert.equal(conf(d.matches('86882866131280', at('imei'))), 'medium'); // 14 digits, no check digit
  });
  it('is only a low hint without an identifying key (other devices, random Luhn numbers)', () => {
    assert.equal(conf(d.matches('866912911349065', at('ref_code'))), 'low');
    assert.equal(conf(d.matches('86882866131280', at('batch'))), 'none');
  });
  it('rejects a bad check digit or an unassigned reporting-body prefix', () => {
    assert.equal(d.matches('868828661312807', at('imei')), undefined);
    assert.equal(d.matches('771868301673970', at('imei')), undefined);
    assert.match(d.explain(d.matches('868828661312806', at('imei'))!, at('imei')), /IMEI key "imei"/);
  });
});

describe('MeidDetector', () => {
  const d = new MeidDetector();
  it('accepts 14 hex with an A0–FF first byte under an IMEI/MEID key only', () => {
    assert.equal(conf(d.matches('A0000012345ABC', at('meid'))), 'medium');
    assert.equal(d.matches('A0000012345ABC', at('token')), undefined);
    assert.equal(d.matches('10000012345678', at('meid')), undefined);
  });
});

describe('ImsiDetector and the MCC/MNC table', () => {
  const d = new ImsiDetector();
  it('knows the Chinese networks', () => {
    assert.match(imsiOperator('460011234567895') ?? '', /Unicom/i);
    assert.ok(imsiOperator('460001234567890'));
    assert.equal(imsiOperator('999991234567890'), undefined);
  });
  it('needs a real MCC/MNC and an IMSI key', () => {
    assert.equal(conf(d.matches('460017735426822', at('imsi'))), 'medium');
    assert.equal(d.matches('460017735426822', at('order')), undefined);
    assert.equal(d.matches('999997735426822', at('imsi')), undefined);
  });
});

describe('IccidDetector', () => {
  const d = new IccidDetector();
  it('accepts 89… with Luhn, medium under SIM keys', () => {
    assert.equal(conf(d.matches('89860133467201678333', at('sim'))), 'medium');
    assert.equal(conf(d.matches('89860133467201678333', at('x'))), 'low');
    assert.equal(d.matches('89860133467201678334', at('iccid')), undefined);
    assert.equal(d.matches('12860133467201678333', at('iccid')), undefined);
  });
});

describe('PhoneNumberDetector', () => {
  const d = new PhoneNumberDetector();
  it('accepts valid mobile numbers under phone keys, national or international', () => {
    assert.equal(d.matches('13293757218', at('mobile'))?.value, '+8613293757218');
    assert.equal(d.matches('+86 132-9375-7218', at('phone'))?.value, '+8613293757218');
    assert.equal(d.matches('008613293757218', at('msisdn'))?.value, '+8613293757218');
  });
  it('ignores millisecond timestamps, order numbers and hotlines', () => {
    assert.equal(d.matches('1732065129841', at('ts')), undefined);
    assert.equal(d.matches('1732065129841', at('phone')), undefined); // 13 digits: not a valid number
    assert.equal(d.matches('13512345678', at('order_no')), undefined);
    assert.equal(d.matches('400-810-5555', at('phone')), undefined);
    assert.equal(d.matches('800-820-8820', at('tel')), undefined);
  });
});

describe('EmailDetector', () => {
  const d = new EmailDetector();
  it('needs a public suffix; medium under account keys', () => {
    assert.equal(conf(d.matches('Wang@Example.com', at('email'))), 'medium');
    assert.equal(d.matches('Wang@Example.com', at('email'))?.value, 'wang@example.com');
    assert.equal(conf(d.matches('a@b.com', at('note'))), 'low');
    assert.equal(d.matches('a@b.invalidtld', at('email')), undefined);
    assert.equal(d.matches('not an email', at('email')), undefined);
  });
});

describe('MacAddressDetector and WifiBssidDetector', () => {
  const mac = new MacAddressDetector();
  const bssid = new WifiBssidDetector();
  it('accepts real MACs; medium under MAC keys', () => {
    assert.equal(mac.matches('0C-1D-AF-43-EF-59', at('mac'))?.value, '0c:1d:af:43:ef:59');
    assert.equal(conf(mac.matches('0c1daf43ef59', at('wifi_mac'))), 'medium');
    assert.equal(mac.matches('0c1daf43ef59', at('id')), undefined); // bare hex needs a MAC key
    assert.equal(conf(mac.matches('0c:1d:af:43:ef:59', at('x'))), 'low');
  });
  it("ignores Android's placeholder, zero, broadcast and multicast addresses", () => {
    for (const v of ['02:00:00:00:00:00', '00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01']) assert.equal(mac.matches(v, at('mac')), undefined, v);
  });
  it('reports a MAC under a BSSID key as a BSSID', () => {
    assert.equal(mac.matches('f4:f2:6d:18:ac:93', at('bssid')), undefined);
    assert.equal(bssid.matches('F4F26D18AC93', at('bssid'))?.value, 'f4:f2:6d:18:ac:93');
  });
});

describe('AdvertisingIdDetector', () => {
  const d = new AdvertisingIdDetector();
  it('accepts UUIDs under ad-ID keys', () => {
    assert.equal(d.matches('6D6E616DDEF44513B57207B0376BD912', at('idfa'))?.value, '6d6e616d-def4-4513-b572-07b0376bd912');
    assert.equal(conf(d.matches('6d6e616d-def4-4513-b572-07b0376bd912', at('gaid'))), 'medium');
  });
  it('ignores request/trace UUIDs and the all-zero opted-out ID', () => {
    assert.equal(d.matches('6d6e616d-def4-4513-b572-07b0376bd912', at('request_id')), undefined);
    assert.equal(d.matches('6d6e616d-def4-4513-b572-07b0376bd912', at('X-Trace-Id')), undefined);
    assert.equal(d.matches('00000000-0000-0000-0000-000000000000', at('adid')), undefined);
  });
});

describe('AndroidIdDetector', () => {
  const d = new AndroidIdDetector();
  it('accepts 16 hex under Android-ID keys only', () => {
    assert.equal(conf(d.matches('112CA0203C694FB2', at('android_id'))), 'medium');
    assert.equal(d.matches('112ca0203c694fb2', at('nonce')), undefined);
    assert.equal(d.matches('9774d56d682e549c', at('android_id')), undefined);
    assert.equal(d.matches('112ca0203c694fb2aa', at('android_id')), undefined);
  });
});

describe('LocationDetector', () => {
  const d = new LocationDetector();
  it('reads a coordinate pair under a location key, either order', () => {
    assert.equal(d.matches('39.9774,116.2874', at('loc'))?.value, '39.9774,116.2874');
    assert.equal(d.matches('116.2874,39.9774', at('location'))?.value, '39.9774,116.2874');
  });
  it('ignores prices, version strings and pairs under other keys', () => {
    assert.equal(d.matches('39.90', at('loc')), undefined);
    assert.equal(d.matches('39.0.2171.93', at('loc')), undefined);
    assert.equal(d.matches('39.9774,116.2874', at('price_range')), undefined);
  });
  it('pairs latitude and longitude fields of the same object', () => {
    const pairs = pairLocations([
      { key: 'lat', where: 'body:geo.lat', text: '39.9774', encodings: [] },
      { key: 'lng', where: 'body:geo.lng', text: '116.2874', encodings: [] },
      { key: 'price', where: 'body:price', text: '116.40', encodings: [] },
      { key: 'lng', where: 'body:other.lng', text: '116.2874', encodings: [] },
    ]);
    assert.deepEqual(pairs, [{ value: '39.9774,116.2874', where: 'body:geo.lat', encodings: [] }]);
  });
});

describe('WifiSsidDetector, CellIdDetector, CredentialDetector, CreditCardDetector', () => {
  it('SSID under SSID keys, unquoted; placeholders ignored', () => {
    const d = new WifiSsidDetector();
    assert.equal(d.matches('"TP-LINK_156F"', at('ssid'))?.value, 'TP-LINK_156F');
    assert.equal(d.matches('<unknown ssid>', at('ssid')), undefined);
    assert.equal(d.matches('TP-LINK_156F', at('name')), undefined);
  });
  it('cell IDs: medium under strong keys, low under short ambiguous ones', () => {
    const d = new CellIdDetector();
    assert.equal(conf(d.matches('123456789', at('cellid'))), 'medium');
    assert.equal(conf(d.matches('4321', at('lac'))), 'low');
    assert.equal(d.matches('4321', at('count')), undefined);
  });
  it('credentials: password fields only, never URL path segments', () => {
    const d = new CredentialDetector();
    assert.equal(conf(d.matches('hunter22', at('password'))), 'medium');
    assert.equal(d.matches('serviceLoginAuth2', { key: 'pass', where: 'url' }), undefined);
    assert.equal(d.matches('******', at('pwd')), undefined);
  });
  it('credit cards: issuer prefix, Luhn and a card key', () => {
    const d = new CreditCardDetector();
    assert.equal(d.matches('4111 1111 1111 1111', at('card_no'))?.value, '4111111111111111');
    assert.equal(d.matches('4111111111111111', at('batch')), undefined);
    assert.equal(d.matches('4111111111111112', at('card_no')), undefined);
  });
});
