import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '@riffle/engine';
import { assertEngineError, bytes, startEngine, TEST_KEY_ID } from './engine-fixture.js';

const DAY_MS = 86_400_000;

async function readAll(engine: Engine, stream: string, shardId: string) {
  const iterator = await engine.getShardIterator(stream, shardId, 'TRIM_HORIZON');
  return (await engine.getRecords(iterator)).records;
}

describe('UpdateStreamMode', () => {
  it('switches PROVISIONED to ON_DEMAND and back through UPDATING, keeping the shards', async () => {
    const { engine, clock } = await startEngine({ updateStreamMs: 200 });
    await engine.createStream({ name: 's', shardCount: 3, mode: 'PROVISIONED' });
    await engine.updateStreamMode('s', 'ON_DEMAND');
    assert.equal(engine.describeStream('s').status, 'UPDATING');
    assert.equal(engine.describeStream('s').mode, 'PROVISIONED');
    await clock.advance(200);
    assert.equal(engine.describeStream('s').mode, 'ON_DEMAND');
    assert.equal(engine.describeStream('s').openShardCount, 3);
    assert.equal(engine.describeLimits().onDemandStreamCount, 1);
    assert.equal(engine.describeLimits().openShardCount, 0);
    await engine.updateStreamMode('s', 'PROVISIONED');
    await clock.advance(200);
    assert.equal(engine.describeStream('s').mode, 'PROVISIONED');
    assert.equal(engine.describeLimits().openShardCount, 3);
  });

  it('allows two switches per rolling 24 hours and refuses the mode the stream has', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.updateStreamMode('s', 'PROVISIONED'), 'StreamModeUnchanged', { stream: 's', mode: 'PROVISIONED' });
    await engine.updateStreamMode('s', 'ON_DEMAND');
    await engine.updateStreamMode('s', 'PROVISIONED');
    await assertEngineError(() => engine.updateStreamMode('s', 'ON_DEMAND'), 'DailyChangeLimit', { stream: 's', kind: 'mode', limit: 2 });
    await clock.advance(DAY_MS + 1);
    await engine.updateStreamMode('s', 'ON_DEMAND');
  });

  it('respects the on-demand stream quota and the provisioned shard quota', async () => {
    const { engine } = await startEngine({ onDemandStreamCountLimit: 1, shardLimit: 5 });
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND' });
    await engine.createStream({ name: 'p', shardCount: 2, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.updateStreamMode('p', 'ON_DEMAND'), 'OnDemandStreamLimit', { current: 1, limit: 1 });
    await assertEngineError(() => engine.updateStreamMode('od', 'PROVISIONED'), 'ShardLimitExceeded', { current: 2, limit: 5, additional: 4 });
  });
});

describe('on-demand capacity', () => {
  it('adds shards for twice the peak of the last 30 days and forgets the peak after them', async () => {
    const { engine, clock, storage } = await startEngine({ onDemandScalingCheckMs: 0 });
    await clock.advance(1000);
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND' });
    assert.equal(engine.describeStream('od').openShardCount, 4);
    // 3,000 records/s for one minute: twice that needs 6 shards of 1,000 records/s.
    const batch = Array.from({ length: 500 }, (_, i) => ({ data: bytes('x'), partitionKey: `k${i}` }));
    for (let i = 0; i < 360; i++) await engine.putRecords('od', batch);
    await engine.scaleOnDemandStreams();
    assert.equal(engine.describeStream('od').openShardCount, 4, 'the minute is not over yet');
    await clock.advance(60_000);
    await engine.scaleOnDemandStreams();
    const scaled = engine.describeStream('od');
    assert.equal(scaled.openShardCount, 6);
    assert.equal(scaled.status, 'ACTIVE');

    // The peak is durable: a restart keeps it, and 30 days later it no longer counts.
    await engine.close();
    const reopened = await Engine.open({ storage, clock, config: engine.config });
    await clock.advance(60_000);
    await reopened.scaleOnDemandStreams();
    assert.equal(reopened.describeStream('od').openShardCount, 6);
    const record = (await storage.metadata.load()).streams.find((stream) => stream.name === 'od')!;
    assert.equal(record.writePeaks?.length, 1);
    assert.equal(record.writePeaks![0]!.recordsPerSecond, 3000);
    await clock.advance(31 * DAY_MS);
    await reopened.scaleOnDemandStreams();
    assert.deepEqual((await storage.metadata.load()).streams.find((stream) => stream.name === 'od')!.writePeaks, []);
  });

  it('scales to the warm throughput the stream was given', async () => {
    const { engine } = await startEngine({ onDemandScalingCheckMs: 0 });
    await engine.updateAccountSettings('ENABLED');
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND' });
    const warm = await engine.updateWarmThroughput('od', 10);
    assert.deepEqual(warm, { targetMiBps: 10, currentMiBps: 10 });
    await engine.scaleOnDemandStreams();
    assert.equal(engine.describeStream('od').openShardCount, 10);
  });
});

