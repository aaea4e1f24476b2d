import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';

describe('ListStreams, ListShards, DescribeStream(Summary), DescribeLimits conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    for (const name of ['alpha', 'bravo', 'charlie']) await server.call('CreateStream', { StreamName: name, ShardCount: 3 });
  });
  after(() => server.close());

  it('lists streams in name order with Limit, ExclusiveStartStreamName and NextToken', async () => {
    const first = (await server.call('ListStreams', { Limit: 2 })).body;
    assert.deepEqual(first.StreamNames, ['alpha', 'bravo']);
    assert.equal(first.HasMoreStreams, true);
    assert.equal(first.StreamSummaries[0].StreamARN, `arn:aws:kinesis:us-east-1:${account}:stream/alpha`);
    assert.equal(first.StreamSummaries[0].StreamModeDetails.StreamMode, 'PROVISIONED');
    const next = (await server.call('ListStreams', { NextToken: first.NextToken })).body;
    assert.deepEqual(next.StreamNames, ['charlie']);
    assert.equal(next.HasMoreStreams, false);
    assert.equal(next.NextToken, undefined);
    const legacy = (await server.call('ListStreams', { ExclusiveStartStreamName: 'alpha' })).body;
    assert.deepEqual(legacy.StreamNames, ['bravo', 'charlie']);
  });

  it('expires a ListStreams NextToken after 300 s', async () => {
    const token = (await server.call('ListStreams', { Limit: 1 })).body.NextToken;
    await server.clock.advance(300_001);
    const res = await server.call('ListStreams', { NextToken: token });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'ExpiredNextTokenException');
  });

  it('pages shards with MaxResults and NextToken, and refuses StreamName beside a NextToken', async () => {
    const first = (await server.call('ListShards', { StreamName: 'alpha', MaxResults: 2 })).body;
    assert.deepEqual(first.Shards.map((s: any) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001']);
    const rest = (await server.call('ListShards', { NextToken: first.NextToken })).body;
    assert.deepEqual(rest.Shards.map((s: any) => s.ShardId), ['shardId-000000000002']);
    assert.equal(rest.NextToken, undefined);
    expectError(await server.call('ListShards', { StreamName: 'alpha', NextToken: first.NextToken }), 'InvalidArgumentException', 'NextToken and StreamName cannot be provided together.', assert.deepEqual);
    expectError(await server.call('ListShards', {}), 'InvalidArgumentException', 'Either NextToken or StreamName should be provided.', assert.deepEqual);
    expectError(
      await server.call('ListShards', { NextToken: first.NextToken, ShardFilter: { Type: 'AT_LATEST' } }),
      'InvalidArgumentException',
      'NextToken and ShardFilter cannot be provided together.',
      assert.deepEqual,
    );
  });

  it('filters shards with every ShardFilter type', async () => {
    const ids = async (filter: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      (await server.call('ListShards', { StreamName: 'alpha', ShardFilter: filter, ...extra })).body.Shards.map((s: any) => s.ShardId);
    const all = ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002'];
    assert.deepEqual(await ids({ Type: 'AT_LATEST' }), all);
    assert.deepEqual(await ids({ Type: 'AT_TRIM_HORIZON' }), all);
    assert.deepEqual(await ids({ Type: 'FROM_TRIM_HORIZON' }), all);
    assert.deepEqual(await ids({ Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000000' }), all.slice(1));
    const now = server.clock.now() / 1000;
    assert.deepEqual(await ids({ Type: 'AT_TIMESTAMP', Timestamp: now }), all);
    assert.deepEqual(await ids({ Type: 'FROM_TIMESTAMP', Timestamp: now }), all);
    assert.deepEqual(await ids({ Type: 'AT_LATEST' }, { ExclusiveStartShardId: 'shardId-000000000001' }), all.slice(2));
    const missing = await server.call('ListShards', { StreamName: 'alpha', ShardFilter: { Type: 'AFTER_SHARD_ID' } });
    assert.equal(missing.body.__type, 'InvalidArgumentException');
  });

  it('treats a StreamCreationTimestamp of another incarnation as a missing stream', async () => {
    const res = await server.call('ListShards', { StreamName: 'alpha', StreamCreationTimestamp: 1_000_000 });
    expectError(res, 'ResourceNotFoundException', `Stream alpha under account ${account} not found.`, assert.deepEqual);
  });

  it('pages DescribeStream with Limit and ExclusiveStartShardId', async () => {
    const page = (await server.call('DescribeStream', { StreamName: 'bravo', Limit: 2 })).body.StreamDescription;
    assert.equal(page.Shards.length, 2);
    assert.equal(page.HasMoreShards, true);
    assert.deepEqual(page.EnhancedMonitoring, [{ ShardLevelMetrics: [] }]);
    assert.equal(page.EncryptionType, 'NONE');
    const rest = (await server.call('DescribeStream', { StreamName: 'bravo', ExclusiveStartShardId: 'shardId-000000000001' })).body.StreamDescription;
    assert.deepEqual(rest.Shards.map((s: any) => s.ShardId), ['shardId-000000000002']);
    assert.equal(rest.HasMoreShards, false);
  });

  it('summarises a stream', async () => {
    const summary = (await server.call('DescribeStreamSummary', { StreamName: 'charlie' })).body.StreamDescriptionSummary;
    assert.equal(summary.OpenShardCount, 3);
    assert.equal(summary.StreamStatus, 'ACTIVE');
    assert.equal(summary.RetentionPeriodHours, 24);
    assert.equal(summary.ConsumerCount, 0);
    assert.equal(summary.MaxRecordSizeInKiB, 1024);
    assert.deepEqual(summary.StreamModeDetails, { StreamMode: 'PROVISIONED' });
  });

  it('describes the account limits', async () => {
    const limits = (await server.call('DescribeLimits', {})).body;
    assert.deepEqual(limits, { ShardLimit: 50, OpenShardCount: 9, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 5, ChannelCount: 0, ChannelCountLimit: 10 });
  });
});
