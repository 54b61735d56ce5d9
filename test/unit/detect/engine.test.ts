import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { compileProfile, detectFindings, parseProfile } from '../../../src/detect/index.js';
import type { DetectionInput } from '../../../src/types/detection.js';
import type { DetectedFinding } from '../../../src/types/finding.js';

const profile = compileProfile(
  parseProfile({
    name: 'test phone',
    imei: ['868828661312806'],
    imsi: '460017735426822',
    phoneNumbers: ['+8613293757218'],
    androidId: '112ca0203c694fb2',
    advertisingId: '6d6e616d-def4-4513-b572-07b0376bd912',
    macAddresses: ['0c:1d:af:43:ef:59'],
    emails: ['wangwei1987@example.com'],
    deviceName: '王伟的红米手机',
    carrier: ['China Unicom', '中国联通', '46001'],
    location: { lat: 39.9774, lon: 116.2874 },
    contacts: [{ name: '张伟', phones: ['182 4147 2272'] }],
    sms: ['Running late, the traffic on the Third Ring Road is terrible tonight.'],
  }),
);

function flow(over: Partial<DetectionInput>): DetectionInput {
  return { scheme: 'https', method: 'POST', url: 'https://api.example.test/v1/x', host: 'api.example.test', requestHeaders: [], requestBody: Buffer.alloc(0), ...over };
}
const json = (o: unknown, extra: [string, string][] = []): Partial<DetectionInput> => ({
  requestHeaders: [['Content-Type', 'application/json'], ...extra],
  requestBody: Buffer.from(JSON.stringify(o)),
});
const alerts = (fs: DetectedFinding[]): DetectedFinding[] => fs.filter((f) => f.confidence !== 'low');
const one = (fs: DetectedFinding[], kind: string): DetectedFinding => {
  const f = fs.find((x) => x.kind === kind);
  assert.ok(f, `no ${kind} finding in ${JSON.stringify(fs.map((x) => x.kind))}`);
  return f;
};
const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

