import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine, MAX_HASH_KEY } from '@riffle/engine';
import { assertEngineError, bytes, startEngine } from './engine-fixture.js';

describe('stream lifecycle', () => {
  it('creates a stream that is CREATING until createStreamMs has passed', async () => {
    const { engine, clock } = await startEngine({ createStreamMs: 500 });
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    assert.equal(engine.describeStream('s').status, 'CREATING');
    await assertEngineError(() => engine.putRecord('s', { data: bytes('x'), partitionKey: 'k' }), 'StreamNotFound', {
      stream: 's',
    });
    await clock.advance(499);
    assert.equal(engine.describeStream('s').status, 'CREATING');
    await clock.advance(1);
    assert.equal(engine.describeStream('s').status, 'ACTIVE');
  });

  it('describes a new stream as AWS does', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    const stream = engine.describeStream('s');
    assert.equal(stream.status, 'ACTIVE');
    assert.equal(stream.arn, 'arn:aws:kinesis:us-east-1:111122223333:stream/s');
    assert.equal(stream.createdAt, clock.now());
    assert.equal(stream.retentionHours, 24);
    assert.equal(stream.encryptionType, 'NONE');
    assert.equal(stream.maxRecordSizeKiB, 1024);
    assert.equal(stream.openShardCount, 2);
    assert.deepEqual(
      stream.shards.map((s) => [s.shardId, s.hashKeyRange.start, s.hashKeyRange.end, s.endingSequenceNumber]),
      [
        ['shardId-000000000000', 0n, 2n ** 127n - 1n, undefined],
        ['shardId-000000000001', 2n ** 127n, MAX_HASH_KEY, undefined],
      ],
    );
    assert.match(stream.shards[1]!.startingSequenceNumber, /^\d{56}$/);
  });

  it('starts ON_DEMAND streams with four shards and defaults', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND', maxRecordSizeKiB: 2048 });
    const stream = engine.describeStream('od');
    assert.equal(stream.mode, 'ON_DEMAND');
    assert.equal(stream.shards.length, 4);
    assert.equal(stream.maxRecordSizeKiB, 2048);
  });

  it('refuses a second stream of the same name in any state', async () => {
    const { engine } = await startEngine({ deleteStreamMs: 100 });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' }), 'StreamExists', {
      stream: 's',
    });
    await engine.deleteStream('s');
    await assertEngineError(() => engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' }), 'StreamExists');
  });

  it('requires a shard count for PROVISIONED', async () => {
    const { engine } = await startEngine();
    await assertEngineError(() => engine.createStream({ name: 's', mode: 'PROVISIONED' }), 'ShardCountRequired', {});
  });

  it('enforces the shard quota on open provisioned shards across streams', async () => {
    const { engine } = await startEngine({ shardLimit: 10 });
    await engine.createStream({ name: 'a', shardCount: 6, mode: 'PROVISIONED' });
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND' });
    await assertEngineError(() => engine.createStream({ name: 'b', shardCount: 5, mode: 'PROVISIONED' }), 'ShardLimitExceeded', {
      current: 6,
      limit: 10,
      additional: 5,
    });
    await engine.createStream({ name: 'b', shardCount: 4, mode: 'PROVISIONED' });
    assert.deepEqual(engine.describeLimits(), {
      shardLimit: 10,
      openShardCount: 10,
      onDemandStreamCount: 1,
      onDemandStreamCountLimit: 3,
    });
  });

  it('enforces the on-demand stream quota', async () => {
    const { engine } = await startEngine({ onDemandStreamCountLimit: 2 });
    await engine.createStream({ name: 'a', mode: 'ON_DEMAND' });
    await engine.createStream({ name: 'b', mode: 'ON_DEMAND' });
    await assertEngineError(() => engine.createStream({ name: 'c', mode: 'ON_DEMAND' }), 'OnDemandStreamLimit', {
      current: 2,
      limit: 2,
    });
  });

  it('allows at most five streams CREATING at once', async () => {
    const { engine, clock } = await startEngine({ createStreamMs: 1000 });
    for (let i = 0; i < 5; i++) await engine.createStream({ name: `s${i}`, shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.createStream({ name: 's5', shardCount: 1, mode: 'PROVISIONED' }), 'TooManyCreatingStreams', {
      limit: 5,
    });
    await clock.advance(1000);
    await engine.createStream({ name: 's5', shardCount: 1, mode: 'PROVISIONED' });
  });

  it('deletes a stream after deleteStreamMs, with its records', async () => {
    const { engine, clock, storage } = await startEngine({ deleteStreamMs: 300 });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', { data: bytes('x'), partitionKey: 'k' });
    await engine.deleteStream('s', { enforceConsumerDeletion: false });
    assert.equal(engine.describeStream('s').status, 'DELETING');
    await assertEngineError(() => engine.deleteStream('s'), 'StreamNotActive', { stream: 's', status: 'DELETING' });
    await clock.advance(300);
    await assertEngineError(() => engine.describeStream('s'), 'StreamNotFound', { stream: 's' });
    assert.deepEqual((await storage.metadata.load()).streams, []);

    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const iterator = await engine.getShardIterator('s', 'shardId-000000000000', 'TRIM_HORIZON');
    assert.deepEqual((await engine.getRecords(iterator)).records, []);
  });

  it('refuses to delete a stream that is not ACTIVE, or missing', async () => {
    const { engine } = await startEngine({ createStreamMs: 10 });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.deleteStream('s'), 'StreamNotActive', { stream: 's', status: 'CREATING' });
    await assertEngineError(() => engine.deleteStream('nope'), 'StreamNotFound', { stream: 'nope' });
  });

  it('lists streams by name in every state', async () => {
    const { engine } = await startEngine({ createStreamMs: 10 });
    for (const name of ['b', 'a', 'c']) await engine.createStream({ name, shardCount: 1, mode: 'PROVISIONED' });
    assert.deepEqual(
      engine.listStreams().map((s) => [s.name, s.status]),
      [
        ['a', 'CREATING'],
        ['b', 'CREATING'],
        ['c', 'CREATING'],
      ],
    );
  });

  it('resumes pending transitions after a restart on the same storage', async () => {
    const first = await startEngine({ createStreamMs: 1000 });
    await first.engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await first.engine.close();
    const engine = await Engine.open({
      storage: first.storage,
      clock: first.clock,
      config: { ...first.engine.config },
    });
    assert.equal(engine.describeStream('s').status, 'CREATING');
    await first.clock.advance(1000);
    assert.equal(engine.describeStream('s').status, 'ACTIVE');
  });

  it('keeps records across a restart on the same storage', async () => {
    const first = await startEngine({ iteratorKey: new Uint8Array(32).fill(1) });
    await first.engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const put = await first.engine.putRecord('s', { data: bytes('kept'), partitionKey: 'k' });
    const iterator = await first.engine.getShardIterator('s', put.shardId, 'TRIM_HORIZON');
    await first.engine.close();
    const engine = await Engine.open({ storage: first.storage, clock: first.clock, config: first.engine.config });
    const result = await engine.getRecords(iterator);
    assert.deepEqual(result.records.map((r) => r.sequenceNumber), [put.sequenceNumber]);
  });
});
