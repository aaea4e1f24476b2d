import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';

describe('GetShardIterator conformance', () => {
  let server: ConformanceServer;
  let firstSequence: string;
  let otherShardSequence: string;

  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'iter', ShardCount: 2 });
    await server.call('CreateStream', { StreamName: 'other', ShardCount: 1 });
    firstSequence = (await server.call('PutRecord', { StreamName: 'iter', PartitionKey: 'a', Data: 'AQ==', ExplicitHashKey: '0' })).body.SequenceNumber;
    otherShardSequence = (
      await server.call('PutRecord', { StreamName: 'iter', PartitionKey: 'a', Data: 'Ag==', ExplicitHashKey: '340282366920938463463374607431768211455' })
    ).body.SequenceNumber;
  });
  after(() => server.close());

  const iterator = (input: Record<string, unknown>) =>
    server.call('GetShardIterator', { StreamName: 'iter', ShardId: 'shardId-000000000000', ...input });

  it('returns an opaque iterator of at most 512 characters for every type', async () => {
    for (const input of [
      { ShardIteratorType: 'TRIM_HORIZON' },
      { ShardIteratorType: 'LATEST' },
      { ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: firstSequence },
      { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: firstSequence },
      { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: server.clock.now() / 1000 - 60 },
    ]) {
      const res = await iterator(input);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.ShardIterator.length >= 1 && res.body.ShardIterator.length <= 512);
    }
  });

  it('rejects a sequence number with TRIM_HORIZON or LATEST, and none with AT_/AFTER_', async () => {
    const mismatch = (type: string, also: boolean) =>
      'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
      '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ' +
      `Request specified ${type} and ${also ? 'also a' : 'no'} StartingSequenceNumber.`;
    expectError(await iterator({ ShardIteratorType: 'TRIM_HORIZON', StartingSequenceNumber: firstSequence }), 'InvalidArgumentException', mismatch('TRIM_HORIZON', true), assert.deepEqual);
    expectError(await iterator({ ShardIteratorType: 'LATEST', StartingSequenceNumber: firstSequence }), 'InvalidArgumentException', mismatch('LATEST', true), assert.deepEqual);
    expectError(await iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER' }), 'InvalidArgumentException', mismatch('AT_SEQUENCE_NUMBER', false), assert.deepEqual);
    expectError(await iterator({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' }), 'InvalidArgumentException', mismatch('AFTER_SEQUENCE_NUMBER', false), assert.deepEqual);
  });

  it('requires a timestamp for AT_TIMESTAMP and refuses one in the future', async () => {
    expectError(
      await iterator({ ShardIteratorType: 'AT_TIMESTAMP' }),
      'InvalidArgumentException',
      'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
      assert.deepEqual,
    );
    const now = server.clock.now();
    const future = now + 3_600_000;
    expectError(
      await iterator({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: future / 1000 }),
      'InvalidArgumentException',
      `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${future}, currentTimestampInMillis: ${now}`,
      assert.deepEqual,
    );
  });

  it('names the shard a sequence number encodes when it is used on another shard', async () => {
    expectError(
      await iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: otherShardSequence }),
      'InvalidArgumentException',
      'Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard with shardId-000000000000',
      assert.deepEqual,
    );
  });

  it('reports a missing shard and a missing stream', async () => {
    expectError(
      await iterator({ ShardId: 'shardId-000000000009', ShardIteratorType: 'LATEST' }),
      'ResourceNotFoundException',
      `Shard shardId-000000000009 in stream iter under account ${account} does not exist`,
      assert.deepEqual,
    );
    // AWS words a missing stream as a missing shard here (kinesalite actions/getShardIterator.js).
    expectError(
      await server.call('GetShardIterator', { StreamName: 'nope', ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }),
      'ResourceNotFoundException',
      `Shard shardId-000000000000 in stream nope under account ${account} does not exist`,
      assert.deepEqual,
    );
  });

  it('accepts the stream by ARN', async () => {
    const res = await server.call('GetShardIterator', {
      StreamARN: `arn:aws:kinesis:us-east-1:${account}:stream/iter`, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST',
    });
    assert.equal(res.status, 200);
  });

  it('validates the iterator type against the model enum', async () => {
    const res = await iterator({ ShardIteratorType: 'SOMEWHERE' });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'ValidationException');
    assert.equal(
      res.body.message,
      "1 validation error detected: Value 'SOMEWHERE' at 'shardIteratorType' failed to satisfy constraint: " +
        // AWS lists the enum in its own (hash-set) order, not the model's (kinesalite test/getShardIterator.js).
        'Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]',
    );
  });
});
