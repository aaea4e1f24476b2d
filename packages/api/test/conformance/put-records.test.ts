import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** The shard AWS routes a key to: MD5 as a 128-bit big-endian integer, within the evenly split ranges. */
function expectedShard(partitionKey: string, shardCount: number): string {
  const hash = BigInt('0x' + createHash('md5').update(partitionKey, 'utf8').digest('hex'));
  const width = 2n ** 128n / BigInt(shardCount);
  const index = Math.min(Number(hash / width), shardCount - 1);
  return `shardId-${String(index).padStart(12, '0')}`;
}

describe('PutRecord and PutRecords conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'writes', ShardCount: 4 });
  });
  after(() => server.close());

  it('routes by the MD5 of the partition key', async () => {
    for (const key of ['user1', 'user2', 'ü-ñ-∂', 'a'.repeat(256), '0']) {
      const res = await server.call('PutRecord', { StreamName: 'writes', PartitionKey: key, Data: b64('x') });
      assert.equal(res.status, 200);
      assert.equal(res.body.ShardId, expectedShard(key, 4), key);
      assert.match(res.body.SequenceNumber, /^\d{56}$/);
    }
  });

  it('routes by ExplicitHashKey and rejects one outside [0, 2^128-1]', async () => {
    const top = (await server.call('PutRecord', { StreamName: 'writes', PartitionKey: 'k', Data: b64('x'), ExplicitHashKey: '340282366920938463463374607431768211455' })).body;
    assert.equal(top.ShardId, 'shardId-000000000003');
    expectError(
      await server.call('PutRecord', { StreamName: 'writes', PartitionKey: 'k', Data: b64('x'), ExplicitHashKey: '340282366920938463463374607431768211456' }),
      'InvalidArgumentException',
      'Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was 340282366920938463463374607431768211456',
      assert.deepEqual,
    );
  });

  it('gives strictly increasing sequence numbers within a shard', async () => {
    let previous = 0n;
    for (let i = 0; i < 20; i++) {
      const res = await server.call('PutRecord', { StreamName: 'writes', PartitionKey: 'same', Data: b64(String(i)) });
      const sequence = BigInt(res.body.SequenceNumber);
      assert.ok(sequence > previous);
      previous = sequence;
    }
  });

  it('returns one result per record, in request order', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`);
    const res = await server.call('PutRecords', { StreamName: 'writes', Records: keys.map((k) => ({ PartitionKey: k, Data: b64(k) })) });
    assert.equal(res.status, 200);
    assert.equal(res.body.FailedRecordCount, 0);
    assert.equal(res.body.Records.length, 100);
    res.body.Records.forEach((entry: any, i: number) => assert.equal(entry.ShardId, expectedShard(keys[i]!, 4)));
  });

  it('rejects more than 500 records with the Coral message', async () => {
    const records = Array.from({ length: 501 }, () => ({ PartitionKey: 'k', Data: b64('x') }));
    const res = await server.call('PutRecords', { StreamName: 'writes', Records: records });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'ValidationException');
    assert.match(res.body.message, /^1 validation error detected: Value '.*' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/s);
  });

  it('reports a missing stream for both operations', async () => {
    expectError(await server.call('PutRecord', { StreamName: 'absent', PartitionKey: 'k', Data: b64('x') }), 'ResourceNotFoundException', `Stream absent under account ${account} not found.`, assert.deepEqual);
    expectError(await server.call('PutRecords', { StreamName: 'absent', Records: [{ PartitionKey: 'k', Data: b64('x') }] }), 'ResourceNotFoundException', `Stream absent under account ${account} not found.`, assert.deepEqual);
  });

  it('needs a StreamName or a StreamARN, and an ARN of another account names no stream here', async () => {
    const noStream = await server.call('PutRecord', { PartitionKey: 'k', Data: b64('x') });
    assert.equal(noStream.status, 400);
    assert.equal(noStream.body.__type, 'InvalidArgumentException');
    expectError(
      await server.call('PutRecord', { StreamARN: 'arn:aws:kinesis:us-east-1:999999999999:stream/writes', PartitionKey: 'k', Data: b64('x') }),
      'ResourceNotFoundException',
      'Stream writes under account 999999999999 not found.',
      assert.deepEqual,
    );
    const byArn = await server.call('PutRecord', { StreamARN: `arn:aws:kinesis:us-east-1:${account}:stream/writes`, PartitionKey: 'k', Data: b64('x') });
    assert.equal(byArn.status, 200);
  });

  it('accepts a record of exactly 1 MiB (data plus key) and refuses a larger one', async () => {
    const key = 'k';
    const exact = Buffer.alloc(1024 * 1024 - key.length, 7).toString('base64');
    assert.equal((await server.call('PutRecord', { StreamName: 'writes', PartitionKey: key, Data: exact })).status, 200);
    const over = Buffer.alloc(1024 * 1024, 7).toString('base64');
    const res = await server.call('PutRecord', { StreamName: 'writes', PartitionKey: key, Data: over });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'ValidationException');
  });

  it('honours a stream\'s MaxRecordSizeInKiB up to 10 MiB records', async () => {
    await server.call('CreateStream', { StreamName: 'large', ShardCount: 1, MaxRecordSizeInKiB: 2048 });
    const summary = (await server.call('DescribeStreamSummary', { StreamName: 'large' })).body.StreamDescriptionSummary;
    assert.equal(summary.MaxRecordSizeInKiB, 2048);
    const big = Buffer.alloc(1536 * 1024, 3);
    const put = await server.call('PutRecord', { StreamName: 'large', PartitionKey: 'k', Data: big.toString('base64') });
    assert.equal(put.status, 200);
    const iterator = (await server.call('GetShardIterator', { StreamName: 'large', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator;
    const got = (await server.call('GetRecords', { ShardIterator: iterator })).body.Records;
    assert.equal(got.length, 1);
    assert.ok(Buffer.from(got[0].Data, 'base64').equals(big));
    const tooBig = await server.call('PutRecord', { StreamName: 'large', PartitionKey: 'k', Data: Buffer.alloc(2048 * 1024, 3).toString('base64') });
    assert.equal(tooBig.status, 400);
    const outOfRange = await server.call('CreateStream', { StreamName: 'huge', ShardCount: 1, MaxRecordSizeInKiB: 10241 });
    assert.equal(outOfRange.body.__type, 'ValidationException');
  });
});
