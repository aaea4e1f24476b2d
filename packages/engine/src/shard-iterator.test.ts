import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShardIteratorCodec } from './shard-iterator.js';

const position = {
  streamName: 'a'.repeat(128),
  streamCreatedAt: 1_767_225_600_000,
  shardIndex: 12,
  offset: 9_007_199_254_740_991,
  issuedAt: 1_767_225_601_234,
};

describe('ShardIteratorCodec', () => {
  it('round-trips a position within 512 characters, even for a 128-character name', () => {
    const codec = new ShardIteratorCodec();
    const iterator = codec.seal(position);
    assert.ok(iterator.length <= 512, String(iterator.length));
    assert.match(iterator, /^[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(codec.open(iterator), position);
  });

  it('starts with AWS’s 8-byte header', () => {
    const iterator = new ShardIteratorCodec().seal({ ...position, streamName: 's' });
    assert.deepEqual([...Buffer.from(iterator, 'base64').subarray(0, 8)], [0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('rejects tampered, foreign and garbage iterators', () => {
    const codec = new ShardIteratorCodec();
    const iterator = codec.seal(position);
    const bytes = Buffer.from(iterator, 'base64');
    for (let i = 8; i < bytes.length; i += 7) {
      const tampered = Buffer.from(bytes);
      tampered[i] = tampered[i]! ^ 1;
      assert.equal(codec.open(tampered.toString('base64')), undefined, `byte ${i}`);
    }
    assert.equal(new ShardIteratorCodec().open(iterator), undefined);
    assert.equal(codec.open('not an iterator'), undefined);
    assert.equal(codec.open(''), undefined);
    assert.equal(codec.open(iterator.slice(0, -4)), undefined);
  });

  it('accepts a fixed key so iterators survive restarts', () => {
    const key = new Uint8Array(32).fill(7);
    const iterator = new ShardIteratorCodec(key).seal(position);
    assert.deepEqual(new ShardIteratorCodec(key).open(iterator), position);
    assert.throws(() => new ShardIteratorCodec(new Uint8Array(16)));
  });
});
