import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeForm, parseForm } from '../../../src/detect/decode-form.js';
import { parseCookieHeader } from '../../../src/detect/decode-cookie.js';
import { jsonLeaves, parseJsonContainer } from '../../../src/detect/decode-json.js';
import { multipartBoundary, parseMultipart } from '../../../src/detect/decode-multipart.js';
import { looksLikeXml, xmlLeaves } from '../../../src/detect/decode-xml.js';
import { looksLikeProtobuf, protobufLeaves } from '../../../src/detect/decode-protobuf.js';
import { urlDecodeLeaf } from '../../../src/detect/decode-url.js';
import { base64DecodeLeaf } from '../../../src/detect/decode-base64.js';
import { hexDecodeLeaf, ucs2BeAsText } from '../../../src/detect/decode-hex.js';
import { bytesAsText, plausibleText } from '../../../src/detect/text-plausibility.js';

describe('form and query decoder', () => {
  it('splits pairs and decodes one level of percent-encoding and +', () => {
    assert.deepEqual(parseForm('?a=1&b=x%40y.com&c=hello+world&d'), [
      { name: 'a', value: '1' },
      { name: 'b', value: 'x@y.com' },
      { name: 'c', value: 'hello world' },
      { name: 'd', value: '' },
    ]);
  });
  it('stops after maxPairs pairs', () => {
    assert.equal(parseForm('a=1&'.repeat(100), 10).length, 10);
  });
  it('keeps malformed escapes instead of throwing', () => {
    assert.deepEqual(parseForm('a=100%&b=%E4%B8%AD'), [
      { name: 'a', value: '100%' },
      { name: 'b', value: '中' },
    ]);
  });
  it('recognises form bodies but not base64 padding or prose', () => {
    assert.equal(looksLikeForm('imei=1&imsi=2'), true);
    assert.equal(looksLikeForm('data=eyJhIjoxfQ'), true);
    assert.equal(looksLikeForm('TmJiNTgyOGNiYWUxMmViMjhmNDBjNzg3NDVhZjk2NjAxMDc5MGZiMg=='), false);
    assert.equal(looksLikeForm('hello world = 3'), false);
  });
});

describe('cookie decoder', () => {
  it('splits a Cookie header and unquotes values', () => {
    assert.deepEqual(parseCookieHeader('a=1; b="x y"; junk; c='), [
      { name: 'a', value: '1' },
      { name: 'b', value: 'x y' },
      { name: 'c', value: '' },
    ]);
  });
});

describe('JSON decoder', () => {
  it('yields string and number leaves with their paths', () => {
    const v = parseJsonContainer(' {"a":{"b":[{"c":"x"},2]},"n":null,"t":true} ');
    assert.deepEqual(jsonLeaves(v), [
      { path: 'a.b.0.c', key: 'c', value: 'x', isNumber: false },
      { path: 'a.b.1', key: 'b', value: '2', isNumber: true },
    ]);
  });
  it('returns undefined for what is not a JSON object or array', () => {
    assert.equal(parseJsonContainer('"just a string"'), undefined);
    assert.equal(parseJsonContainer('{broken'), undefined);
    assert.equal(parseJsonContainer('12345'), undefined);
  });
  it('bounds the leaves it yields', () => {
    const big = JSON.stringify(Array.from({ length: 100 }, (_, i) => String(i)));
    assert.equal(jsonLeaves(JSON.parse(big), 10).length, 10);
  });
});

describe('multipart decoder', () => {
  it('reads the boundary and the named parts', () => {
    const ct = 'multipart/form-data; boundary="----b1"';
    assert.equal(multipartBoundary(ct), '----b1');
    assert.equal(multipartBoundary('application/json'), undefined);
    const body = Buffer.from(
      '------b1\r\nContent-Disposition: form-data; name="imei"\r\n\r\n868828661312806\r\n' +
        '------b1\r\nContent-Disposition: form-data; name="file"; filename="a.json"\r\nContent-Type: application/json\r\n\r\n{"x":1}\r\n------b1--\r\n',
    );
    const parts = parseMultipart(body, '----b1');
    assert.equal(parts.length, 2);
    assert.equal(parts[0]!.name, 'imei');
    assert.equal(parts[0]!.body.toString(), '868828661312806');
    assert.equal(parts[1]!.filename, 'a.json');
    assert.equal(parts[1]!.contentType, 'application/json');
    assert.equal(parts[1]!.body.toString(), '{"x":1}');
  });
});

