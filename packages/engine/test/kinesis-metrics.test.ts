import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStorage } from '@riffle/storage';
import { Engine, FakeClock, type EngineConfig } from '@riffle/engine';
import { MetricRegistry, MINUTE_MS, type Dimensions } from '@riffle/metrics';
import { bytes, testConfig, testKeyring } from './engine-fixture.js';

const SHARD0 = 'shardId-000000000000';
const SHARD1 = 'shardId-000000000001';

/** An engine whose Latency metrics read a stopwatch the test moves. */
async function meteredEngine(config: Partial<EngineConfig> = {}) {
  const clock = new FakeClock();
  const metrics = new MetricRegistry();
  let stopwatch = 0;
  const engine = await Engine.open({
    storage: createMemoryStorage(),
    clock,
    config: { ...testConfig, ...config },
    keyring: () => testKeyring,
    metrics,
    elapsed: () => (stopwatch += 5),
  });
  /** One minute's statistics of a metric, over [now - 1 minute, now + 1 minute). */
  const minute = (name: string, dimensions: Dimensions = { StreamName: 's' }) => {
    const now = clock.now();
    const points = metrics.query({ namespace: 'AWS/Kinesis', name, dimensions }, now - MINUTE_MS, now + MINUTE_MS, 2 * MINUTE_MS);
    return points[0]?.statistics;
  };
  return { engine, clock, metrics, minute };
}

