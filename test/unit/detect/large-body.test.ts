import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileProfile, detectFindings, parseProfile } from '../../../src/detect/index.js';

describe('bodies larger than the work budget', () => {
  const profile = compileProfile(parseProfile({ imei: ['865432100123457'] }));
  const detect = (body: Buffer) =>
    detectFindings({ scheme: 'https', method: 'POST', url: 'https://upload.test/logs', host: 'upload.test', requestHeaders: [['content-type', 'text/plain']], requestBody: body }, [profile]);

  it('are scanned from their start instead of skipped', () => {
    const body = Buffer.concat([Buffer.from('device=865432100123457\n'), Buffer.alloc(10 * 1024 * 1024, 'log line without identifiers\n')]);
    const findings = detect(body);
    assert.ok(findings.some((f) => f.kind === 'imei' && f.where === 'body'), JSON.stringify(findings));
  });

  it('still yield nothing when nothing is there', () => {
    assert.deepEqual(detect(Buffer.alloc(10 * 1024 * 1024, 'log line without identifiers\n')), []);
  });
});
