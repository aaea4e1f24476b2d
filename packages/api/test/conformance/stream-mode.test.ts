import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';
const arn = (name: string) => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;
const HOUR = 3_600_000;

describe('UpdateStreamMode conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'modal', ShardCount: 3 });
  });
  after(() => server.close());

  const mode = async (name: string) =>
    (await server.call('DescribeStreamSummary', { StreamName: name })).body.StreamDescriptionSummary.StreamModeDetails;
  const limits = async () => (await server.call('DescribeLimits', {})).body;
  const switchTo = (name: string, streamMode: string) =>
    server.call('UpdateStreamMode', { StreamARN: arn(name), StreamModeDetails: { StreamMode: streamMode } });

  const refusals: Array<{ name: string; input: Record<string, unknown>; type: string; message: string }> = [
    {
      name: 'a call without StreamARN (the model requires it; StreamName is not a member)',
      input: { StreamName: 'modal', StreamModeDetails: { StreamMode: 'ON_DEMAND' } },
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'streamARN' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'a call without StreamModeDetails',
      input: { StreamARN: arn('modal') },
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'streamModeDetails' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'an unknown StreamMode',
      input: { StreamARN: arn('modal'), StreamModeDetails: { StreamMode: 'SOMETIMES' } },
      type: 'ValidationException',
      message:
        "1 validation error detected: Value 'SOMETIMES' at 'streamModeDetails.streamMode' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]',
    },
    {
      name: 'an unknown stream',
      input: { StreamARN: arn('absent'), StreamModeDetails: { StreamMode: 'ON_DEMAND' } },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'the mode the stream already has',
      input: { StreamARN: arn('modal'), StreamModeDetails: { StreamMode: 'PROVISIONED' } },
      type: 'InvalidArgumentException',
      message: `Stream modal under account ${account} is already in PROVISIONED mode.`,
    },
    {
      name: 'a warm throughput while the account has no MinimumThroughputBillingCommitment',
      input: { StreamARN: arn('modal'), StreamModeDetails: { StreamMode: 'ON_DEMAND' }, WarmThroughputMiBps: 10 },
      type: 'ValidationException',
      message: 'Request is invalid. Warm throughput requires MinimumThroughputBillingCommitment to be enabled for the account.',
    },
  ];
  for (const { name, input, type, message } of refusals) {
    it(`refuses ${name}`, async () => {
      expectError(await server.call('UpdateStreamMode', input), type, message, assert.deepEqual);
      assert.deepEqual(await mode('modal'), { StreamMode: 'PROVISIONED' });
    });
  }

  it('switches PROVISIONED -> ON_DEMAND -> PROVISIONED, with DescribeStreamSummary and DescribeLimits following', async () => {
    assert.deepEqual(await limits(), { ShardLimit: 50, OpenShardCount: 3, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 5, ChannelCount: 0, ChannelCountLimit: 10 });

    assert.deepEqual(await switchTo('modal', 'ON_DEMAND'), { status: 200, body: undefined });
    assert.deepEqual(await mode('modal'), { StreamMode: 'ON_DEMAND' });
    assert.equal((await server.call('DescribeStream', { StreamName: 'modal' })).body.StreamDescription.StreamModeDetails.StreamMode, 'ON_DEMAND');
    assert.deepEqual(await limits(), { ShardLimit: 50, OpenShardCount: 0, OnDemandStreamCount: 1, OnDemandStreamCountLimit: 5, ChannelCount: 0, ChannelCountLimit: 10 });
    // The shards stay as they were.
    assert.equal((await server.call('DescribeStreamSummary', { StreamName: 'modal' })).body.StreamDescriptionSummary.OpenShardCount, 3);
    const listed = (await server.call('ListStreams', {})).body.StreamSummaries.find((s: any) => s.StreamName === 'modal');
    assert.deepEqual(listed.StreamModeDetails, { StreamMode: 'ON_DEMAND' });
    expectError(
      await switchTo('modal', 'ON_DEMAND'),
      'InvalidArgumentException',
      `Stream modal under account ${account} is already in ON_DEMAND mode.`,
      assert.deepEqual,
    );

    assert.deepEqual(await switchTo('modal', 'PROVISIONED'), { status: 200, body: undefined });
    assert.deepEqual(await mode('modal'), { StreamMode: 'PROVISIONED' });
    assert.deepEqual(await limits(), { ShardLimit: 50, OpenShardCount: 3, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 5, ChannelCount: 0, ChannelCountLimit: 10 });
  });

  it('allows two switches per stream in a rolling 24 hours, then answers Rate exceeded', async () => {
    const rate = `Rate exceeded for stream modal under account ${account}.`;
    expectError(await switchTo('modal', 'ON_DEMAND'), 'LimitExceededException', rate, assert.deepEqual);
    // The same-mode check comes before the rate.
    expectError(
      await switchTo('modal', 'PROVISIONED'),
      'InvalidArgumentException',
      `Stream modal under account ${account} is already in PROVISIONED mode.`,
      assert.deepEqual,
    );
    await server.clock.advance(24 * HOUR - 1);
    expectError(await switchTo('modal', 'ON_DEMAND'), 'LimitExceededException', rate, assert.deepEqual);
    await server.clock.advance(1);
    assert.equal((await switchTo('modal', 'ON_DEMAND')).status, 200);
    assert.deepEqual(await mode('modal'), { StreamMode: 'ON_DEMAND' });
    // Another stream has its own count.
    await server.call('CreateStream', { StreamName: 'other', ShardCount: 1 });
    assert.equal((await switchTo('other', 'ON_DEMAND')).status, 200);
  });

  it('switches a stream created ON_DEMAND to PROVISIONED, its shards counting against the shard quota', async () => {
    await server.call('CreateStream', { StreamName: 'born-od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    const before = await limits();
    assert.equal((await switchTo('born-od', 'PROVISIONED')).status, 200);
    assert.deepEqual(await mode('born-od'), { StreamMode: 'PROVISIONED' });
    const after = await limits();
    assert.equal(after.OnDemandStreamCount, before.OnDemandStreamCount - 1);
    assert.equal(after.OpenShardCount, before.OpenShardCount + 4);
  });
});

