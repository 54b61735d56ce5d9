import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { base64Alignments, digestVariants, textVariants } from '../../../src/detect/profile-variants.js';
import { phoneForms } from '../../../src/detect/phone-forms.js';
import { compileProfile, coordinateCell } from '../../../src/detect/profile-compile.js';
import { profileTargets } from '../../../src/detect/profile-targets.js';

describe('base64 alignments', () => {
  it('finds base64(value) inside a longer base64 blob at every byte offset without decoding it', () => {
    const value = Buffer.from('868828661312806');
    const chunks = base64Alignments(value).map((a) => a.chunk);
    for (const prefix of ['', 'a', 'ab', 'abc', 'imei=']) {
      const blob = Buffer.concat([Buffer.from(prefix), value, Buffer.from('&imsi=460017735426822')]).toString('base64');
      assert.ok(chunks.some((c) => blob.includes(c)), `prefix ${JSON.stringify(prefix)}`);
    }
  });
});

describe('textVariants', () => {
  it('covers url (single, double, +), \\u escapes, hex, UTF-16BE hex and base64 alphabets', () => {
    const v = textVariants('王伟 phone', true);
    const by = (enc: string): string[] => v.filter((x) => x.encodings.join('>') === enc).map((x) => x.pattern);
    assert.ok(by('url').includes(encodeURIComponent('王伟 phone').toLowerCase()));
    assert.ok(by('url').includes(encodeURIComponent('王伟 phone').replace(/%20/g, '+').toLowerCase()));
    assert.ok(by('url>url').length === 1);
    assert.deepEqual(by('uescape'), ['\\u738b\\u4f1f phone']);
    assert.deepEqual(by('hex'), [Buffer.from('王伟 phone').toString('hex')]);
    assert.ok(by('ucs2-hex')[0]!.startsWith('738b4f1f0020'));
    assert.ok(by('base64').length >= 2);
  });
  it('puts identifier boundaries on digits and hex ids, word boundaries on free text, none on message slices', () => {
    const digits = textVariants('46001')[0]!;
    assert.deepEqual([digits.pattern, digits.left, digits.right], ['46001', 3, 3]);
    const free = textVariants('China Unicom', true)[0]!;
    assert.deepEqual([free.left, free.right], [2, 2]);
    const cjk = textVariants('中国联通', true)[0]!;
    assert.deepEqual([cjk.left, cjk.right], [0, 0]);
    const chunk = textVariants('Running late', true, true)[0]!;
    assert.deepEqual([chunk.left, chunk.right], [0, 0]);
  });
});

describe('digestVariants', () => {
  it('has md5/sha1/sha256 hex, 16-hex prefixes, the MD5 middle and base64 of the digest', () => {
    const v = digestVariants('868828661312806');
    const md5 = createHash('md5').update('868828661312806').digest();
    const sha256 = createHash('sha256').update('868828661312806').digest('hex');
    const patterns = new Map<string, string>();
    for (const x of v) if (!patterns.has(x.encodings[0]!)) patterns.set(x.encodings[0]!, x.pattern);
    assert.equal(patterns.get('md5-hex'), md5.toString('hex'));
    assert.equal(patterns.get('md5-hex16mid'), md5.toString('hex').slice(8, 24));
    assert.equal(patterns.get('sha256-hex16'), sha256.slice(0, 16));
    assert.equal(patterns.get('md5-b64'), md5.toString('base64').replace(/=+$/, '').toLowerCase());
    assert.ok(v.filter((x) => x.hexDigest).every((x) => x.left === 3 && x.right === 3));
  });
});

describe('phoneForms', () => {
  it('spells a number in E.164, 00, national, spaced and dashed forms', () => {
    const f = phoneForms('+8613293757218', 'CN');
    for (const s of ['+8613293757218', '8613293757218', '008613293757218', '13293757218', '132 9375 7218', '+86 132 9375 7218', '132-9375-7218', '+86-132-9375-7218']) {
      assert.ok(f.forms.includes(s), s);
    }
    assert.ok(f.hashForms.includes('13293757218'));
  });
  it('keeps the trunk prefix of landlines and the typed form', () => {
    const f = phoneForms('010-67557197', 'CN');
    assert.ok(f.forms.includes('01067557197'));
    assert.ok(f.forms.includes('010-67557197'));
    assert.ok(f.forms.includes('+861067557197'));
  });
});

describe('profile targets and compilation', () => {
  const profile = {
    imsi: '460017735426822',
    macAddresses: ['0c:1d:af:43:ef:59'],
    phoneNumbers: ['13293757218'],
    contacts: [{ name: '张伟', phones: ['182 4147 2272'] }, { name: 'David Miller', emails: ['d.m@example.org'] }],
    location: { lat: 39.9774, lon: -116.28749 },
  };
  it('derives the phone region from the IMSI when numbers have no country code', () => {
    const { targets } = profileTargets(profile);
    assert.equal(targets.find((t) => t.kind === 'phone_number')?.value, '+8613293757218');
  });
  it('spells MACs six ways and contacts by phone, e-mail and name (CJK from 2 characters, others from 4)', () => {
    const { targets } = profileTargets({ ...profile, contacts: [...profile.contacts, { name: 'Li', phones: ['13800138000'] }] });
    assert.equal(targets.find((t) => t.kind === 'mac_address')?.forms.length, 6);
    const contacts = targets.filter((t) => t.kind === 'contact').map((t) => t.value);
    assert.deepEqual(contacts, ['张伟 (182 4147 2272)', '张伟', 'David Miller <d.m@example.org>', 'David Miller', 'Li (13800138000)']);
  });
  it('cuts coordinates to their 3-decimal cell', () => {
    assert.equal(coordinateCell(116.287), '116.287');
    assert.equal(coordinateCell(-116.28749), '-116.287');
    assert.equal(coordinateCell(39.9774), '39.977');
  });
  it('compiles to one automaton with thousands of patterns, once', () => {
    const cp = compileProfile(profile);
    assert.ok(cp.automaton);
    assert.ok(cp.patternCount > 100, String(cp.patternCount));
    assert.equal(cp.region, 'CN');
  });
});
