import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';

describe('CreateStream conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ shardLimit: 10 });
  });
  after(() => server.close());

  it('answers 200 with an empty body and a content type', async () => {
    const res = await server.call('CreateStream', { StreamName: 'created', ShardCount: 3 });
    assert.deepEqual(res, { status: 200, body: undefined });
  });

  it('splits the hash key space as AWS does (kinesalite test/createStream.js, run against AWS)', async () => {
    const res = await server.call('DescribeStream', { StreamName: 'created' });
    const shards = res.body.StreamDescription.Shards;
    assert.deepEqual(
      shards.map((s: any) => [s.ShardId, s.HashKeyRange.StartingHashKey, s.HashKeyRange.EndingHashKey]),
      [
        ['shardId-000000000000', '0', '113427455640312821154458202477256070484'],
        ['shardId-000000000001', '113427455640312821154458202477256070485', '226854911280625642308916404954512140969'],
        ['shardId-000000000002', '226854911280625642308916404954512140970', '340282366920938463463374607431768211455'],
      ],
    );
    for (const shard of shards) assert.match(shard.SequenceNumberRange.StartingSequenceNumber, /^\d{56}$/);
    assert.equal(res.body.StreamDescription.StreamARN, `arn:aws:kinesis:us-east-1:${account}:stream/created`);
  });

  it('rejects an existing name with ResourceInUseException', async () => {
    expectError(
      await server.call('CreateStream', { StreamName: 'created', ShardCount: 1 }),
      'ResourceInUseException',
      `Stream created under account ${account} already exists.`,
      assert.deepEqual,
    );
  });

  it('enforces the shard quota with AWS\'s message', async () => {
    expectError(
      await server.call('CreateStream', { StreamName: 'too-big', ShardCount: 1000 }),
      'LimitExceededException',
      `This request would exceed the shard limit for the account ${account} in us-east-1. ` +
        'Current shard count for the account: 3. Limit: 10. ' +
        'Number of additional shards that would have resulted from this request: 1000. ' +
        'Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) ' +
        'for current limits and how to request higher limits.',
      assert.deepEqual,
    );
  });

  it('requires ShardCount for a provisioned stream', async () => {
    expectError(
      await server.call('CreateStream', { StreamName: 'no-count', StreamModeDetails: { StreamMode: 'PROVISIONED' } }),
      'InvalidArgumentException',
      'ShardCount cannot be null when creating stream in PROVISIONED StreamMode',
      assert.deepEqual,
    );
  });

  it('validates names with the Coral grammar (kinesalite test/createStream.js)', async () => {
    const long = 'a'.repeat(129);
    expectError(
      await server.call('CreateStream', { StreamName: long, ShardCount: 1 }),
      'ValidationException',
      `1 validation error detected: Value '${long}' at 'streamName' failed to satisfy constraint: ` +
        'Member must have length less than or equal to 128',
      assert.deepEqual,
    );
    expectError(
      await server.call('CreateStream', { StreamName: '', ShardCount: 0 }),
      'ValidationException',
      "3 validation errors detected: Value '0' at 'shardCount' failed to satisfy constraint: " +
        'Member must have value greater than or equal to 1; ' +
        "Value '' at 'streamName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; ' +
        "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
      assert.deepEqual,
    );
  });

  it('rejects a ShardCount of the wrong type with SerializationException', async () => {
    const res = await server.call('CreateStream', { StreamName: 'typed', ShardCount: 'three' });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'SerializationException');
  });

  it('goes CREATING then ACTIVE after the configured delay', async () => {
    const slow = await startConformanceServer({ createStreamMs: 500 });
    try {
      await slow.call('CreateStream', { StreamName: 'slow', ShardCount: 2 });
      const creating = (await slow.call('DescribeStream', { StreamName: 'slow' })).body.StreamDescription;
      assert.equal(creating.StreamStatus, 'CREATING');
      assert.deepEqual(creating.Shards, []);
      // Data-plane calls see a CREATING stream as missing (kinesalite actions/putRecord.js).
      expectError(
        await slow.call('PutRecord', { StreamName: 'slow', PartitionKey: 'a', Data: 'AA==' }),
        'ResourceNotFoundException',
        `Stream slow under account ${account} not found.`,
        assert.deepEqual,
      );
      expectError(
        await slow.call('IncreaseStreamRetentionPeriod', { StreamName: 'slow', RetentionPeriodHours: 48 }),
        'ResourceInUseException',
        `Stream slow under account ${account} not ACTIVE, instead in state CREATING`,
        assert.deepEqual,
      );
      // At most five streams may be CREATING at once (the model's CreateStream documentation).
      for (let i = 1; i <= 4; i++) assert.equal((await slow.call('CreateStream', { StreamName: `slow${i}`, ShardCount: 1 })).status, 200);
      const sixth = await slow.call('CreateStream', { StreamName: 'slow5', ShardCount: 1 });
      assert.equal(sixth.status, 400);
      assert.equal(sixth.body.__type, 'LimitExceededException');
      await slow.clock.advance(500);
      const active = (await slow.call('DescribeStream', { StreamName: 'slow' })).body.StreamDescription;
      assert.equal(active.StreamStatus, 'ACTIVE');
      assert.equal(active.Shards.length, 2);
    } finally {
      await slow.close();
    }
  });
});