describe('XML decoder', () => {
  it('yields element text and attributes with their paths, unescaped', () => {
    const xml = '<?xml version="1.0"?><req v="2"><dev imei="868828661312806"/><user>a&amp;b</user><n><![CDATA[<raw>]]></n></req>';
    assert.equal(looksLikeXml(xml), true);
    assert.deepEqual(xmlLeaves(xml), [
      { path: '/req/@v', name: 'v', value: '2' },
      { path: '/req/dev/@imei', name: 'imei', value: '868828661312806' },
      { path: '/req/user', name: 'user', value: 'a&b' },
      { path: '/req/n', name: 'n', value: '<raw>' },
    ]);
  });
  it('does not take prose with angle brackets for XML', () => {
    assert.equal(looksLikeXml('a < b and c > d'), false);
  });
});

/** Hand-encoded protobuf: field 1 varint, field 2 string, field 3 nested { field 1 double }. */
function sampleProto(): Buffer {
  const varint = (n: bigint): number[] => {
    const out: number[] = [];
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n > 0n) b |= 0x80;
      out.push(b);
    } while (n > 0n);
    return out;
  };
  const dbl = Buffer.alloc(8);
  dbl.writeDoubleLE(39.9774);
  const nested = Buffer.from([(1 << 3) | 1, ...dbl]);
  const str = Buffer.from('TP-LINK_156F');
  return Buffer.from([
    (1 << 3) | 0, ...varint(868828661312806n),
    (2 << 3) | 2, str.length, ...str,
    (3 << 3) | 2, nested.length, ...nested,
  ]);
}

describe('protobuf decoder', () => {
  it('walks varints, strings and nested doubles without a schema', () => {
    const leaves = protobufLeaves(sampleProto())!;
    assert.ok(leaves.some((l) => l.path.join('.') === '1' && l.value === '868828661312806'));
    assert.ok(leaves.some((l) => l.path.join('.') === '2' && l.value === 'TP-LINK_156F'));
    assert.ok(leaves.some((l) => l.path.join('.') === '3.1' && l.value === '39.9774'));
  });
  it('rejects bytes that are not a message', () => {
    assert.equal(looksLikeProtobuf(Buffer.from('hello world')), false);
    assert.equal(looksLikeProtobuf(Buffer.from([0x0a, 0x50, 0x01])), false); // length beyond the end
  });
});

describe('text transforms', () => {
  it('percent-decodes one more level only when there are escapes', () => {
    assert.equal(urlDecodeLeaf('a%40b.com'), 'a@b.com');
    assert.equal(urlDecodeLeaf('plain'), undefined);
  });
  it('decodes base64 variants and names them', () => {
    assert.deepEqual(base64DecodeLeaf('MTEyY2EwMjAzYzY5NGZiMg==')?.variant, 'base64');
    assert.equal(base64DecodeLeaf('MTEyY2EwMjAzYzY5NGZiMg')?.variant, 'base64-nopad');
    assert.equal(base64DecodeLeaf('PDw_Pz4-')?.variant, 'base64url');
    assert.equal(base64DecodeLeaf('MTEyY2EwMjAzYzY5NGZiMg')?.bytes.toString(), '112ca0203c694fb2');
  });
  it('leaves digits, hex and short words alone as base64', () => {
    assert.equal(base64DecodeLeaf('868828661312806'), undefined);
    assert.equal(base64DecodeLeaf('112ca0203c694fb2'), undefined);
    assert.equal(base64DecodeLeaf('abc'), undefined);
  });
  it('decodes hex and UTF-16BE hex to text', () => {
    const h = hexDecodeLeaf('383030454638424');
    assert.equal(h, undefined); // odd length
    const up = hexDecodeLeaf('3830304546384241')!;
    assert.equal(up.variant, 'hex');
    assert.equal(bytesAsText(up.bytes), '800EF8BA');
    assert.equal(hexDecodeLeaf('ABCDEF0123456789')!.variant, 'hex-upper');
    const msg = '妈，我周六晚上回家吃饭';
    const hex = [...msg].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('').toUpperCase();
    const ucs2 = hexDecodeLeaf(hex)!;
    assert.equal(bytesAsText(ucs2.bytes), undefined);
    assert.equal(ucs2BeAsText(ucs2.bytes), msg);
  });
  it('rejects random bytes that happen to decode', () => {
    assert.equal(plausibleText('Lÿ Ò¿×'), false);
    assert.equal(plausibleText('王伟的红米手机'), true);
    assert.equal(plausibleText('Café au lait'), true);
    assert.equal(ucs2BeAsText(Buffer.from('130470034c278e3f', 'hex')), undefined);
  });
});
