import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShardReadingOrder } from './shard-reading-order.js';

describe('ShardReadingOrder: children after all their parents', () => {
  it('reads the roots first, a split\'s children once the parent is done', () => {
    const order = new ShardReadingOrder();
    order.add('shard-0', []);
    order.add('shard-1', ['shard-0']);
    order.add('shard-2', ['shard-0']);
    assert.deepEqual(order.takeReady(), ['shard-0']);
    assert.deepEqual(order.takeReady(), [], 'a shard being read is not handed out twice');
    order.markDone('shard-0');
    assert.deepEqual(order.takeReady(), ['shard-1', 'shard-2']);
  });

  it('holds a merge\'s child until both parents are done', () => {
    const order = new ShardReadingOrder();
    order.add('a', []);
    order.add('b', []);
    order.add('merged', ['a', 'b']);
    assert.deepEqual(order.takeReady(), ['a', 'b']);
    order.markDone('a');
    assert.deepEqual(order.takeReady(), []);
    order.markDone('b');
    assert.deepEqual(order.takeReady(), ['merged']);
  });

  it('does not wait for parents it does not know (aged out of retention)', () => {
    const order = new ShardReadingOrder();
    order.add('child', ['expired-parent']);
    assert.deepEqual(order.takeReady(), ['child']);
  });

  it('treats a shard added as done (closed, when tailing from LATEST) as read, and ignores a shard added twice', () => {
    const order = new ShardReadingOrder();
    order.add('closed', [], true);
    order.add('open', ['closed']);
    assert.equal(order.add('open', []), false);
    assert.deepEqual(order.parentsOf('open'), ['closed']);
    assert.deepEqual(order.takeReady(), ['open']);
    assert.equal(order.count('done'), 1);
    assert.equal(order.count('reading'), 1);
  });

  it('a grandchild waits for its parent, which waits for its own', () => {
    const order = new ShardReadingOrder();
    order.add('g0', []);
    order.add('g1', ['g0']);
    order.add('g2', ['g1']);
    const seen: string[] = [];
    for (let round = 0; round < 5; round++) for (const id of order.takeReady()) { seen.push(id); order.markDone(id); }
    assert.deepEqual(seen, ['g0', 'g1', 'g2']);
  });
});