describe('stream encryption flags', () => {
  it('marks records written after StartStreamEncryption KMS and after StopStreamEncryption NONE', async () => {
    const { engine, clock } = await startEngine({ updateStreamMs: 100 });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const plain = await engine.putRecord('s', { data: bytes('plain'), partitionKey: 'p' });
    assert.equal(plain.encryptionType, 'NONE');
    await engine.startStreamEncryption('s', 'KMS', 'alias/aws/kinesis');
    assert.equal(engine.describeStream('s').status, 'UPDATING');
    await clock.advance(100);
    assert.deepEqual([engine.describeStream('s').encryptionType, engine.describeStream('s').keyId], ['KMS', 'alias/aws/kinesis']);
    await clock.advance(1);
    const secret = await engine.putRecord('s', { data: bytes('secret'), partitionKey: 'p' });
    assert.equal(secret.encryptionType, 'KMS');
    await engine.stopStreamEncryption('s', 'KMS', 'alias/aws/kinesis');
    await clock.advance(100);
    assert.equal(engine.describeStream('s').encryptionType, 'NONE');
    assert.equal(engine.describeStream('s').keyId, undefined);
    await clock.advance(1);
    await engine.putRecord('s', { data: bytes('plain again'), partitionKey: 'p' });
    const records = await readAll(engine, 's', 'shardId-000000000000');
    assert.deepEqual(records.map((record) => record.encryptionType), ['NONE', 'KMS', 'NONE']);
  });

  it('refuses EncryptionType NONE, stopping an unencrypted stream, and more than 25 starts a day', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.startStreamEncryption('s', 'NONE', 'k'), 'InvalidEncryptionType', {
      stream: 's',
      operation: 'StartStreamEncryption',
      type: 'NONE',
    });
    await assertEngineError(() => engine.stopStreamEncryption('s', 'KMS', 'k'), 'StreamNotEncrypted', { stream: 's' });
    for (let i = 0; i < 25; i++) {
      await engine.startStreamEncryption('s', 'KMS', i % 2 === 0 ? 'alias/aws/kinesis' : TEST_KEY_ID);
      await clock.advance(1000);
    }
    await assertEngineError(() => engine.startStreamEncryption('s', 'KMS', 'alias/orders'), 'DailyChangeLimit', {
      stream: 's',
      kind: 'startEncryption',
      limit: 25,
    });
  });
});

describe('enhanced monitoring', () => {
  it('answers the metrics before and after, ALL standing for the seven', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    assert.deepEqual(await engine.updateShardLevelMetrics('s', ['OutgoingBytes', 'IncomingBytes'], true), {
      current: [],
      desired: ['IncomingBytes', 'OutgoingBytes'],
    });
    const all = await engine.updateShardLevelMetrics('s', ['ALL'], true);
    assert.equal(all.desired.length, 7);
    const disabled = await engine.updateShardLevelMetrics('s', ['IncomingBytes', 'IteratorAgeMilliseconds'], false);
    assert.equal(disabled.current.length, 7);
    assert.deepEqual(disabled.desired, [
      'OutgoingRecords',
      'IncomingRecords',
      'ReadProvisionedThroughputExceeded',
      'WriteProvisionedThroughputExceeded',
      'OutgoingBytes',
    ]);
    assert.deepEqual(engine.describeStream('s').shardLevelMetrics, disabled.desired);
    assert.deepEqual((await engine.updateShardLevelMetrics('s', ['ALL'], false)).desired, []);
  });
});

