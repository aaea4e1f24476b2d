import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hashKeyOf, initialHashRanges, MAX_HASH_KEY, parseExplicitHashKey } from './hash-key.js';

describe('hashKeyOf', () => {
  it('is the MD5 of the UTF-8 bytes as a big-endian number', () => {
    // md5("") = d41d8cd98f00b204e9800998ecf8427e; md5("a") = 0cc175b9c0f1b6a831c399e269772661
    assert.equal(hashKeyOf(''), 0xd41d8cd98f00b204e9800998ecf8427en);
    assert.equal(hashKeyOf('a'), 0x0cc175b9c0f1b6a831c399e269772661n);
    // md5 of the UTF-8 bytes c3 a9 of "é" (66ddcd97...), not of the Latin-1 byte e9 (34068776...).
    assert.equal(hashKeyOf('é'), 0x66ddcd97cfdeabb2f6fb8a999b4bc76fn);
  });
});

describe('parseExplicitHashKey', () => {
  it('accepts 0 .. 2^128-1 and nothing else', () => {
    assert.equal(parseExplicitHashKey('0'), 0n);
    assert.equal(parseExplicitHashKey('340282366920938463463374607431768211455'), MAX_HASH_KEY);
    assert.equal(parseExplicitHashKey('340282366920938463463374607431768211456'), undefined);
    assert.equal(parseExplicitHashKey('-1'), undefined);
    assert.equal(parseExplicitHashKey('1e5'), undefined);
  });
});

describe('initialHashRanges', () => {
  it('matches AWS for one and three shards', () => {
    assert.deepEqual(initialHashRanges(1), [{ start: 0n, end: MAX_HASH_KEY }]);
    assert.deepEqual(
      initialHashRanges(3).map((r) => [r.start.toString(), r.end.toString()]),
      [
        ['0', '113427455640312821154458202477256070484'],
        ['113427455640312821154458202477256070485', '226854911280625642308916404954512140969'],
        ['226854911280625642308916404954512140970', '340282366920938463463374607431768211455'],
      ],
    );
  });

  it('tiles the whole key space without gaps for any shard count (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), (n) => {
        const ranges = initialHashRanges(n);
        assert.equal(ranges.length, n);
        assert.equal(ranges[0]!.start, 0n);
        assert.equal(ranges[n - 1]!.end, MAX_HASH_KEY);
        for (let i = 1; i < n; i++) assert.equal(ranges[i]!.start, ranges[i - 1]!.end + 1n);
        for (const range of ranges) assert.ok(range.start <= range.end);
      }),
      { numRuns: 200 },
    );
  });
});
