import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { BodyCapture } from '../../../src/proxy/body-capture.js';
import { CaptureBufferPool, sizeClass } from '../../../src/proxy/capture-buffer-pool.js';

describe('CaptureBufferPool', () => {
  it('hands out power-of-two buffers from 1 KiB', () => {
    assert.equal(sizeClass(0), 1024);
    assert.equal(sizeClass(300), 1024, 'a small JSON body takes 1 KiB, not a 16 KiB buffer');
    assert.equal(sizeClass(1025), 2048);
    assert.equal(sizeClass(16 * 1024), 16 * 1024);
    assert.equal(sizeClass(16 * 1024 + 1), 32 * 1024);
    assert.equal(sizeClass(1024 * 1024), 1024 * 1024);
    const pool = new CaptureBufferPool(1 << 20);
    assert.equal(pool.take(100_000).length, 128 * 1024);
  });

  it('reuses a buffer given back, and keeps no more than its idle limit', () => {
    const pool = new CaptureBufferPool(64 * 1024);
    const a = pool.take(20_000);
    pool.give(a);
    assert.equal(pool.idleSize, 32 * 1024);
    assert.equal(pool.take(30_000), a, 'same size class: the same buffer');
    const [b, c, d] = [pool.take(32 * 1024), pool.take(32 * 1024), pool.take(32 * 1024)];
    pool.give(b);
    pool.give(c);
    pool.give(d);
    assert.equal(pool.idleSize, 64 * 1024, 'the third is left to the GC');
    pool.give(Buffer.alloc(1000));
    assert.equal(pool.idleSize, 64 * 1024, 'a buffer not of a size class is not kept');
  });
});

describe('BodyCapture', () => {
  const chunksOf = (bytes: Buffer, size: number) => {
    const out: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
    return out;
  };

  it('copies chunks exactly, growing past its first buffer when no length was announced', () => {
    const pool = new CaptureBufferPool(1 << 24);
    const body = randomBytes(300_000);
    const capture = new BodyCapture(1 << 20, pool);
    for (const chunk of chunksOf(body, 7_000)) capture.add(chunk);
    assert.equal(capture.size, body.length);
    assert.equal(capture.captured, body.length);
    assert.equal(capture.truncated, false);
    assert.ok(capture.bytes().equals(body));
  });

  it('takes one buffer of the announced length, and stops at the cap', () => {
    const pool = new CaptureBufferPool(1 << 24);
    const body = randomBytes(50_000);
    const capture = new BodyCapture(40_000, pool);
    capture.expect(body.length);
    for (const chunk of chunksOf(body, 16_384)) capture.add(chunk);
    capture.add('tail');
    assert.equal(capture.size, body.length + 4);
    assert.equal(capture.captured, 40_000);
    assert.equal(capture.truncated, true);
    assert.ok(capture.bytes().equals(body.subarray(0, 40_000)));
  });

  it('takes at most 1 MiB on an announced length alone, and grows as the bytes really come', () => {
    class CountingPool extends CaptureBufferPool {
      readonly taken: number[] = [];
      override take(bytes: number): Buffer {
        this.taken.push(bytes);
        return super.take(bytes);
      }
    }
    const pool = new CountingPool(0);
    const capture = new BodyCapture(10 * 1024 * 1024, pool);
    capture.expect(10 * 1024 ** 3);
    assert.deepEqual(pool.taken, [1024 * 1024]);
    capture.add(Buffer.from('a'));
    const body = randomBytes(3 * 1024 * 1024);
    capture.add(body);
    assert.equal(capture.captured, body.length + 1);
    assert.ok(capture.bytes().subarray(1).equals(body));
  });

  it('keeps nothing with a cap of 0', () => {
    const capture = new BodyCapture(0, new CaptureBufferPool(1 << 20));
    capture.expect(100);
    capture.add(Buffer.from('hello'));
    assert.equal(capture.bytes().length, 0);
    assert.equal(capture.size, 5);
    assert.equal(capture.truncated, true);
  });

  it('ignores chunks arriving after its bytes were handed on, so a buffer given back is never written again', () => {
    const pool = new CaptureBufferPool(1 << 24);
    const first = new BodyCapture(1 << 20, pool);
    first.add(Buffer.from('first body'));
    const handedOn = first.bytes();
    first.release();
    const second = new BodyCapture(1 << 20, pool);
    second.add(Buffer.from('second body'));
    first.add(Buffer.from('LATE CHUNK of an aborted exchange'));
    assert.equal(second.bytes().toString(), 'second body', 'the late chunk did not land in the reused buffer');
    assert.equal(handedOn.buffer, second.bytes().buffer, 'the second capture reused the first one’s buffer');
  });
});
