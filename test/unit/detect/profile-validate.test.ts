import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProfile, ProfileError } from '../../../src/detect/index.js';

function refused(json: unknown, field: string, reason: RegExp): void {
  assert.throws(
    () => parseProfile(json, 'phone.json'),
    (e: unknown) => {
      assert.ok(e instanceof ProfileError, String(e));
      assert.equal(e.field, field);
      assert.match(e.message, reason);
      assert.match(e.message, /^phone\.json: profile field "/);
      return true;
    },
  );
}

describe('parseProfile', () => {
  it('accepts the DESIGN.md example shape, single values or lists', () => {
    const p = parseProfile({
      name: 'Redmi',
      devices: ['192.168.1.23'],
      imei: ['868828661312806'],
      meid: [],
      imsi: '460017735426822',
      iccid: '89860133467201678333',
      phoneNumbers: ['+8613293757218'],
      androidId: '112ca0203c694fb2',
      advertisingId: '6d6e616d-def4-4513-b572-07b0376bd912',
      macAddresses: ['0c:1d:af:43:ef:59'],
      serialNumber: '800ef8ba',
      emails: ['a@example.com'],
      deviceName: '王伟的红米手机',
      carrier: ['China Unicom', '46001'],
      location: { lat: 39.9774, lon: 116.2874 },
      wifiSsid: 'TP-LINK_156F',
      wifiBssid: 'f4:f2:6d:18:ac:93',
      contacts: [{ name: '张伟', phones: ['182 4147 2272'], emails: [] }],
      sms: ['hello there, see you at ten'],
      custom: [{ label: 'account', value: '2151796785' }],
    });
    assert.equal(p.imsi?.[0], '460017735426822');
    assert.deepEqual(p.devices, ['192.168.1.23']);
    assert.deepEqual(p.location, { lat: 39.9774, lon: 116.2874 });
    assert.deepEqual(parseProfile({}), {});
  });
  it('refuses unknown fields, at the top and inside', () => {
    refused({ imei: [], phone: '1' }, 'phone', /unknown field/);
    refused({ contacts: [{ name: 'a', phone: ['1'] }] }, 'contacts[0].phone', /unknown field/);
    refused({ location: { lat: 1, lon: 2, alt: 3 } }, 'location.alt', /unknown field/);
    refused({ custom: [{ label: 'x', value: 'abcd', extra: 1 }] }, 'custom[0].extra', /unknown field/);
  });
  it('accepts a profile IMEI whose check digit fails Luhn (what the test unit reports is the truth)', () => {
    assert.deepEqual(parseProfile({ imei: ['868828661312807'] }).imei, ['868828661312807']);
  });
  it('refuses bad values with the reason', () => {
    refused({ imei: '12' }, 'imei[0]', /15 digits/);
    refused({ phoneNumbers: 8613293757218 }, 'phoneNumbers', /array of strings/);
    refused({ phoneNumbers: ['call me'] }, 'phoneNumbers[0]', /digits/);
    refused({ macAddresses: ['0c:1d:af:43:ef'] }, 'macAddresses[0]', /6 hex octets/);
    refused({ advertisingId: 'no pe!' }, 'advertisingId[0]', /UUID/);
    refused({ emails: ['x'] }, 'emails[0]', /e-mail/);
    refused({ location: { lat: 91, lon: 0 } }, 'location.lat', /-90 to 90/);
    refused({ location: [{ lat: 1, lon: 200 }] }, 'location[0].lon', /-180 to 180/);
    refused({ contacts: [{}] }, 'contacts[0]', /needs a name, a phone or an e-mail/);
    refused({ custom: [{ label: 'x', value: 'ab' }] }, 'custom[0].value', /at least 4/);
    refused({ name: 3 }, 'name', /string/);
    refused([], '(root)', /object/);
    refused({ iccid: [12345] }, 'iccid[0]', /must be a string/);
  });
  it('never half-loads: a bad field anywhere refuses the whole profile', () => {
    let result: unknown = 'unset';
    try {
      result = parseProfile({ imei: ['868828661312806'], emails: ['broken'] });
    } catch {
      // expected
    }
    assert.equal(result, 'unset');
  });
});
