import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine, PutRecordsResultEntry } from '@riffle/engine';
import { assertEngineError, bytes, startEngine } from './engine-fixture.js';

const MiB = 1024 * 1024;
const SHARD = 'shardId-000000000000';
/** Data plus the one-byte partition key 'k': exactly 1 MiB, the most one shard takes in a second. */
const oneMiB = () => ({ data: new Uint8Array(MiB - 1), partitionKey: 'k' });

const limited = () => startEngine({ throughputLimits: true });

function stored(results: PutRecordsResultEntry[]): number[] {
  return results.flatMap((result, i) => ('sequenceNumber' in result ? [i] : []));
}

async function readAll(engine: Engine, shardId = SHARD): Promise<number> {
  const result = await engine.getRecords(await engine.getShardIterator('s', shardId, 'TRIM_HORIZON'));
  return result.records.length;
}

describe('throughput limits: writes', () => {
  it('refuses a PutRecord over its shard\'s 1 MiB/s, and takes it again once the budget refills', async () => {
    const { engine, clock } = await limited();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', oneMiB());
    await assertEngineError(() => engine.putRecord('s', { data: bytes('x'), partitionKey: 'k' }), 'WriteThroughputExceeded', {
      stream: 's',
      shardId: SHARD,
    });
    await clock.advance(1000);
    await engine.putRecord('s', oneMiB());
  });

  it('answers PutRecords entries over budget per entry, in request order per shard, and stores the others', async () => {
    const { engine, clock } = await limited();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const record = (i: number) => ({ data: new Uint8Array(4096), partitionKey: `p${i % 10}` });
    const results = await engine.putRecords('s', Array.from({ length: 500 }, (_, i) => record(i)));
    // 4,098 bytes each: 255 fit in 1 MiB; every later entry of this shard is refused.
    assert.deepEqual(stored(results), Array.from({ length: 255 }, (_, i) => i));
    for (const result of results.slice(255)) {
      assert.deepEqual(result, { errorCode: 'ProvisionedThroughputExceededException', shardId: SHARD });
    }
    assert.equal(await readAll(engine), 255, 'refused entries are never written');
    // Refused entries used nothing: half a second refills 512 KiB on top of the 3,586 bytes left, room for 128.
    await clock.advance(500);
    assert.equal(stored(await engine.putRecords('s', Array.from({ length: 200 }, (_, i) => record(i)))).length, 128);
  });

  it('keeps each shard\'s budget to itself', async () => {
    const { engine } = await limited();
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    const low = '0';
    const high = (2n ** 127n).toString();
    const results = await engine.putRecords('s', [
      { ...oneMiB(), explicitHashKey: low },
      { ...oneMiB(), explicitHashKey: low },
      { ...oneMiB(), explicitHashKey: high },
    ]);
    assert.deepEqual(stored(results), [0, 2]);
    assert.deepEqual(results[1], { errorCode: 'ProvisionedThroughputExceededException', shardId: SHARD });
  });

  it('admits 1,000 records a second per shard however small they are', async () => {
    const { engine, clock } = await limited();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const batch = () => Array.from({ length: 500 }, () => ({ data: bytes('x'), partitionKey: 'k' }));
    assert.equal(stored(await engine.putRecords('s', batch())).length, 500);
    assert.equal(stored(await engine.putRecords('s', batch())).length, 500);
    const third = await engine.putRecords('s', batch());
    assert.equal(stored(third).length, 0);
    await clock.advance(100);
    assert.equal(stored(await engine.putRecords('s', batch())).length, 100);
  });

  it('forgets a deleted stream\'s budgets: the same name re-created starts afresh', async () => {
    const { engine } = await limited();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', oneMiB());
    await engine.deleteStream('s');
    // Same fake instant, so the same stream key: only forgetting makes room.
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', oneMiB());
  });

  it('limits nothing when switched off', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    for (let i = 0; i < 5; i++) assert.equal(stored(await engine.putRecords('s', [oneMiB(), oneMiB()])).length, 2);
    for (let i = 0; i < 20; i++) await engine.getRecords(await engine.getShardIterator('s', SHARD, 'LATEST'));
  });
});

describe('throughput limits: reads', () => {
  it('admits 5 GetRecords calls a second per shard, shared by every caller', async () => {
    const { engine, clock } = await limited();
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    const iterators = [
      await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'),
      await engine.getShardIterator('s', SHARD, 'LATEST'),
    ];
    for (let call = 0; call < 5; call++) await engine.getRecords(iterators[call % 2]!);
    await assertEngineError(() => engine.getRecords(iterators[0]!), 'ReadThroughputExceeded', { stream: 's', shardId: SHARD });
    await engine.getRecords(await engine.getShardIterator('s', 'shardId-000000000001', 'LATEST'));
    await clock.advance(200);
    await engine.getRecords(iterators[1]!);
    await assertEngineError(() => engine.getRecords(iterators[1]!), 'ReadThroughputExceeded');
  });

  it('refuses reads for a second after a call above 2 MiB/s; a refused call returns nothing and loses nothing', async () => {
    const { engine, clock } = await limited();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    for (let i = 0; i < 3; i++) {
      await engine.putRecord('s', oneMiB());
      await clock.advance(1000);
    }
    const first = await engine.getRecords(await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'), { limit: 3 });
    assert.equal(first.records.length, 3, 'never cut short by the bandwidth');
    await engine.putRecord('s', { data: bytes('after'), partitionKey: 'k' });
    await clock.advance(999);
    await assertEngineError(() => engine.getRecords(first.nextShardIterator!), 'ReadThroughputExceeded');
    await clock.advance(1);
    const next = await engine.getRecords(first.nextShardIterator!);
    assert.deepEqual(next.records.map((r) => new TextDecoder().decode(r.data)), ['after']);
  });

  it('refuses reads for 5 seconds after a call that returned the 10 MiB a call may return', async () => {
    const { engine, clock } = await limited();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    for (let i = 0; i < 11; i++) {
      await engine.putRecord('s', oneMiB());
      await clock.advance(1000);
    }
    const full = await engine.getRecords(await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'));
    assert.equal(full.records.length, 10);
    for (const wait of [1000, 2000, 1999]) {
      await clock.advance(wait);
      await assertEngineError(() => engine.getRecords(full.nextShardIterator!), 'ReadThroughputExceeded');
    }
    await clock.advance(1);
    assert.equal((await engine.getRecords(full.nextShardIterator!)).records.length, 1);
  });

  it('does not penalise a call stopped by its Limit rather than by the 10 MiB', async () => {
    const { engine, clock } = await limited();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecords('s', Array.from({ length: 10 }, (_, i) => ({ data: bytes(`r${i}`), partitionKey: 'k' })));
    let iterator = await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON');
    for (let call = 0; call < 5; call++) iterator = (await engine.getRecords(iterator, { limit: 2 })).nextShardIterator!;
    await clock.advance(1000);
    assert.equal((await engine.getRecords(iterator)).records.length, 0);
  });

  it('admits 5 GetShardIterator calls a second per shard', async () => {
    const { engine, clock } = await limited();
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    for (let call = 0; call < 5; call++) await engine.getShardIterator('s', SHARD, 'LATEST');
    await assertEngineError(() => engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'), 'ReadThroughputExceeded', {
      stream: 's',
      shardId: SHARD,
    });
    await engine.getShardIterator('s', 'shardId-000000000001', 'LATEST');
    await clock.advance(200);
    await engine.getShardIterator('s', SHARD, 'LATEST');
    await assertEngineError(() => engine.getShardIterator('s', SHARD, 'LATEST'), 'ReadThroughputExceeded');
  });
});
