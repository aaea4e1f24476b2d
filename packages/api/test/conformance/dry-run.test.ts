import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';
const arn = (name: string) => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const SHARD = 'shardId-000000000000';
const DRY_RUN = 'Request would have succeeded, but DryRun flag is set.';

describe('DryRun conformance (PutRecord, PutRecords, GetShardIterator, GetRecords)', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'dry', ShardCount: 1 });
  });
  after(() => server.close());

  const iterator = async () =>
    (await server.call('GetShardIterator', { StreamName: 'dry', ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator as string;
  const stored = async () => (await server.call('GetRecords', { ShardIterator: await iterator() })).body.Records.map((r: any) => r.PartitionKey);

  const passing: Array<{ name: string; operation: string; input: () => Promise<Record<string, unknown>> | Record<string, unknown> }> = [
    { name: 'PutRecord', operation: 'PutRecord', input: () => ({ StreamName: 'dry', PartitionKey: 'dry-1', Data: b64('x'), DryRun: true }) },
    { name: 'PutRecord by StreamARN', operation: 'PutRecord', input: () => ({ StreamARN: arn('dry'), PartitionKey: 'dry-2', Data: b64('x'), DryRun: true }) },
    {
      name: 'PutRecords',
      operation: 'PutRecords',
      input: () => ({ StreamName: 'dry', Records: [{ PartitionKey: 'dry-3', Data: b64('x') }, { PartitionKey: 'dry-4', Data: b64('y') }], DryRun: true }),
    },
    { name: 'GetShardIterator', operation: 'GetShardIterator', input: () => ({ StreamName: 'dry', ShardId: SHARD, ShardIteratorType: 'LATEST', DryRun: true }) },
    {
      name: 'GetShardIterator AT_TIMESTAMP',
      operation: 'GetShardIterator',
      input: () => ({ StreamName: 'dry', ShardId: SHARD, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: server.clock.now() / 1000, DryRun: true }),
    },
    { name: 'GetRecords', operation: 'GetRecords', input: async () => ({ ShardIterator: await iterator(), DryRun: true }) },
    { name: 'GetRecords with StreamARN and Limit', operation: 'GetRecords', input: async () => ({ ShardIterator: await iterator(), StreamARN: arn('dry'), Limit: 5, DryRun: true }) },
  ];
  for (const { name, operation, input } of passing) {
    it(`answers DryRunOperationException (400) for a valid ${name} and does nothing`, async () => {
      const before = await stored();
      expectError(await server.call(operation, await input()), 'DryRunOperationException', DRY_RUN, assert.deepEqual);
      assert.deepEqual(await stored(), before);
    });
  }

  it('writes nothing on a DryRun put, and DryRun false writes as usual', async () => {
    assert.deepEqual(await stored(), []);
    const put = await server.call('PutRecord', { StreamName: 'dry', PartitionKey: 'real-1', Data: b64('x'), DryRun: false });
    assert.equal(put.status, 200);
    const many = await server.call('PutRecords', { StreamName: 'dry', Records: [{ PartitionKey: 'real-2', Data: b64('x') }], DryRun: false });
    assert.equal(many.body.FailedRecordCount, 0);
    assert.deepEqual(await stored(), ['real-1', 'real-2']);
  });

  it('leaves an iterator used by a DryRun GetRecords usable, and DryRun false reads as usual', async () => {
    const it = await iterator();
    expectError(await server.call('GetRecords', { ShardIterator: it, DryRun: true }), 'DryRunOperationException', DRY_RUN, assert.deepEqual);
    const read = await server.call('GetRecords', { ShardIterator: it, DryRun: false });
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.Records.map((r: any) => r.PartitionKey), ['real-1', 'real-2']);
    const got = await server.call('GetShardIterator', { StreamName: 'dry', ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON', DryRun: false });
    assert.equal(got.status, 200);
    assert.equal(typeof got.body.ShardIterator, 'string');
  });

  const failing: Array<{
    name: string;
    operation: string;
    input: () => Promise<Record<string, unknown>> | Record<string, unknown>;
    type: string;
    message: string;
  }> = [
    {
      name: 'PutRecord to an unknown stream',
      operation: 'PutRecord',
      input: () => ({ StreamName: 'absent', PartitionKey: 'k', Data: b64('x'), DryRun: true }),
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'PutRecord with a bad ExplicitHashKey',
      operation: 'PutRecord',
      input: () => ({ StreamName: 'dry', PartitionKey: 'k', Data: b64('x'), ExplicitHashKey: '340282366920938463463374607431768211456', DryRun: true }),
      type: 'InvalidArgumentException',
      message: 'Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was 340282366920938463463374607431768211456',
    },
    {
      name: 'PutRecord of a record over the stream\'s maximum',
      operation: 'PutRecord',
      input: () => ({ StreamName: 'dry', PartitionKey: 'k', Data: Buffer.alloc(1024 * 1024, 1).toString('base64'), DryRun: true }),
      type: 'ValidationException',
      message: "1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576.",
    },
    {
      name: 'PutRecord without a PartitionKey (the model)',
      operation: 'PutRecord',
      input: () => ({ StreamName: 'dry', Data: b64('x'), DryRun: true }),
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'partitionKey' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'PutRecords to an unknown stream',
      operation: 'PutRecords',
      input: () => ({ StreamName: 'absent', Records: [{ PartitionKey: 'k', Data: b64('x') }], DryRun: true }),
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'PutRecords with a record over the stream\'s maximum',
      operation: 'PutRecords',
      input: () => ({
        StreamName: 'dry',
        Records: [{ PartitionKey: 'k', Data: b64('x') }, { PartitionKey: 'k', Data: Buffer.alloc(1024 * 1024, 1).toString('base64') }],
        DryRun: true,
      }),
      type: 'ValidationException',
      message: "1 validation error detected: Value at 'records.2.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576.",
    },
    {
      name: 'GetShardIterator on an unknown shard',
      operation: 'GetShardIterator',
      input: () => ({ StreamName: 'dry', ShardId: 'shardId-000000000007', ShardIteratorType: 'LATEST', DryRun: true }),
      type: 'ResourceNotFoundException',
      message: `Shard shardId-000000000007 in stream dry under account ${account} does not exist`,
    },
    {
      name: 'GetShardIterator on an unknown stream',
      operation: 'GetShardIterator',
      input: () => ({ StreamName: 'absent', ShardId: SHARD, ShardIteratorType: 'LATEST', DryRun: true }),
      type: 'ResourceNotFoundException',
      message: `Shard ${SHARD} in stream absent under account ${account} does not exist`,
    },
    {
      name: 'GetShardIterator AT_SEQUENCE_NUMBER without a sequence number',
      operation: 'GetShardIterator',
      input: () => ({ StreamName: 'dry', ShardId: SHARD, ShardIteratorType: 'AT_SEQUENCE_NUMBER', DryRun: true }),
      type: 'InvalidArgumentException',
      message:
        'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
        '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.',
    },
    {
      name: 'GetShardIterator AT_TIMESTAMP without a timestamp',
      operation: 'GetShardIterator',
      input: () => ({ StreamName: 'dry', ShardId: SHARD, ShardIteratorType: 'AT_TIMESTAMP', DryRun: true }),
      type: 'InvalidArgumentException',
      message: 'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
    },
    {
      name: 'GetRecords with an iterator that is not one',
      operation: 'GetRecords',
      input: () => ({ ShardIterator: 'AAAAAAAAAAGarbageGarbageGarbageGarbage', DryRun: true }),
      type: 'InvalidArgumentException',
      message: 'Invalid ShardIterator.',
    },
    {
      name: 'GetRecords with a Limit of 0 (the model)',
      operation: 'GetRecords',
      input: async () => ({ ShardIterator: await iterator(), Limit: 0, DryRun: true }),
      type: 'ValidationException',
      message: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    },
  ];
  for (const { name, operation, input, type, message } of failing) {
    it(`answers the real error for a DryRun ${name}`, async () => {
      const before = await stored();
      expectError(await server.call(operation, await input()), type, message, assert.deepEqual);
      assert.deepEqual(await stored(), before);
    });
  }

  it('answers ExpiredIteratorException for a DryRun GetRecords with an expired iterator', async () => {
    const it = await iterator();
    await server.clock.advance(300_001);
    const res = await server.call('GetRecords', { ShardIterator: it, DryRun: true });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'ExpiredIteratorException');
    assert.match(res.body.message, /^Iterator expired\. The iterator was created at time .* UTC \d{4} while right now it is .* UTC \d{4} which is further in the future than the tolerated delay of 300000 milliseconds\.$/);
  });

  it('answers the real error for a DryRun PutRecords over 10 MiB', async () => {
    const one = Buffer.alloc(1024 * 1024 - 1, 1).toString('base64');
    expectError(
      await server.call('PutRecords', { StreamName: 'dry', Records: Array.from({ length: 11 }, () => ({ PartitionKey: 'k', Data: one })), DryRun: true }),
      'InvalidArgumentException',
      'Records size exceeds 10 MB limit',
      assert.deepEqual,
    );
  });
});

describe('DryRun rate (1 call a second per stream, shared by the data-plane operations)', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ throughputLimits: true });
    await server.call('CreateStream', { StreamName: 'dry-rate', ShardCount: 1 });
    await server.call('CreateStream', { StreamName: 'other', ShardCount: 1 });
  });
  after(() => server.close());

  it('answers ThrottlingException to a second dry run within the second, on any operation of the stream', async () => {
    const put = { StreamName: 'dry-rate', PartitionKey: 'p', Data: b64('x'), DryRun: true };
    expectError(await server.call('PutRecord', put), 'DryRunOperationException', DRY_RUN, assert.deepEqual);
    expectError(
      await server.call('GetShardIterator', { StreamName: 'dry-rate', ShardId: SHARD, ShardIteratorType: 'LATEST', DryRun: true }),
      'ThrottlingException',
      'Rate exceeded',
      assert.deepEqual,
    );
    // Another stream has its own budget; a real call is not counted.
    expectError(await server.call('PutRecord', { ...put, StreamName: 'other' }), 'DryRunOperationException', DRY_RUN, assert.deepEqual);
    assert.equal((await server.call('PutRecord', { ...put, DryRun: false })).status, 200);
    await server.clock.advance(1000);
    expectError(await server.call('PutRecords', { StreamName: 'dry-rate', Records: [{ PartitionKey: 'p', Data: b64('x') }], DryRun: true }), 'DryRunOperationException', DRY_RUN, assert.deepEqual);
  });
});
