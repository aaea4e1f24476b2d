import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStorage } from '@riffle/storage';
import { Engine, FakeClock, MAX_HASH_KEY } from '@riffle/engine';
import { assertEngineError, splitStreamRecord, testConfig } from './engine-fixture.js';

/** A stream whose shard 0 was split into 1 and 2 after two records: the state resharding will leave behind. */
async function splitStream() {
  const clock = new FakeClock();
  const storage = createMemoryStorage();
  const createdAt = clock.now();
  const stream = splitStreamRecord(createdAt, 2);
  await storage.metadata.commit([{ type: 'putStream', stream }]);
  const parentLog = await storage.openShardLog('s@1', 'shardId-000000000000');
  await parentLog.append([
    { arrivalTime: createdAt, partitionKey: 'a', data: new Uint8Array([1]) },
    { arrivalTime: createdAt, partitionKey: 'b', data: new Uint8Array([2]) },
  ]);
  await clock.advance(2000);
  const engine = await Engine.open({ storage, clock, config: testConfig });
  return { engine, clock };
}

describe('shard lineage', () => {
  it('describes closed parents with an ending sequence number and children with their parent', async () => {
    const { engine } = await splitStream();
    const [parent, low, high] = engine.describeStream('s').shards;
    assert.ok(parent!.endingSequenceNumber);
    assert.ok(BigInt(parent!.endingSequenceNumber) > BigInt(parent!.startingSequenceNumber));
    assert.equal(low!.parentShardId, 'shardId-000000000000');
    assert.equal(high!.endingSequenceNumber, undefined);
    assert.equal(engine.describeStream('s').openShardCount, 2);
    assert.equal(engine.describeLimits().openShardCount, 2);
  });

  it('writes only to open shards', async () => {
    const { engine } = await splitStream();
    const low = await engine.putRecord('s', { data: new Uint8Array(), partitionKey: 'p', explicitHashKey: '0' });
    const high = await engine.putRecord('s', { data: new Uint8Array(), partitionKey: 'p', explicitHashKey: MAX_HASH_KEY.toString() });
    assert.deepEqual([low.shardId, high.shardId], ['shardId-000000000001', 'shardId-000000000002']);
  });

  it('ends a read-out closed shard with child shards and no next iterator', async () => {
    const { engine } = await splitStream();
    const first = await engine.getRecords(await engine.getShardIterator('s', 'shardId-000000000000', 'TRIM_HORIZON'), { limit: 1 });
    assert.equal(first.records.length, 1);
    assert.ok(first.nextShardIterator);
    const last = await engine.getRecords(first.nextShardIterator);
    assert.equal(last.records.length, 1);
    assert.equal(last.nextShardIterator, undefined);
    assert.deepEqual(last.childShards, [
      { shardId: 'shardId-000000000001', parentShards: ['shardId-000000000000'], hashKeyRange: { start: 0n, end: 2n ** 127n - 1n } },
      { shardId: 'shardId-000000000002', parentShards: ['shardId-000000000000'], hashKeyRange: { start: 2n ** 127n, end: MAX_HASH_KEY } },
    ]);
    const latest = await engine.getRecords(await engine.getShardIterator('s', 'shardId-000000000000', 'LATEST'));
    assert.equal(latest.nextShardIterator, undefined);
  });

  it('refuses AFTER_SEQUENCE_NUMBER at a closed shard’s ending sequence number', async () => {
    const { engine } = await splitStream();
    const ending = engine.describeStream('s').shards[0]!.endingSequenceNumber!;
    await assertEngineError(
      () => engine.getShardIterator('s', 'shardId-000000000000', 'AFTER_SEQUENCE_NUMBER', { startingSequenceNumber: ending }),
      'SequenceNumberAtShardEnd',
      {},
    );
    const at = await engine.getShardIterator('s', 'shardId-000000000000', 'AT_SEQUENCE_NUMBER', { startingSequenceNumber: ending });
    assert.deepEqual((await engine.getRecords(at)).records, []);
  });
});