describe('record size and distribution', () => {
  it('lets a stream take records up to its new maximum record size', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const big = new Uint8Array(2 * 1024 * 1024);
    await assertEngineError(() => engine.putRecord('s', { data: big, partitionKey: 'p' }), 'RecordTooLarge');
    await engine.updateMaxRecordSize('s', 4096);
    assert.equal(engine.describeStream('s').maxRecordSizeKiB, 4096);
    await engine.putRecord('s', { data: big, partitionKey: 'p' });
    assert.equal((await readAll(engine, 's', 'shardId-000000000000'))[0]!.data.byteLength, big.byteLength);
  });

  it('spreads records evenly over the shards with AUTO, whatever their keys', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND' });
    assert.equal(engine.describeStream('od').recordDistribution, 'USER_PARTITION_KEY');
    await engine.updateRecordDistribution('od', 'AUTO');
    assert.equal(engine.describeStream('od').recordDistribution, 'AUTO');
    const results = await engine.putRecords(
      'od',
      Array.from({ length: 40 }, () => ({ data: bytes('x'), partitionKey: 'same-key' })),
    );
    const perShard = new Map<string, number>();
    for (const result of results) if ('shardId' in result) perShard.set(result.shardId, (perShard.get(result.shardId) ?? 0) + 1);
    assert.deepEqual([...perShard.values()], [10, 10, 10, 10]);
    await engine.updateRecordDistribution('od', 'USER_PARTITION_KEY');
    const keyed = await engine.putRecords('od', Array.from({ length: 10 }, () => ({ data: bytes('x'), partitionKey: 'same-key' })));
    assert.equal(new Set(keyed.map((result) => ('shardId' in result ? result.shardId : ''))).size, 1);
  });

  it('takes the record distribution at CreateStream, for on-demand streams only', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND', recordDistribution: 'AUTO' });
    assert.equal(engine.describeStream('od').recordDistribution, 'AUTO');
    await assertEngineError(
      () => engine.createStream({ name: 'p', mode: 'PROVISIONED', shardCount: 1, recordDistribution: 'AUTO' }),
      'AutoNeedsOnDemand',
      { stream: 'p' },
    );
  });

  it('needs a partition key unless the stream distributes AUTO', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND' });
    await assertEngineError(() => engine.putRecord('od', { data: bytes('x'), partitionKey: undefined }), 'PartitionKeyRequired', {});
    await assertEngineError(
      () => engine.putRecords('od', [{ data: bytes('x'), partitionKey: 'p' }, { data: bytes('y'), partitionKey: undefined }]),
      'PartitionKeyRequired',
      { position: 1 },
    );
    await engine.updateRecordDistribution('od', 'AUTO');
    const stored = await engine.putRecord('od', { data: bytes('keyless'), partitionKey: undefined });
    const records = await readAll(engine, 'od', stored.shardId);
    assert.deepEqual(records.map((record) => [Buffer.from(record.data).toString(), record.partitionKey]), [['keyless', '']]);
  });

  it('refuses record distribution and warm throughput on provisioned streams', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.updateRecordDistribution('s', 'AUTO'), 'AutoNeedsOnDemand', { stream: 's' });
    await assertEngineError(() => engine.updateWarmThroughput('s', 10), 'RequiresOnDemand');
  });
});

describe('warm throughput and account settings', () => {
  it('needs the billing commitment, which lasts at least 24 hours', async () => {
    const { engine, clock, storage } = await startEngine();
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND' });
    assert.deepEqual(engine.describeAccountSettings(), { status: 'DISABLED' });
    await assertEngineError(() => engine.updateWarmThroughput('od', 10), 'WarmThroughputNeedsCommitment');
    const start = clock.now();
    const enabled = await engine.updateAccountSettings('ENABLED');
    assert.deepEqual(enabled, { status: 'ENABLED', startedAt: start, earliestAllowedEndAt: start + DAY_MS });
    await assertEngineError(() => engine.updateWarmThroughput('od', 10_241), 'WarmThroughputTooHigh', { requested: 10_241, limit: 10_240 });
    await engine.updateWarmThroughput('od', 100);
    assert.deepEqual(engine.describeStream('od').warmThroughput, { targetMiBps: 100, currentMiBps: 100 });

    await clock.advance(3_600_000);
    const ending = await engine.updateAccountSettings('DISABLED');
    assert.equal(ending.status, 'ENABLED_UNTIL_EARLIEST_ALLOWED_END');
    assert.equal(ending.endedAt, undefined, 'not ended yet');
    const reopened = await Engine.open({ storage, clock, config: engine.config });
    assert.equal(reopened.describeAccountSettings().status, 'ENABLED_UNTIL_EARLIEST_ALLOWED_END');
    await clock.advance(DAY_MS);
    assert.equal(reopened.describeAccountSettings().status, 'DISABLED');
    assert.equal(reopened.describeAccountSettings().endedAt, start + DAY_MS);
    await assertEngineError(() => reopened.updateWarmThroughput('od', 10), 'WarmThroughputNeedsCommitment');
  });
});