describe('detectFindings: profile tier', () => {
  it('finds a hashed IMEI in a gzip JSON body with its where and encodings chain', () => {
    const body = gzipSync(JSON.stringify({ common: { did: sha1('868828661312806') } }));
    const fs = detectFindings(flow({ requestHeaders: [['Content-Encoding', 'gzip'], ['Content-Type', 'application/json']], requestBody: body }), [profile]);
    const f = one(fs, 'imei');
    assert.deepEqual([f.value, f.where, f.encodings, f.confidence, f.source], ['868828661312806', 'body:common.did', ['gzip', 'json', 'sha1-hex'], 'high', 'profile']);
  });
  it('finds a phone number in the query, national form, plain', () => {
    const f = one(detectFindings(flow({ method: 'GET', url: 'http://a.test/p?mobile=13293757218&t=1' }), [profile]), 'phone_number');
    assert.deepEqual([f.value, f.where, f.encodings], ['+8613293757218', 'query:mobile', []]);
  });
  it('reports upper-case digests as such', () => {
    const f = one(detectFindings(flow(json({ x: md5('112ca0203c694fb2').toUpperCase() })), [profile]), 'android_id');
    assert.deepEqual(f.encodings, ['md5-hex-upper']);
  });
  it('decodes headers, cookies, base64 and percent-encoded values', () => {
    const fs = detectFindings(
      flow({
        requestHeaders: [
          ['X-Device', Buffer.from('112ca0203c694fb2').toString('base64')],
          ['Cookie', `sid=abc; mail=${encodeURIComponent(encodeURIComponent('wangwei1987@example.com'))}`],
        ],
      }),
      [profile],
    );
    assert.deepEqual(one(fs, 'android_id').where, 'header:X-Device');
    assert.deepEqual(one(fs, 'android_id').encodings, ['base64']);
    assert.deepEqual([one(fs, 'email').where, one(fs, 'email').encodings], ['cookie:mail', ['url', 'url']]);
  });
  it('finds values inside base64(gzip(JSON)) in a form field, brotli forms, and \\u-escaped text', () => {
    const inner = gzipSync(JSON.stringify({ imsi: '460017735426822', cr: '中国联通' })).toString('base64');
    const fs = detectFindings(flow({ requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: Buffer.from(`v=1&value=${encodeURIComponent(inner)}`) }), [profile]);
    assert.deepEqual(one(fs, 'imsi').encodings, ['base64', 'gzip', 'json']);
    assert.equal(one(fs, 'imsi').where, 'form:value.imsi');
    assert.equal(one(fs, 'carrier').value, '中国联通');
    const br = detectFindings(flow({ requestHeaders: [['Content-Encoding', 'br']], requestBody: brotliCompressSync('name=%E7%8E%8B%E4%BC%9F%E7%9A%84%E7%BA%A2%E7%B1%B3%E6%89%8B%E6%9C%BA&x=1') }), [profile]);
    assert.deepEqual(one(br, 'device_name').encodings, ['br', 'form']);
    const esc = detectFindings(flow({ requestBody: Buffer.from('{"n":"\\u738b\\u4f1f\\u7684\\u7ea2\\u7c73\\u624b\\u673a"}') }), [profile]);
    assert.equal(one(esc, 'device_name').value, '王伟的红米手机');
    assert.deepEqual(one(esc, 'device_name').encodings, ['uescape']);
  });
  it('matches SMS prefixes, contacts by number, and location only with both coordinates', () => {
    const fs = detectFindings(flow(json({ body: 'Running late, the traffic on the Th', to: '+86 182-4147-2272', lat: 39.97741, lng: 116.28738 })), [profile]);
    assert.equal(one(fs, 'sms_text').value, 'Running late, the traffic on the Third Ring Road is terrible tonight.');
    assert.match(one(fs, 'contact').value, /张伟/);
    assert.equal(one(fs, 'location').value, '39.9774,116.2874');
    const latOnly = detectFindings(flow(json({ lat: 39.97741, price: 116.4 })), [profile]);
    assert.equal(latOnly.find((f) => f.kind === 'location'), undefined);
    const e6 = detectFindings(flow(json({ la: 39977412, lo: 116287380 })), [profile]);
    assert.equal(one(e6, 'location').value, '39.9774,116.2874');
  });
  it('matches numbers as whole digit runs (the carrier code inside the IMSI is not the carrier)', () => {
    const fs = detectFindings(flow(json({ imsi: '460017735426822' })), [profile]);
    assert.equal(fs.find((f) => f.kind === 'carrier'), undefined);
    const ts = detectFindings(flow(json({ ts: '1732932937572185' })), [profile]);
    assert.equal(ts.find((f) => f.kind === 'phone_number'), undefined);
  });
  it('finds base64(value) inside a longer base64 blob', () => {
    const blob = Buffer.concat([Buffer.from([0xff, 0x00, 0x13]), Buffer.from('x868828661312806y'), Buffer.from([0xfe, 0x81])]).toString('base64');
    const f = one(detectFindings(flow(json({ blob })), [profile]), 'imei');
    assert.equal(f.encodings.at(-1), 'base64');
  });
  it('reads NDJSON, integers beyond 2^53, gzip inside protobuf bytes and base64 multipart parts', () => {
    const nd = detectFindings(flow({ requestBody: Buffer.from('{"a":1}\n{"imei":"868828661312806"}\n') }), [profile]);
    assert.equal(one(nd, 'imei').where, 'body:1.imei');
    const iccidProfile = compileProfile(parseProfile({ iccid: '89860133467201678333' }));
    const big = detectFindings(flow({ requestBody: Buffer.from('{"sim":89860133467201678333,"n":1}') }), [iccidProfile]);
    assert.equal(one(big, 'iccid').value, '89860133467201678333');
    const gz = gzipSync('{"did":"112ca0203c694fb2"}');
    const proto = Buffer.concat([Buffer.from([0x08, 0x01, 0x12, gz.length]), gz]);
    const pb = detectFindings(flow({ requestHeaders: [['Content-Type', 'application/x-protobuf']], requestBody: proto }), [profile]);
    assert.deepEqual([one(pb, 'android_id').where, one(pb, 'android_id').encodings], ['protobuf:2.did', ['gzip', 'json']]);
    const mp = Buffer.from(`--b\r\nContent-Disposition: form-data; name="meta"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from('imsi=460017735426822').toString('base64')}\r\n--b--\r\n`);
    const m = detectFindings(flow({ requestHeaders: [['Content-Type', 'multipart/form-data; boundary=b']], requestBody: mp }), [profile]);
    assert.equal(one(m, 'imsi').where, 'multipart:meta.imsi');
  });
  it('matches coordinates rounded to 3 decimals, and free text only on word boundaries', () => {
    const p = compileProfile(parseProfile({ location: { lat: 39.9776, lon: 116.2874 }, wifiSsid: 'Home' }));
    assert.equal(one(detectFindings(flow(json({ lat: '39.978', lon: '116.287' })), [p]), 'location').value, '39.9776,116.2874');
    assert.equal(detectFindings(flow(json({ lat: '39.9789', lon: '116.287' })), [p]).find((f) => f.kind === 'location' && f.source === 'profile'), undefined);
    assert.equal(detectFindings(flow(json({ pkg: 'com.miui.home2', page: 'homepage' })), [p]).find((f) => f.kind === 'wifi_ssid'), undefined);
    assert.equal(one(detectFindings(flow(json({ net: '"Home"' })), [p]), 'wifi_ssid').value, 'Home');
  });
  it('looks inside Authorization values, JWT payloads and hex-encoded gzip', () => {
    const basic = detectFindings(flow({ requestHeaders: [['Authorization', `Basic ${Buffer.from('wangwei1987@example.com:hunter2').toString('base64')}`]] }), [profile]);
    assert.deepEqual([one(basic, 'email').where, one(basic, 'email').encodings], ['header:Authorization', ['base64']]);
    const payload = Buffer.from(JSON.stringify({ sub: '13293757218', iat: 1 })).toString('base64url');
    const jwt = detectFindings(flow({ requestHeaders: [['Authorization', `Bearer eyJhbGciOiJIUzI1NiJ9.${payload}.c2lnbmF0dXJlX2J5dGVz`]] }), [profile]);
    assert.equal(one(jwt, 'phone_number').where, 'header:Authorization.sub');
    const hexGz = gzipSync('{"mac":"0c:1d:af:43:ef:59"}').toString('hex');
    assert.deepEqual(one(detectFindings(flow(json({ d: hexGz })), [profile]), 'mac_address').encodings, ['hex', 'gzip', 'json']);
  });
  it('sees identifiers in JSON keys, bare query names and sub-domains', () => {
    const keyed = detectFindings(flow(json({ contacts: { '+8613293757218': { n: 'x' } } })), [profile]);
    assert.equal(one(keyed, 'phone_number').where, 'body:contacts.+8613293757218');
    assert.equal(one(detectFindings(flow({ method: 'GET', url: 'https://a.test/r?868828661312806' }), [profile]), 'imei').where, 'query:868828661312806');
    assert.equal(one(detectFindings(flow({ method: 'GET', url: 'https://112ca0203c694fb2.push.a.test/' }), [profile]), 'android_id').where, 'url');
  });
  it('finds a short CJK contact name as a word, not inside a longer CJK text', () => {
    assert.equal(one(detectFindings(flow(json({ name: '张伟', n: 1 })), [profile]), 'contact').value, '张伟');
    assert.equal(one(detectFindings(flow(json({ vcard: 'FN:张伟\nTEL:x' })), [profile]), 'contact').value, '张伟');
    assert.equal(detectFindings(flow(json({ msg: '我明天和张伟见面' })), [profile]).find((f) => f.kind === 'contact'), undefined);
  });
  it('inflates deflate (zlib or raw) and brotli without a magic number inside base64', () => {
    const doc = JSON.stringify({ i: '868828661312806', pad: 'the quick brown fox jumps over the lazy dog' });
    for (const [packed, coding] of [[deflateSync(doc), 'deflate'], [deflateRawSync(doc), 'deflate'], [brotliCompressSync(doc), 'br']] as const) {
      const f = one(detectFindings(flow(json({ z: packed.toString('base64') })), [profile]), 'imei');
      assert.deepEqual(f.encodings, ['base64', coding, 'json']);
    }
  });
  it('prefers the longest spelling when a value is found on several paths', () => {
    const f = one(detectFindings(flow({ method: 'GET', url: 'http://a.test/p?phone=%252B86-132-9375-7218' }), [profile]), 'phone_number');
    assert.deepEqual([f.where, f.encodings], ['query:phone', ['url']]);
  });
  it('ignores responses entirely', () => {
    const fs = detectFindings(flow({ method: 'GET', url: 'https://a.test/', responseBody: Buffer.from('{"imei":"868828661312806"}'), responseHeaders: [['Content-Type', 'application/json']] }), [profile]);
    assert.deepEqual(fs, []);
  });
  it('applies a profile only to its devices', () => {
    const scoped = compileProfile(parseProfile({ devices: ['10.0.0.5'], imei: ['868828661312806'] }));
    const input = flow(json({ imei: '868828661312806' }));
    assert.equal(detectFindings({ ...input, device: '10.0.0.9' }, [scoped]).filter((f) => f.source === 'profile').length, 0);
    assert.equal(detectFindings({ ...input, device: '::ffff:10.0.0.5' }, [scoped]).filter((f) => f.source === 'profile').length, 1);
  });
});

