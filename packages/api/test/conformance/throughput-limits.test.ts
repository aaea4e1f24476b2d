import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';
const SHARD = 'shardId-000000000000';
const MiB = 1024 * 1024;
/** Base64 of `bytes` zero bytes. */
const zeros = (bytes: number) => Buffer.alloc(bytes).toString('base64');

describe('throughput limits conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ accountId: account, throughputLimits: true });
    await server.call('CreateStream', { StreamName: 'foo', ShardCount: 1 });
  });
  after(() => server.close());

  it('answers a PutRecord over its shard\'s 1 MiB/s with ProvisionedThroughputExceededException', async () => {
    await server.clock.advance(1000);
    assert.equal((await server.call('PutRecord', { StreamName: 'foo', PartitionKey: 'k', Data: zeros(MiB - 1) })).status, 200);
    expectError(
      await server.call('PutRecord', { StreamName: 'foo', PartitionKey: 'k', Data: zeros(1) }),
      'ProvisionedThroughputExceededException',
      `Rate exceeded for shard ${SHARD} in stream foo under account ${account}.`,
      assert.deepEqual,
    );
  });

  it('answers PutRecords entries over budget per entry with AWS\'s ErrorCode and ErrorMessage', async () => {
    await server.clock.advance(1000);
    const half = { PartitionKey: 'k', Data: zeros(MiB / 2 - 1) };
    const res = await server.call('PutRecords', { StreamName: 'foo', Records: [half, half, half, { PartitionKey: 'k', Data: zeros(1) }] });
    assert.equal(res.status, 200);
    assert.equal(res.body.FailedRecordCount, 2);
    assert.equal(res.body.Records.length, 4);
    assert.equal(res.body.Records[0].ShardId, SHARD);
    assert.equal(res.body.Records[1].ShardId, SHARD);
    const refused = {
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: `Rate exceeded for shard ${SHARD} in stream foo under account ${account}.`,
    };
    assert.deepEqual(res.body.Records.slice(2), [refused, refused]);
  });

  it('answers GetRecords over 5 calls a second with ProvisionedThroughputExceededException', async () => {
    await server.clock.advance(1000);
    const iterator = (await server.call('GetShardIterator', { StreamName: 'foo', ShardId: SHARD, ShardIteratorType: 'LATEST' })).body.ShardIterator;
    for (let call = 0; call < 5; call++) assert.equal((await server.call('GetRecords', { ShardIterator: iterator })).status, 200);
    expectError(
      await server.call('GetRecords', { ShardIterator: iterator }),
      'ProvisionedThroughputExceededException',
      `Rate exceeded for Shard - ${account}/foo/${SHARD}`,
      assert.deepEqual,
    );
  });

  it('answers GetShardIterator over 5 calls a second with ProvisionedThroughputExceededException', async () => {
    await server.clock.advance(1000);
    const input = { StreamName: 'foo', ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' };
    for (let call = 0; call < 5; call++) assert.equal((await server.call('GetShardIterator', input)).status, 200);
    expectError(
      await server.call('GetShardIterator', input),
      'ProvisionedThroughputExceededException',
      `Rate exceeded for Shard - ${account}/foo/${SHARD}`,
      assert.deepEqual,
    );
  });
});
