import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostMapping, HostMappingError } from '../../../src/proxy/host-mapping.js';
import { formatAuthority, parseAuthority } from '../../../src/proxy/host-port.js';
import { PassthroughList } from '../../../src/proxy/passthrough-matcher.js';

describe('parseAuthority', () => {
  it('parses names, IPv4 and bracketed IPv6 with ports', () => {
    assert.deepEqual(parseAuthority('Api.Example.TEST:443'), { host: 'api.example.test', port: 443 });
    assert.deepEqual(parseAuthority('10.0.0.1:8080'), { host: '10.0.0.1', port: 8080 });
    assert.deepEqual(parseAuthority('[2001:db8::1]:443'), { host: '2001:db8::1', port: 443 });
    assert.deepEqual(parseAuthority('[::1]', 80), { host: '::1', port: 80 });
    assert.deepEqual(parseAuthority('example.test', 80), { host: 'example.test', port: 80 });
  });
  it('rejects what is not an authority', () => {
    for (const bad of ['', '[2001:db8::1', '[::1]x', 'host:99999', 'host:0', 'host:abc', 'ho st:80', '[nothex::zz]:1', 'a:b:c']) {
      assert.equal(parseAuthority(bad, 443), undefined, bad);
    }
    assert.equal(parseAuthority('example.test'), undefined, 'a CONNECT target needs a port');
  });
  it('formats IPv6 with brackets', () => {
    assert.equal(formatAuthority({ host: '2001:db8::1', port: 443 }), '[2001:db8::1]:443');
    assert.equal(formatAuthority({ host: 'a.test', port: 80 }), 'a.test:80');
  });
});

describe('HostMapping', () => {
  const mapping = new HostMapping(['api.xiaomi.test:443=127.0.0.1:9443', 'api.xiaomi.test=127.0.0.1:9000', '[2001:db8::1]:443=[::1]:8443']);
  it('prefers an exact port rule, then a host-wide rule', () => {
    assert.deepEqual(mapping.resolve({ host: 'api.xiaomi.test', port: 443 }), { host: '127.0.0.1', port: 9443 });
    assert.deepEqual(mapping.resolve({ host: 'API.xiaomi.test', port: 80 }), { host: '127.0.0.1', port: 9000 });
    assert.deepEqual(mapping.resolve({ host: '2001:db8::1', port: 443 }), { host: '::1', port: 8443 });
    assert.equal(mapping.resolve({ host: 'other.test', port: 443 }), undefined);
  });
  it('covers subdomains with a *. rule, exact rules first', () => {
    const wild = new HostMapping(['*.bench.test:443=127.0.0.1:1', 'exact.bench.test=127.0.0.1:2']);
    assert.deepEqual(wild.resolve({ host: 'h42.bench.test', port: 443 }), { host: '127.0.0.1', port: 1 });
    assert.deepEqual(wild.resolve({ host: 'exact.bench.test', port: 443 }), { host: '127.0.0.1', port: 2 });
    assert.equal(wild.resolve({ host: 'bench.test.evil', port: 443 }), undefined);
    assert.equal(wild.resolve({ host: 'h42.bench.test', port: 80 }), undefined);
  });
  it('refuses malformed rules with the rule in the message', () => {
    assert.throws(() => new HostMapping(['nohost']), HostMappingError);
    assert.throws(() => new HostMapping(['a.test=127.0.0.1']), /a\.test=127\.0\.0\.1/);
    assert.throws(() => new HostMapping(['a.test:99999=127.0.0.1:1']), HostMappingError);
  });
});

describe('PassthroughList', () => {
  const list = new PassthroughList(['*.apple.com', 'bank.test:443', 'api.*.example']);
  it('matches wildcards, the bare domain of *.x, and ports', () => {
    assert.ok(list.match({ host: 'push.apple.com', port: 443 }));
    assert.ok(list.match({ host: 'apple.com', port: 443 }));
    assert.ok(list.match({ host: 'bank.test', port: 443 }));
    assert.equal(list.match({ host: 'bank.test', port: 8443 }), undefined);
    assert.ok(list.match({ host: 'api.v2.example', port: 443 }));
    assert.equal(list.match({ host: 'notapple.com', port: 443 }), undefined);
    assert.equal(list.match({ host: 'a.b.apple.com.evil', port: 443 }), undefined);
  });
  it('explains why a host was tunnelled', () => {
    assert.match(list.match({ host: 'push.apple.com', port: 443 })!.explain(), /\*\.apple\.com/);
  });
});
