import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';
const SHARD = 'shardId-000000000000';
const none = { throttle: 0, internal: 0 };

describe('fault injection conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({
      accountId: account,
      faultInjection: {
        seed: 5,
        rules: {
          ListStreams: { ...none, internal: 1 },
          DescribeStreamSummary: { ...none, throttle: 1 },
          DescribeLimits: { ...none, throttle: 1 },
          PutRecords: { throttle: 0.3, internal: 0.3 },
          PutRecord: { ...none, internal: 1 },
          GetRecords: { ...none, throttle: 1 },
        },
      },
    });
    await server.call('CreateStream', { StreamName: 'foo', ShardCount: 1 });
  });
  after(() => server.close());

  it('answers InternalFailure as AWS does: HTTP 500 and no message', async () => {
    assert.deepEqual(await server.call('ListStreams', {}), { status: 500, body: { __type: 'InternalFailure' } });
    assert.deepEqual(await server.call('PutRecord', { StreamName: 'foo', PartitionKey: 'k', Data: 'eA==' }), {
      status: 500,
      body: { __type: 'InternalFailure' },
    });
  });

  it('throttles control-plane calls with LimitExceededException and data-plane calls with ProvisionedThroughputExceededException', async () => {
    expectError(await server.call('DescribeStreamSummary', { StreamName: 'foo' }), 'LimitExceededException', `Rate exceeded for stream foo under account ${account}.`, assert.deepEqual);
    expectError(await server.call('DescribeLimits', {}), 'LimitExceededException', `Rate exceeded for account ${account}.`, assert.deepEqual);
    const iterator = (await server.call('GetShardIterator', { StreamName: 'foo', ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator;
    expectError(
      await server.call('GetRecords', { ShardIterator: iterator }),
      'ProvisionedThroughputExceededException',
      `Rate exceeded for Shard - ${account}/foo/${SHARD}`,
      assert.deepEqual,
    );
  });

  it('fails PutRecords entries one by one, with the messages retry logic sees on AWS', async () => {
    const res = await server.call('PutRecords', {
      StreamName: 'foo',
      Records: Array.from({ length: 100 }, (_, i) => ({ PartitionKey: `p${i}`, Data: 'eA==' })),
    });
    assert.equal(res.status, 200);
    const records: { ErrorCode?: string; ErrorMessage?: string; ShardId?: string }[] = res.body.Records;
    const failed = records.filter((r) => r.ErrorCode !== undefined);
    assert.equal(res.body.FailedRecordCount, failed.length);
    const codes = new Set(failed.map((r) => `${r.ErrorCode}: ${r.ErrorMessage}`));
    assert.deepEqual(codes, new Set([
      `ProvisionedThroughputExceededException: Rate exceeded for shard ${SHARD} in stream foo under account ${account}.`,
      'InternalFailure: Internal service failure.',
    ]));
    assert.ok(failed.length > 30 && failed.length < 90, `failed ${failed.length}`);
    assert.ok(records.some((r) => r.ShardId === SHARD));
  });

  it('leaves operations the plan does not name alone', async () => {
    for (let call = 0; call < 20; call++) assert.equal((await server.call('DescribeStream', { StreamName: 'foo' })).status, 200);
  });
});
