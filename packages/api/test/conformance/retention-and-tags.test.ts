import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';
const arn = (name: string) => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;

describe('retention and tags conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'kept', ShardCount: 1 });
  });
  after(() => server.close());

  const retention = async () => (await server.call('DescribeStreamSummary', { StreamName: 'kept' })).body.StreamDescriptionSummary.RetentionPeriodHours;

  it('increases and decreases retention within 24..8760 hours, in the right direction only', async () => {
    assert.equal((await server.call('IncreaseStreamRetentionPeriod', { StreamName: 'kept', RetentionPeriodHours: 72 })).status, 200);
    assert.equal(await retention(), 72);
    expectError(
      await server.call('IncreaseStreamRetentionPeriod', { StreamName: 'kept', RetentionPeriodHours: 48 }),
      'InvalidArgumentException',
      'Requested retention period (48 hours) for stream kept can not be shorter than existing retention period (72 hours). Use DecreaseRetentionPeriod API.',
      assert.deepEqual,
    );
    expectError(
      await server.call('DecreaseStreamRetentionPeriod', { StreamName: 'kept', RetentionPeriodHours: 100 }),
      'InvalidArgumentException',
      'Requested retention period (100 hours) for stream kept can not be longer than existing retention period (72 hours). Use IncreaseRetentionPeriod API.',
      assert.deepEqual,
    );
    expectError(
      await server.call('DecreaseStreamRetentionPeriod', { StreamName: 'kept', RetentionPeriodHours: 23 }),
      'InvalidArgumentException',
      'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.',
      assert.deepEqual,
    );
    expectError(
      await server.call('IncreaseStreamRetentionPeriod', { StreamName: 'kept', RetentionPeriodHours: 8761 }),
      'InvalidArgumentException',
      'Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.',
      assert.deepEqual,
    );
    assert.equal((await server.call('IncreaseStreamRetentionPeriod', { StreamARN: arn('kept'), RetentionPeriodHours: 8760 })).status, 200);
    assert.equal((await server.call('DecreaseStreamRetentionPeriod', { StreamName: 'kept', RetentionPeriodHours: 24 })).status, 200);
    assert.equal(await retention(), 24);
  });

  it('hides records older than a decreased retention period at once', async () => {
    await server.call('CreateStream', { StreamName: 'aging', ShardCount: 1 });
    await server.call('IncreaseStreamRetentionPeriod', { StreamName: 'aging', RetentionPeriodHours: 48 });
    await server.call('PutRecord', { StreamName: 'aging', PartitionKey: 'old', Data: Buffer.from('old').toString('base64') });
    await server.clock.advance(30 * 3_600_000);
    await server.call('PutRecord', { StreamName: 'aging', PartitionKey: 'new', Data: Buffer.from('new').toString('base64') });
    const read = async () => {
      const it = (await server.call('GetShardIterator', { StreamName: 'aging', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator;
      return (await server.call('GetRecords', { ShardIterator: it })).body.Records.map((r: any) => r.PartitionKey);
    };
    assert.deepEqual(await read(), ['old', 'new']);
    await server.call('DecreaseStreamRetentionPeriod', { StreamName: 'aging', RetentionPeriodHours: 24 });
    assert.deepEqual(await read(), ['new']);
  });

  it('adds, lists (sorted, paged), overwrites and removes stream tags', async () => {
    assert.equal((await server.call('AddTagsToStream', { StreamName: 'kept', Tags: { team: 'data', env: 'dev', app: 'lab' } })).status, 200);
    assert.equal((await server.call('AddTagsToStream', { StreamName: 'kept', Tags: { env: 'prod' } })).status, 200);
    const all = (await server.call('ListTagsForStream', { StreamName: 'kept' })).body;
    assert.deepEqual(all, { Tags: [{ Key: 'app', Value: 'lab' }, { Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'data' }], HasMoreTags: false });
    const page = (await server.call('ListTagsForStream', { StreamName: 'kept', Limit: 1, ExclusiveStartTagKey: 'app' })).body;
    assert.deepEqual(page, { Tags: [{ Key: 'env', Value: 'prod' }], HasMoreTags: true });
    assert.equal((await server.call('RemoveTagsFromStream', { StreamName: 'kept', TagKeys: ['env', 'unknown'] })).status, 200);
    assert.deepEqual((await server.call('ListTagsForStream', { StreamName: 'kept' })).body.Tags.map((t: any) => t.Key), ['app', 'team']);
  });

  it('tags by resource ARN', async () => {
    assert.equal((await server.call('TagResource', { ResourceARN: arn('kept'), Tags: { owner: 'me' } })).status, 200);
    const tags = (await server.call('ListTagsForResource', { ResourceARN: arn('kept') })).body.Tags;
    assert.ok(tags.some((t: any) => t.Key === 'owner' && t.Value === 'me'));
    assert.equal((await server.call('UntagResource', { ResourceARN: arn('kept'), TagKeys: ['owner'] })).status, 200);
    const after = (await server.call('ListTagsForResource', { ResourceARN: arn('kept') })).body.Tags;
    assert.ok(!after.some((t: any) => t.Key === 'owner'));
  });

  it('refuses more than 50 tags on a stream', async () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const res = await server.call('AddTagsToStream', { StreamName: 'kept', Tags: tags });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'InvalidArgumentException');
  });

  it('deletes a stream and reports it missing afterwards', async () => {
    await server.call('CreateStream', { StreamName: 'doomed', ShardCount: 1 });
    assert.deepEqual(await server.call('DeleteStream', { StreamName: 'doomed' }), { status: 200, body: undefined });
    expectError(await server.call('DescribeStream', { StreamName: 'doomed' }), 'ResourceNotFoundException', `Stream doomed under account ${account} not found.`, assert.deepEqual);
    expectError(await server.call('DeleteStream', { StreamName: 'doomed' }), 'ResourceNotFoundException', `Stream doomed under account ${account} not found.`, assert.deepEqual);
    // The name is free again.
    assert.equal((await server.call('CreateStream', { StreamName: 'doomed', ShardCount: 1 })).status, 200);
  });
});
