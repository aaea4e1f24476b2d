import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveShardIndex, shardIdOf } from './shard-id.js';

describe('shard ids', () => {
  it('pads to 12 digits', () => {
    assert.equal(shardIdOf(0), 'shardId-000000000000');
    assert.equal(shardIdOf(123), 'shardId-000000000123');
  });

  it('resolves ids leniently, as kinesalite does', () => {
    assert.equal(resolveShardIndex('shardId-000000000007'), 7);
    assert.equal(resolveShardIndex('shardId-7'), 7);
    assert.equal(resolveShardIndex('7'), 7);
    assert.equal(resolveShardIndex('shardId-'), undefined);
    assert.equal(resolveShardIndex('shardId-x'), undefined);
    assert.equal(resolveShardIndex('shardId-2147483648'), undefined);
  });
});
