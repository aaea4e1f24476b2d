import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FaultShares } from '@riffle/engine';
import { assertEngineError, bytes, startEngine } from './engine-fixture.js';

const SHARD = 'shardId-000000000000';

function withFaults(rules: Record<string, Partial<FaultShares>>, seed = 1) {
  const full = Object.fromEntries(Object.entries(rules).map(([op, shares]) => [op, { throttle: 0, internal: 0, ...shares }]));
  return startEngine({ faultInjection: { rules: full, seed } });
}

const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ data: bytes(`r${i}`), partitionKey: `p${i}` }));

describe('fault injection in the engine', () => {
  it('answers PutRecords entries with the configured faults, per entry, and stores only the others', async () => {
    const { engine } = await withFaults({ PutRecords: { throttle: 0.3, internal: 0.2 } });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const results = await engine.putRecords('s', entries(400));
    const throttled = results.filter((r) => 'errorCode' in r && r.errorCode === 'ProvisionedThroughputExceededException');
    const internal = results.filter((r) => 'errorCode' in r && r.errorCode === 'InternalFailure');
    assert.ok(throttled.length > 80 && throttled.length < 160, `throttled ${throttled.length}`);
    assert.ok(internal.length > 40 && internal.length < 120, `internal ${internal.length}`);
    for (const result of throttled) assert.deepEqual(result, { errorCode: 'ProvisionedThroughputExceededException', shardId: SHARD });
    const read = await engine.getRecords(await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'));
    const storedData = results.flatMap((r, i) => ('sequenceNumber' in r ? [`r${i}`] : []));
    assert.deepEqual(read.records.map((r) => new TextDecoder().decode(r.data)), storedData);
  });

  it('gives the same answers for the same seed', async () => {
    const outcome = async (seed: number) => {
      const { engine } = await withFaults({ PutRecords: { throttle: 0.5 } }, seed);
      await engine.createStream({ name: 's', shardCount: 3, mode: 'PROVISIONED' });
      return (await engine.putRecords('s', entries(100))).map((r) => ('errorCode' in r ? r.errorCode : 'ok'));
    };
    assert.deepEqual(await outcome(9), await outcome(9));
    assert.notDeepEqual(await outcome(9), await outcome(10));
  });

  it('fails a whole PutRecord, writing nothing', async () => {
    const throttling = (await withFaults({ PutRecord: { throttle: 1 } })).engine;
    await throttling.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => throttling.putRecord('s', { data: bytes('x'), partitionKey: 'k' }), 'WriteThroughputExceeded', {
      stream: 's',
      shardId: SHARD,
    });
    const failing = (await withFaults({ PutRecord: { internal: 1 } })).engine;
    await failing.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => failing.putRecord('s', { data: bytes('x'), partitionKey: 'k' }), 'InjectedInternalFailure');
    for (const engine of [throttling, failing]) {
      const read = await engine.getRecords(await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'));
      assert.equal(read.records.length, 0);
    }
  });

  it('fails GetRecords and GetShardIterator calls, which read nothing', async () => {
    const { engine } = await withFaults({ GetRecords: { internal: 1 }, GetShardIterator: { throttle: 1 } });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'), 'ReadThroughputExceeded', {
      stream: 's',
      shardId: SHARD,
    });
    const other = (await withFaults({ GetRecords: { internal: 1 } })).engine;
    await other.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const iterator = await other.getShardIterator('s', SHARD, 'TRIM_HORIZON');
    await assertEngineError(() => other.getRecords(iterator), 'InjectedInternalFailure');
  });

  it('still answers a request\'s own errors first', async () => {
    const { engine } = await withFaults({ '*': { internal: 1 } });
    await assertEngineError(() => engine.putRecords('missing', entries(1)), 'StreamNotFound');
    await assertEngineError(() => engine.getRecords('not-an-iterator'), 'InvalidShardIterator');
  });
});