describe('UpdateStreamMode against account quotas', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ shardLimit: 5 });
  });
  after(() => server.close());

  it('refuses ON_DEMAND once the account has its 5 on-demand streams', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal((await server.call('CreateStream', { StreamName: `od${i}`, StreamModeDetails: { StreamMode: 'ON_DEMAND' } })).status, 200);
    }
    await server.call('CreateStream', { StreamName: 'prov', ShardCount: 2 });
    expectError(
      await server.call('UpdateStreamMode', { StreamARN: arn('prov'), StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
      'LimitExceededException',
      `This request would exceed the on-demand stream count limit for the account ${account} in us-east-1. Limit: 5.`,
      assert.deepEqual,
    );
  });

  it('refuses PROVISIONED when the stream\'s shards would pass the shard quota', async () => {
    expectError(
      await server.call('UpdateStreamMode', { StreamARN: arn('od0'), StreamModeDetails: { StreamMode: 'PROVISIONED' } }),
      'LimitExceededException',
      `This request would exceed the shard limit for the account ${account} in us-east-1. ` +
        'Current shard count for the account: 2. Limit: 5. ' +
        'Number of additional shards that would have resulted from this request: 4. ' +
        'Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) ' +
        'for current limits and how to request higher limits.',
      assert.deepEqual,
    );
    assert.deepEqual((await server.call('DescribeLimits', {})).body, { ShardLimit: 5, OpenShardCount: 2, OnDemandStreamCount: 5, OnDemandStreamCountLimit: 5, ChannelCount: 0, ChannelCountLimit: 10 });
  });
});

describe('UpdateStreamMode while UPDATING', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ updateStreamMs: 1000 });
    await server.call('CreateStream', { StreamName: 'slow', ShardCount: 1 });
  });
  after(() => server.close());

  it('keeps the old mode until the stream is ACTIVE again, refusing another switch meanwhile', async () => {
    assert.equal((await server.call('UpdateStreamMode', { StreamARN: arn('slow'), StreamModeDetails: { StreamMode: 'ON_DEMAND' } })).status, 200);
    const updating = (await server.call('DescribeStreamSummary', { StreamName: 'slow' })).body.StreamDescriptionSummary;
    assert.deepEqual([updating.StreamStatus, updating.StreamModeDetails], ['UPDATING', { StreamMode: 'PROVISIONED' }]);
    expectError(
      await server.call('UpdateStreamMode', { StreamARN: arn('slow'), StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
      'ResourceInUseException',
      `Stream slow under account ${account} not ACTIVE, instead in state UPDATING`,
      assert.deepEqual,
    );
    await server.clock.advance(1000);
    const active = (await server.call('DescribeStreamSummary', { StreamName: 'slow' })).body.StreamDescriptionSummary;
    assert.deepEqual([active.StreamStatus, active.StreamModeDetails], ['ACTIVE', { StreamMode: 'ON_DEMAND' }]);
  });
});
