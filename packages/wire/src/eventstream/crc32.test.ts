import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { crc32 } from './crc32.js';

describe('crc32', () => {
  it('matches the standard check value', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
  });

  it('continues from a seed and honours start/end', () => {
    const data = Buffer.from('hello, event stream');
    assert.equal(crc32(data.subarray(7), crc32(data.subarray(0, 7))), crc32(data));
    assert.equal(crc32(data, 0, 7, 12), crc32(data.subarray(7, 12)));
  });

  // zlib.crc32 exists from Node 20.15; the project requires 20.19, so its absence is a failure, not a skip.
  const nodeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  it('agrees with zlib.crc32 on random data', () => {
    assert.equal(typeof nodeCrc32, 'function');
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (data) => crc32(data) === nodeCrc32!(data)));
  });
});
