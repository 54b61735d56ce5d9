// The dashboard's pure logic (web/src/lib), run in Node: the filter syntax, copy as cURL, what gets highlighted for
// a finding and how captured bytes become text. (Kept with the e2e tests: they are the dashboard's tests.)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { Finding, Flow, FlowSummary } from '../../src/types/index.js';
import { bodyText } from '../../web/src/lib/body-text.js';
import { curlCommand, shellQuote } from '../../web/src/lib/curl-command.js';
import { needlesFor, splitByNeedles } from '../../web/src/lib/finding-needles.js';
import { parseFilter } from '../../web/src/lib/flow-filter.js';
import { formatBytes } from '../../web/src/lib/format.js';

function flow(over: Partial<FlowSummary>): FlowSummary {
  return { id: 'x', sessionId: 's', kind: 'exchange', device: '192.168.1.23', startedAt: 0, scheme: 'https', method: 'GET', host: 'api.example.cn', port: 443, path: '/v1/report', status: 200, requestSize: 0, responseSize: 0, durationMs: 1, findingKinds: [], ...over };
}

describe('flow filter syntax', () => {
  const rows = [
    flow({ id: 'a', host: 'api.xiaomi.com', method: 'POST', findingKinds: ['imei'], scheme: 'http', status: 200 }),
    flow({ id: 'b', host: 'log.xiaomi.com', path: '/upload?x=1', status: 404 }),
    flow({ id: 'c', host: 'google.com', device: '192.168.1.50', status: undefined, error: 'upstream-reset' }),
    flow({ id: 'd', host: 'cdn.example.cn', status: 503, findingKinds: ['phone_number', 'email'] }),
  ];
  const ids = (text: string) => rows.filter(parseFilter(text).predicate).map((r) => r.id).join('');

  it('host:, host:= (exact), method:, device:, path:', () => {
    assert.equal(ids('host:xiaomi'), 'ab');
    assert.equal(ids('host:=api.xiaomi.com'), 'a');
    assert.equal(ids('method:post'), 'a');
    assert.equal(ids('device:.50'), 'c');
    assert.equal(ids('path:upload'), 'b');
  });
  it('kind: (with or without the underscore), kind:any', () => {
    assert.equal(ids('kind:imei'), 'a');
    assert.equal(ids('kind:phonenumber'), 'd');
    assert.equal(ids('kind:any'), 'ad');
  });
  it('status: exact, class, comparison, error', () => {
    assert.equal(ids('status:404'), 'b');
    assert.equal(ids('status:5xx'), 'd');
    assert.equal(ids('status:>=400'), 'bd');
    assert.equal(ids('status:error'), 'c');
  });
  it('plaintext / tls, negation, free text, several terms', () => {
    assert.equal(ids('plaintext'), 'a');
    assert.equal(ids('tls'), 'bcd');
    assert.equal(ids('-host:xiaomi'), 'cd');
    assert.equal(ids('upload'), 'b');
    assert.equal(ids('host:xiaomi -status:404'), 'a');
    assert.equal(ids('   '), 'abcd');
  });
  it('explains what it does not understand', () => {
    const parsed = parseFilter('colour:red status:abc host:x');
    assert.equal(parsed.problems.length, 2);
    assert.match(parsed.problems[0]!, /colour/);
    assert.match(parsed.problems[1]!, /status:abc/);
  });
});

describe('copy as cURL', () => {
  const f = {
    request: {
      method: 'POST',
      url: "https://api.example.cn/a?q=it's",
      httpVersion: '1.1',
      headers: [['Host', 'api.example.cn'], ['X-Evil', "a'; rm -rf / #"], ['Content-Length', '9'], ['Accept-Encoding', 'gzip']],
      body: { size: 9, captured: 9, truncated: false },
    },
  } as unknown as Flow;

  it('quotes every argument so the shell sees exactly what the phone sent', () => {
    const command = curlCommand(f, "{'a': 1}");
    // Run the command's arguments through a real shell (echoing them instead of running curl).
    const args = execFileSync('sh', ['-c', command.replace(/^curl /, 'printf "%s\\n" ')], { encoding: 'utf8' }).trimEnd().split('\n');
    assert.deepEqual(args, ['-X', 'POST', "https://api.example.cn/a?q=it's", '-H', "X-Evil: a'; rm -rf / #", '-H', 'Accept-Encoding: gzip', '--compressed', '--data-binary', "{'a': 1}"]);
  });
  it('shellQuote survives quotes', () => {
    assert.equal(execFileSync('sh', ['-c', `printf %s ${shellQuote(`it's "x" $HOME`)}`], { encoding: 'utf8' }), `it's "x" $HOME`);
  });
});

describe('finding highlights', () => {
  const finding = (over: Partial<Finding>): Finding => ({ id: 'f', kind: 'imei', value: '865432100123457', where: 'body', encodings: [], confidence: 'high', source: 'profile', host: 'h', plaintext: false, ...over });

  it('marks the plain value, and the SHA-1, SHA-256 and base64 forms the chain names', async () => {
    const imei = '865432100123457';
    const sha1 = createHash('sha1').update(imei).digest('hex');
    const sha256 = createHash('sha256').update(imei).digest('hex');
    const b64 = Buffer.from(imei).toString('base64');
    const needles = await needlesFor([finding({ encodings: ['json', 'sha1-hex'] }), finding({ id: 'g', encodings: ['sha256-hex'] }), finding({ id: 'h', encodings: ['base64'] })]);
    const text = `a=${imei}&b=${sha1}&c=${sha256.toUpperCase()}&d=${b64}`;
    const marked = splitByNeedles(text, needles).filter((s) => s.finding).map((s) => s.text);
    assert.deepEqual(marked, [imei, sha1, sha256.toUpperCase(), b64]);
  });
  it('keeps the text intact around the marks', async () => {
    const needles = await needlesFor([finding({})]);
    const segments = splitByNeedles('<b>865432100123457</b>', needles);
    assert.equal(segments.map((s) => s.text).join(''), '<b>865432100123457</b>');
    assert.equal(segments.length, 3);
  });
});

describe('bodies as text', () => {
  it('pretty-prints JSON, keeps text, hex-dumps binary', () => {
    assert.equal(bodyText(Buffer.from('{"a":1}')).text, '{\n  "a": 1\n}');
    assert.equal(bodyText(Buffer.from('hello <b>')).kind, 'text');
    const binary = bodyText(Buffer.from([0, 1, 2, 255, 254, 0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]));
    assert.equal(binary.kind, 'binary');
    assert.ok(binary.text.startsWith('00000000  00 01 02 ff'), binary.text);
    assert.equal(bodyText(new Uint8Array()).kind, 'empty');
  });
  it('formats sizes', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(20 * 1024 * 1024), '20 MB');
  });
});