describe('detectFindings: pattern tier and decoys', () => {
  it('alerts (medium) on an unknown identifier under an identifying key', () => {
    const fs = detectFindings(flow(json({ imei: '866912911349065', gaid: '0f8fad5b-d9cb-469f-a165-70867728950e', android_id: '9a638f23c043ffa5' })), [profile]);
    assert.deepEqual(
      alerts(fs).map((f) => [f.kind, f.confidence, f.source]).sort(),
      [['advertising_id', 'medium', 'pattern'], ['android_id', 'medium', 'pattern'], ['imei', 'medium', 'pattern']],
    );
  });
  it('does not alert on the known decoy classes', () => {
    const decoys = {
      ts: 1732065129841,
      ts2: '1732065129841',
      order_no: '13512345678',
      hotline: '400-810-5555',
      mac: '02:00:00:00:00:00',
      adid: '00000000-0000-0000-0000-000000000000',
      request_id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      trace: '4bf92f3577b34da6',
      batch: '991868301673977',
      ref_code: '866912911349065',
      price: '39.90',
      total: 116.4,
      ver: '39.0.2171.93',
      sign: md5('timestamp=1732065129841&key=secret'),
    };
    const fs = detectFindings(flow({ ...json(decoys, [['X-Request-Id', '0f8fad5b-d9cb-469f-a165-70867728950e']]), url: 'https://a.test/x?ts=1732065129841' }), [profile]);
    assert.deepEqual(alerts(fs), []);
  });
  it('does not report a profile value twice (profile tier wins over pattern tier)', () => {
    const fs = detectFindings(flow(json({ imei: '868828661312806' })), [profile]);
    assert.deepEqual(fs.map((f) => [f.kind, f.source]), [['imei', 'profile']]);
  });
  it('runs the pattern tier without any profile', () => {
    const fs = detectFindings(flow(json({ phone: '+8613812345678', email: 'someone@example.org' })), []);
    assert.deepEqual(alerts(fs).map((f) => f.kind).sort(), ['email', 'phone_number']);
  });
});

describe('detectFindings: hostile bodies stay bounded', () => {
  const timed = (input: DetectionInput): number => {
    const t = performance.now();
    detectFindings(input, [profile]);
    return performance.now() - t;
  };
  it('deep nesting', () => {
    const deep = '['.repeat(5000) + '"868828661312806"' + ']'.repeat(5000);
    assert.ok(timed(flow({ requestBody: Buffer.from(deep) })) < 500);
    let nested = '868828661312806';
    for (let i = 0; i < 30; i++) nested = Buffer.from(JSON.stringify({ d: nested })).toString('base64');
    assert.ok(timed(flow(json({ x: nested }))) < 500);
  });
  it('a gzip bomb in the body and inside base64', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x41)); // 64 MiB of 'A' in ~64 KiB
    assert.ok(timed(flow({ requestHeaders: [['Content-Encoding', 'gzip']], requestBody: bomb })) < 250);
    assert.ok(timed(flow(json({ blob: bomb.toString('base64') }))) < 250);
  });
  it('many leaves', () => {
    const wide = JSON.stringify(Array.from({ length: 200_000 }, (_, i) => ({ k: `v${i}` })));
    assert.ok(timed(flow({ requestBody: Buffer.from(wide) })) < 1000);
  });
});