describe('resource policies', () => {
  it('stores, returns and deletes a stream’s policy', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    assert.equal(engine.getResourcePolicy('s'), undefined);
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kinesis:GetRecords', Resource: '*' }] });
    await engine.putResourcePolicy('s', policy);
    assert.equal(engine.getResourcePolicy('s'), policy);
    await assertEngineError(() => engine.putResourcePolicy('s', '{not json'), 'InvalidResourcePolicy');
    await assertEngineError(() => engine.putResourcePolicy('s', '{"Version":"2012-10-17"}'), 'InvalidResourcePolicy');
    await engine.deleteResourcePolicy('s');
    assert.equal(engine.getResourcePolicy('s'), undefined);
    await assertEngineError(() => engine.deleteResourcePolicy('s'), 'ResourcePolicyNotFound');
  });
});

describe('DryRun', () => {
  it('checks a call fully, then answers DryRunSucceeded without writing or reading', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.putRecord('s', { data: bytes('x'), partitionKey: 'p' }, undefined, { dryRun: true }), 'DryRunSucceeded');
    await assertEngineError(() => engine.putRecords('s', [{ data: bytes('x'), partitionKey: 'p' }], { dryRun: true }), 'DryRunSucceeded');
    await assertEngineError(() => engine.putRecord('nope', { data: bytes('x'), partitionKey: 'p' }, undefined, { dryRun: true }), 'StreamNotFound');
    await assertEngineError(
      () => engine.putRecord('s', { data: bytes('x'), partitionKey: 'p', explicitHashKey: (2n ** 128n).toString() }, undefined, { dryRun: true }),
      'InvalidExplicitHashKey',
    );
    await assertEngineError(() => engine.getShardIterator('s', 'shardId-000000000000', 'LATEST', { dryRun: true }), 'DryRunSucceeded');
    await assertEngineError(() => engine.getShardIterator('s', 'shardId-000000000005', 'LATEST', { dryRun: true }), 'ShardNotFound');
    const iterator = await engine.getShardIterator('s', 'shardId-000000000000', 'TRIM_HORIZON');
    await assertEngineError(() => engine.getRecords(iterator, { dryRun: true }), 'DryRunSucceeded');
    await assertEngineError(() => engine.getRecords('bogus', { dryRun: true }), 'InvalidShardIterator');
    assert.equal((await engine.getRecords(iterator)).records.length, 0, 'nothing was written');
  });
});

const MIB = 1024 * 1024;

describe('record size on AUTO streams', () => {
  it('refuses a keyless record above the stream maximum record size, as it refuses a keyed one', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND', recordDistribution: 'AUTO' });
    assert.equal(engine.describeStream('od').maxRecordSizeKiB, 1024);
    const big = new Uint8Array(2 * MIB);
    await assertEngineError(() => engine.putRecord('od', { data: big, partitionKey: 'k' }), 'RecordTooLarge');
    await assertEngineError(() => engine.putRecord('od', { data: big, partitionKey: undefined }), 'RecordTooLarge');
  });

  it('refuses the same in PutRecords', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND', recordDistribution: 'AUTO' });
    await assertEngineError(
      () => engine.putRecords('od', [{ data: bytes('ok'), partitionKey: undefined }, { data: new Uint8Array(2 * MIB), partitionKey: undefined }]),
      'RecordTooLarge',
    );
  });
});

describe('on-demand scaling to the warm throughput maximum', () => {
  it('gives a stream of 4,096 MiB/s warm throughput its 4,096 shards in one check, tiling the key space', async () => {
    const { engine } = await startEngine();
    await engine.updateAccountSettings('ENABLED');
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND' });
    await engine.updateWarmThroughput('od', 4096);
    await engine.scaleOnDemandStreams();
    const open = engine.describeStream('od').shards.filter((shard) => shard.endingSequenceNumber === undefined);
    assert.equal(open.length, 4096);
    let next = 0n;
    for (const shard of [...open].sort((a, b) => (a.hashKeyRange.start < b.hashKeyRange.start ? -1 : 1))) {
      assert.equal(shard.hashKeyRange.start, next);
      next = shard.hashKeyRange.end + 1n;
    }
    assert.equal(next, 2n ** 128n);
  });
});