describe('AWS/Kinesis metrics recorded by the engine', () => {
  it('counts PutRecord and PutRecords as IncomingRecords, IncomingBytes and their own metrics, per call', async () => {
    const { engine, minute } = await meteredEngine();
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    await engine.putRecord('s', { data: bytes('12345'), partitionKey: 'a' });
    await engine.putRecords('s', [
      { data: bytes('xy'), partitionKey: 'a' },
      { data: bytes('xyz'), partitionKey: 'b' },
      { data: bytes('wxyz'), partitionKey: 'c' },
    ]);
    assert.deepEqual(minute('IncomingRecords'), { sampleCount: 2, sum: 4, minimum: 1, maximum: 3 });
    assert.deepEqual(minute('IncomingBytes'), { sampleCount: 2, sum: 14, minimum: 5, maximum: 9 }, 'data bytes');
    assert.deepEqual(minute('PutRecord.Bytes'), { sampleCount: 1, sum: 5, minimum: 5, maximum: 5 });
    assert.deepEqual(minute('PutRecord.Success'), { sampleCount: 1, sum: 1, minimum: 1, maximum: 1 });
    assert.deepEqual(minute('PutRecord.Latency'), { sampleCount: 1, sum: 5, minimum: 5, maximum: 5 }, 'from the injected stopwatch');
    assert.equal(minute('PutRecords.Bytes')?.sum, 9);
    assert.equal(minute('PutRecords.TotalRecords')?.sum, 3);
    assert.equal(minute('PutRecords.SuccessfulRecords')?.sum, 3);
    assert.equal(minute('PutRecords.FailedRecords')?.sum, 0);
    assert.equal(minute('PutRecords.ThrottledRecords')?.sum, 0);
    assert.deepEqual(minute('WriteProvisionedThroughputExceeded'), { sampleCount: 2, sum: 0, minimum: 0, maximum: 0 });
    assert.equal(minute('IncomingRecords', { StreamName: 's', ShardId: SHARD0 }), undefined, 'shard level is off by default');
  });

  it('counts throttled records and calls, and failed PutRecord calls as Success 0', async () => {
    const { engine, minute } = await meteredEngine({ throughputLimits: true });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const results = await engine.putRecords('s', Array.from({ length: 1001 }, (_, i) => ({ data: bytes('x'), partitionKey: `k${i}` })));
    assert.equal(results.filter((result) => 'errorCode' in result).length, 1, 'the 1,001st record of the second');
    await assert.rejects(engine.putRecord('s', { data: bytes('x'), partitionKey: 'k' }));
    assert.equal(minute('PutRecords.ThrottledRecords')?.sum, 1);
    assert.equal(minute('PutRecords.SuccessfulRecords')?.sum, 1000);
    assert.deepEqual(minute('PutRecords.Success'), { sampleCount: 1, sum: 1, minimum: 1, maximum: 1 }, 'at least one record stored');
    assert.deepEqual(minute('PutRecord.Success'), { sampleCount: 1, sum: 0, minimum: 0, maximum: 0 });
    assert.deepEqual(minute('WriteProvisionedThroughputExceeded'), { sampleCount: 2, sum: 2, minimum: 1, maximum: 1 });
    assert.equal(minute('IncomingRecords')?.sum, 1000);
  });

  it('records GetRecords bytes, records, iterator age and success, and read throttles', async () => {
    const { engine, clock, minute } = await meteredEngine({ throughputLimits: true });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecords('s', [
      { data: bytes('abc'), partitionKey: 'a' },
      { data: bytes('defg'), partitionKey: 'a' },
    ]);
    await clock.advance(3000);
    const iterator = await engine.getShardIterator('s', SHARD0, 'TRIM_HORIZON');
    const first = await engine.getRecords(iterator, { limit: 1 });
    await clock.advance(1000);
    const second = await engine.getRecords(first.nextShardIterator!);
    assert.equal(second.records.length, 1);
    assert.deepEqual(minute('GetRecords.Records'), { sampleCount: 2, sum: 2, minimum: 1, maximum: 1 });
    assert.deepEqual(minute('GetRecords.Bytes'), { sampleCount: 2, sum: 7, minimum: 3, maximum: 4 });
    assert.deepEqual(minute('GetRecords.IteratorAgeMilliseconds'), { sampleCount: 2, sum: 7000, minimum: 3000, maximum: 4000 }, 'age of the last record read');
    assert.equal(minute('GetRecords.Success')?.sum, 2);

    // Five calls a second per shard: with `second`, four more fill this second and the next is refused.
    let iteratorNow = second.nextShardIterator!;
    for (let call = 0; call < 4; call++) iteratorNow = (await engine.getRecords(iteratorNow)).nextShardIterator!;
    await assert.rejects(engine.getRecords(iteratorNow));
    assert.equal(minute('ReadProvisionedThroughputExceeded')?.sum, 1);
    assert.equal(minute('ReadProvisionedThroughputExceeded')?.sampleCount, 7, 'one sample per call');
    assert.deepEqual(minute('GetRecords.Success'), { sampleCount: 7, sum: 6, minimum: 0, maximum: 1 });
    assert.equal(minute('GetRecords.IteratorAgeMilliseconds')?.minimum, 0, 'caught up');
  });

  it('records shard-level metrics only for the ones enhanced monitoring turned on', async () => {
    const { engine, minute } = await meteredEngine();
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    await engine.updateShardLevelMetrics('s', ['IncomingRecords', 'OutgoingBytes'], true);
    // Hash keys 0 and 2^127 + 1 land in shards 0 and 1.
    await engine.putRecords('s', [
      { data: bytes('a'), partitionKey: 'x', explicitHashKey: '0' },
      { data: bytes('bb'), partitionKey: 'x', explicitHashKey: '0' },
      { data: bytes('ccc'), partitionKey: 'x', explicitHashKey: (2n ** 127n + 1n).toString() },
    ]);
    await engine.getRecords(await engine.getShardIterator('s', SHARD1, 'TRIM_HORIZON'));
    assert.equal(minute('IncomingRecords', { StreamName: 's', ShardId: SHARD0 })?.sum, 2);
    assert.equal(minute('IncomingRecords', { StreamName: 's', ShardId: SHARD1 })?.sum, 1);
    assert.equal(minute('OutgoingBytes', { StreamName: 's', ShardId: SHARD1 })?.sum, 3);
    assert.equal(minute('IncomingBytes', { StreamName: 's', ShardId: SHARD0 }), undefined, 'not enabled');
    assert.equal(minute('OutgoingRecords', { StreamName: 's', ShardId: SHARD1 }), undefined, 'not enabled');

    await engine.updateShardLevelMetrics('s', ['ALL'], false);
    await engine.putRecord('s', { data: bytes('d'), partitionKey: 'x', explicitHashKey: '0' });
    assert.equal(minute('IncomingRecords', { StreamName: 's', ShardId: SHARD0 })?.sum, 2, 'disabled: no more samples');
    assert.equal(minute('IncomingRecords')?.sum, 4, 'the stream level goes on');
  });

  it('records SubscribeToShard subscriptions, refusals and events per consumer', async () => {
    const { engine, minute } = await meteredEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.registerConsumer('s', 'app');
    await engine.putRecords('s', [
      { data: bytes('hello'), partitionKey: 'a' },
      { data: bytes('world!'), partitionKey: 'a' },
    ]);
    const events = await engine.subscribeToShard('s', { name: 'app' }, SHARD0, 'TRIM_HORIZON');
    await assert.rejects(engine.subscribeToShard('s', { name: 'app' }, SHARD0, 'TRIM_HORIZON'));
    const iterator = events[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.value?.records.length, 2);
    await iterator.return?.();
    const consumer = { StreamName: 's', ConsumerName: 'app' };
    assert.equal(minute('SubscribeToShard.Success', consumer)?.sum, 1);
    assert.equal(minute('SubscribeToShard.RateExceeded', consumer)?.sum, 1);
    assert.equal(minute('SubscribeToShardEvent.Records', consumer)?.sum, 2);
    assert.equal(minute('SubscribeToShardEvent.Bytes', consumer)?.sum, 11);
    assert.equal(minute('SubscribeToShardEvent.Success', consumer)?.sum, 1);
    assert.equal(minute('SubscribeToShardEvent.MillisBehindLatest', consumer)?.maximum, 0);
  });

  it('keeps a deleted stream\'s metrics (as CloudWatch does) and counts a re-created one in the same series', async () => {
    const { engine, minute } = await meteredEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', { data: bytes('a'), partitionKey: 'a' });
    await engine.deleteStream('s');
    assert.equal(minute('IncomingRecords')?.sum, 1);
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', { data: bytes('a'), partitionKey: 'a' });
    assert.equal(minute('IncomingRecords')?.sum, 2);
  });
});
