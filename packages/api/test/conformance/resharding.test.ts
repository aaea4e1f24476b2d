import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';
const arn = (name: string) => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const shard = (n: number) => `shardId-${String(n).padStart(12, '0')}`;
const HOUR = 3_600_000;

// Hash keys as decimal strings: 2^126, 2^127, 3 * 2^126 and 2^128 - 1.
const Q1 = '85070591730234615865843651857942052864';
const Q1_END = '85070591730234615865843651857942052863';
const HALF = '170141183460469231731687303715884105728';
const HALF_END = '170141183460469231731687303715884105727';
const Q3 = '255211775190703847597530955573826158592';
const Q3_END = '255211775190703847597530955573826158591';
const MAX = '340282366920938463463374607431768211455';

/** A shard's lineage as a compact row: id, parent, adjacent parent, hash range, and whether it is closed. */
function lineage(shards: any[]): unknown[] {
  return shards.map((s) => [
    s.ShardId,
    s.ParentShardId ?? null,
    s.AdjacentParentShardId ?? null,
    s.HashKeyRange.StartingHashKey,
    s.HashKeyRange.EndingHashKey,
    s.SequenceNumberRange.EndingSequenceNumber === undefined ? 'open' : 'closed',
  ]);
}

describe('SplitShard, MergeShards and UpdateShardCount conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
  });
  after(() => server.close());

  const listShards = async (name: string) => (await server.call('ListShards', { StreamName: name })).body.Shards;
  const openCount = async (name: string) =>
    (await server.call('DescribeStreamSummary', { StreamName: name })).body.StreamDescriptionSummary.OpenShardCount;

  it('splits a shard: 200 with no body, the parent closed with an EndingSequenceNumber, two children', async () => {
    await server.call('CreateStream', { StreamName: 'split', ShardCount: 2 });
    const put = await server.call('PutRecord', { StreamName: 'split', PartitionKey: 'k', Data: b64('before'), ExplicitHashKey: '0' });
    assert.equal(put.body.ShardId, shard(0));
    const res = await server.call('SplitShard', { StreamName: 'split', ShardToSplit: shard(0), NewStartingHashKey: Q1 });
    assert.deepEqual(res, { status: 200, body: undefined });
    const shards = await listShards('split');
    assert.deepEqual(lineage(shards), [
      [shard(0), null, null, '0', HALF_END, 'closed'],
      [shard(1), null, null, HALF, MAX, 'open'],
      [shard(2), shard(0), null, '0', Q1_END, 'open'],
      [shard(3), shard(0), null, Q1, HALF_END, 'open'],
    ]);
    for (const s of shards) assert.match(s.SequenceNumberRange.StartingSequenceNumber, /^\d{56}$/);
    const ending = shards[0].SequenceNumberRange.EndingSequenceNumber;
    assert.match(ending, /^\d{56}$/);
    // The parent's end covers every record it took.
    assert.ok(BigInt(ending) >= BigInt(put.body.SequenceNumber));
    // New writes go to the children.
    const after = await server.call('PutRecord', { StreamName: 'split', PartitionKey: 'k', Data: b64('after'), ExplicitHashKey: '0' });
    assert.equal(after.body.ShardId, shard(2));
    assert.equal(await openCount('split'), 3);
  });

  it('shows the same lineage in DescribeStream', async () => {
    const description = (await server.call('DescribeStream', { StreamName: 'split' })).body.StreamDescription;
    assert.equal(description.StreamStatus, 'ACTIVE');
    assert.equal(description.HasMoreShards, false);
    assert.deepEqual(lineage(description.Shards), lineage(await listShards('split')));
    assert.deepEqual(description.Shards, await listShards('split'));
  });

  it('merges two adjacent shards: both parents closed, the child has ParentShardId and AdjacentParentShardId', async () => {
    const res = await server.call('MergeShards', { StreamARN: arn('split'), ShardToMerge: shard(3), AdjacentShardToMerge: shard(2) });
    assert.deepEqual(res, { status: 200, body: undefined });
    assert.deepEqual(lineage(await listShards('split')), [
      [shard(0), null, null, '0', HALF_END, 'closed'],
      [shard(1), null, null, HALF, MAX, 'open'],
      [shard(2), shard(0), null, '0', Q1_END, 'closed'],
      [shard(3), shard(0), null, Q1, HALF_END, 'closed'],
      [shard(4), shard(3), shard(2), '0', HALF_END, 'open'],
    ]);
    assert.equal(await openCount('split'), 2);
  });

  it('splits by StreamARN', async () => {
    await server.call('CreateStream', { StreamName: 'by-arn', ShardCount: 1 });
    const res = await server.call('SplitShard', { StreamARN: arn('by-arn'), ShardToSplit: shard(0), NewStartingHashKey: HALF });
    assert.deepEqual(res, { status: 200, body: undefined });
    assert.deepEqual(lineage(await listShards('by-arn')), [
      [shard(0), null, null, '0', MAX, 'closed'],
      [shard(1), shard(0), null, '0', HALF_END, 'open'],
      [shard(2), shard(0), null, HALF, MAX, 'open'],
    ]);
  });

  it('accepts the smallest and largest NewStartingHashKey AWS allows: StartingHashKey + 2 and EndingHashKey - 1', async () => {
    await server.call('CreateStream', { StreamName: 'edges', ShardCount: 2 });
    assert.equal((await server.call('SplitShard', { StreamName: 'edges', ShardToSplit: shard(0), NewStartingHashKey: '2' })).status, 200);
    const high = (BigInt(MAX) - 1n).toString();
    assert.equal((await server.call('SplitShard', { StreamName: 'edges', ShardToSplit: shard(1), NewStartingHashKey: high })).status, 200);
    assert.deepEqual(lineage(await listShards('edges')).filter((row: any) => row[5] === 'open'), [
      [shard(2), shard(0), null, '0', '1', 'open'],
      [shard(3), shard(0), null, '2', HALF_END, 'open'],
      [shard(4), shard(1), null, HALF, (BigInt(MAX) - 2n).toString(), 'open'],
      [shard(5), shard(1), null, high, MAX, 'open'],
    ]);
  });

  const refusals: Array<{ name: string; operation: string; input: Record<string, unknown>; type: string; message: string }> = [
    {
      name: 'a NewStartingHashKey equal to StartingHashKey + 1',
      operation: 'SplitShard',
      input: { StreamName: 'split', ShardToSplit: shard(1), NewStartingHashKey: (BigInt(HALF) + 1n).toString() },
      type: 'InvalidArgumentException',
      message:
        `NewStartingHashKey 170141183460469231731687303715884105729 used in SplitShard() on shard shardId-000000000001 in stream split under account ${account} ` +
        `is not both greater than one plus the shard's StartingHashKey 170141183460469231731687303715884105728 and less than the shard's EndingHashKey ${MAX}.`,
    },
    {
      name: 'a NewStartingHashKey equal to EndingHashKey',
      operation: 'SplitShard',
      input: { StreamName: 'split', ShardToSplit: shard(1), NewStartingHashKey: MAX },
      type: 'InvalidArgumentException',
      message:
        `NewStartingHashKey ${MAX} used in SplitShard() on shard shardId-000000000001 in stream split under account ${account} ` +
        `is not both greater than one plus the shard's StartingHashKey 170141183460469231731687303715884105728 and less than the shard's EndingHashKey ${MAX}.`,
    },
    {
      name: 'a NewStartingHashKey outside the shard',
      operation: 'SplitShard',
      input: { StreamName: 'split', ShardToSplit: shard(4), NewStartingHashKey: Q3 },
      type: 'InvalidArgumentException',
      message:
        `NewStartingHashKey ${Q3} used in SplitShard() on shard shardId-000000000004 in stream split under account ${account} ` +
        `is not both greater than one plus the shard's StartingHashKey 0 and less than the shard's EndingHashKey ${HALF_END}.`,
    },
    {
      name: 'a NewStartingHashKey that is not a decimal number (the model pattern)',
      operation: 'SplitShard',
      input: { StreamName: 'split', ShardToSplit: shard(1), NewStartingHashKey: 'abc' },
      type: 'ValidationException',
      message:
        "1 validation error detected: Value 'abc' at 'newStartingHashKey' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})',
    },
    {
      name: 'splitting a closed shard',
      operation: 'SplitShard',
      input: { StreamName: 'split', ShardToSplit: shard(0), NewStartingHashKey: Q1 },
      type: 'InvalidArgumentException',
      message: `Shard shardId-000000000000 in stream split under account ${account} has already been merged or split, and thus is not eligible for merging or splitting.`,
    },
    {
      name: 'merging a closed shard',
      operation: 'MergeShards',
      input: { StreamName: 'split', ShardToMerge: shard(4), AdjacentShardToMerge: shard(3) },
      type: 'InvalidArgumentException',
      message: `Shard shardId-000000000003 in stream split under account ${account} has already been merged or split, and thus is not eligible for merging or splitting.`,
    },
    {
      name: 'merging shards that are not adjacent',
      operation: 'MergeShards',
      input: { StreamName: 'edges', ShardToMerge: shard(2), AdjacentShardToMerge: shard(4) },
      type: 'InvalidArgumentException',
      message: `Shards shardId-000000000002 and shardId-000000000004 in stream edges under account ${account} are not an adjacent pair of shards eligible for merging`,
    },
    {
      name: 'merging a shard with itself',
      operation: 'MergeShards',
      input: { StreamName: 'edges', ShardToMerge: shard(2), AdjacentShardToMerge: shard(2) },
      type: 'InvalidArgumentException',
      message: `Shards shardId-000000000002 and shardId-000000000002 in stream edges under account ${account} are not an adjacent pair of shards eligible for merging`,
    },
    {
      name: 'splitting an unknown shard',
      operation: 'SplitShard',
      input: { StreamName: 'split', ShardToSplit: shard(99), NewStartingHashKey: Q1 },
      type: 'ResourceNotFoundException',
      message: `Could not find shard shardId-000000000099 in stream split under account ${account}.`,
    },
    {
      name: 'splitting a shard id that names no shard',
      operation: 'SplitShard',
      input: { StreamName: 'split', ShardToSplit: 'nonsense', NewStartingHashKey: Q1 },
      type: 'ResourceNotFoundException',
      message: `Could not find shard nonsense in stream split under account ${account}.`,
    },
    {
      name: 'merging with an unknown adjacent shard',
      operation: 'MergeShards',
      input: { StreamName: 'split', ShardToMerge: shard(1), AdjacentShardToMerge: shard(42) },
      type: 'ResourceNotFoundException',
      message: `Could not find shard shardId-000000000042 in stream split under account ${account}.`,
    },
    {
      name: 'splitting in an unknown stream',
      operation: 'SplitShard',
      input: { StreamName: 'absent', ShardToSplit: shard(0), NewStartingHashKey: Q1 },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'merging in an unknown stream, by StreamARN',
      operation: 'MergeShards',
      input: { StreamARN: arn('absent'), ShardToMerge: shard(0), AdjacentShardToMerge: shard(1) },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'UpdateShardCount of an unknown stream',
      operation: 'UpdateShardCount',
      input: { StreamName: 'absent', TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'an invalid ScalingType (the model enum)',
      operation: 'UpdateShardCount',
      input: { StreamName: 'split', TargetShardCount: 3, ScalingType: 'BOGUS' },
      type: 'ValidationException',
      message: "1 validation error detected: Value 'BOGUS' at 'scalingType' failed to satisfy constraint: Member must satisfy enum value set: [UNIFORM_SCALING]",
    },
    {
      name: 'a missing ScalingType',
      operation: 'UpdateShardCount',
      input: { StreamName: 'split', TargetShardCount: 3 },
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'scalingType' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'a TargetShardCount of 0',
      operation: 'UpdateShardCount',
      input: { StreamName: 'split', TargetShardCount: 0, ScalingType: 'UNIFORM_SCALING' },
      type: 'ValidationException',
      message: "1 validation error detected: Value '0' at 'targetShardCount' failed to satisfy constraint: Member must have value greater than or equal to 1",
    },
    {
      name: 'scaling up over double',
      operation: 'UpdateShardCount',
      input: { StreamName: 'split', TargetShardCount: 5, ScalingType: 'UNIFORM_SCALING' },
      type: 'LimitExceededException',
      message: 'UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 2, Target shard count: 5',
    },
    {
      name: 'scaling down below half',
      operation: 'UpdateShardCount',
      input: { StreamName: 'edges', TargetShardCount: 1, ScalingType: 'UNIFORM_SCALING' },
      type: 'LimitExceededException',
      message: 'UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: 4, Target shard count: 1',
    },
    {
      name: 'a target above the per-stream maximum of 10000 (checked before double)',
      operation: 'UpdateShardCount',
      input: { StreamName: 'by-arn', TargetShardCount: 10001, ScalingType: 'UNIFORM_SCALING' },
      type: 'LimitExceededException',
      message: 'Target shard count or number of open shards cannot be greater than 10000. Current open shard count: 2, Target shard count: 10001',
    },
    {
      name: 'a StreamName and a StreamARN naming different streams',
      operation: 'SplitShard',
      input: { StreamName: 'split', StreamARN: arn('edges'), ShardToSplit: shard(1), NewStartingHashKey: Q3 },
      type: 'InvalidArgumentException',
      message: `StreamName split and StreamARN ${arn('edges')} do not refer to the same stream.`,
    },
  ];
  for (const { name, operation, input, type, message } of refusals) {
    it(`refuses ${name}`, async () => {
      const before = await listShards(String(input.StreamName ?? 'split'));
      expectError(await server.call(operation, input), type, message, assert.deepEqual);
      if (input.StreamName !== undefined && input.StreamName !== 'absent') {
        assert.deepEqual(await listShards(String(input.StreamName)), before, 'a refused reshard changes nothing');
      }
    });
  }

  it('UpdateShardCount answers {StreamName, CurrentShardCount, TargetShardCount, StreamARN} and scales up uniformly', async () => {
    await server.call('CreateStream', { StreamName: 'uniform', ShardCount: 2 });
    const res = await server.call('UpdateShardCount', { StreamName: 'uniform', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' });
    assert.deepEqual(res, {
      status: 200,
      body: { StreamName: 'uniform', CurrentShardCount: 2, TargetShardCount: 4, StreamARN: arn('uniform') },
    });
    assert.deepEqual(lineage(await listShards('uniform')), [
      [shard(0), null, null, '0', HALF_END, 'closed'],
      [shard(1), null, null, HALF, MAX, 'closed'],
      [shard(2), shard(0), null, '0', Q1_END, 'open'],
      [shard(3), shard(0), null, Q1, HALF_END, 'open'],
      [shard(4), shard(1), null, HALF, Q3_END, 'open'],
      [shard(5), shard(1), null, Q3, MAX, 'open'],
    ]);
    const described = (await server.call('DescribeStream', { StreamName: 'uniform' })).body.StreamDescription.Shards;
    assert.deepEqual(described, await listShards('uniform'));
    assert.equal(await openCount('uniform'), 4);
  });

  it('UpdateShardCount by StreamARN scales down uniformly through merges', async () => {
    const res = await server.call('UpdateShardCount', { StreamARN: arn('uniform'), TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' });
    assert.deepEqual(res, {
      status: 200,
      body: { StreamName: 'uniform', CurrentShardCount: 4, TargetShardCount: 2, StreamARN: arn('uniform') },
    });
    const open = lineage(await listShards('uniform')).filter((row: any) => row[5] === 'open');
    assert.deepEqual(open, [
      [shard(6), shard(2), shard(3), '0', HALF_END, 'open'],
      [shard(7), shard(4), shard(5), HALF, MAX, 'open'],
    ]);
    assert.equal((await listShards('uniform')).length, 8);
  });

  it('UpdateShardCount to a count that does not divide the key space evenly ends with CreateStream\'s ranges', async () => {
    await server.call('CreateStream', { StreamName: 'thirds', ShardCount: 3 });
    const res = await server.call('UpdateShardCount', { StreamName: 'thirds', TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' });
    assert.equal(res.body.CurrentShardCount, 3);
    const shards = await listShards('thirds');
    const open = shards.filter((s: any) => s.SequenceNumberRange.EndingSequenceNumber === undefined);
    assert.deepEqual(
      open.map((s: any) => [s.HashKeyRange.StartingHashKey, s.HashKeyRange.EndingHashKey]),
      [['0', HALF_END], [HALF, MAX]],
    );
    // Every shard has at most a parent and an adjacent parent, and every parent is a shard of the stream.
    const ids = new Set(shards.map((s: any) => s.ShardId));
    for (const s of shards) {
      if (s.ParentShardId !== undefined) assert.ok(ids.has(s.ParentShardId));
      if (s.AdjacentParentShardId !== undefined) assert.ok(ids.has(s.AdjacentParentShardId));
    }
  });

  it('refuses every resharding operation on an on-demand stream with ValidationException', async () => {
    await server.call('CreateStream', { StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    const message = `Request is invalid. Stream od under account ${account} is in On-Demand mode.`;
    const calls: Array<[string, Record<string, unknown>]> = [
      ['SplitShard', { StreamName: 'od', ShardToSplit: shard(0), NewStartingHashKey: '5' }],
      ['MergeShards', { StreamName: 'od', ShardToMerge: shard(0), AdjacentShardToMerge: shard(1) }],
      ['UpdateShardCount', { StreamName: 'od', TargetShardCount: 5, ScalingType: 'UNIFORM_SCALING' }],
      ['UpdateShardCount', { StreamARN: arn('od'), TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }],
    ];
    for (const [operation, input] of calls) expectError(await server.call(operation, input), 'ValidationException', message, assert.deepEqual);
    assert.equal((await listShards('od')).length, 4);
  });

  it('allows 10 UpdateShardCount calls per stream in a rolling 24 hours', async () => {
    await server.call('CreateStream', { StreamName: 'daily', ShardCount: 1 });
    let open = 1;
    const scale = () => {
      const target = open === 1 ? 2 : 1;
      return server.call('UpdateShardCount', { StreamName: 'daily', TargetShardCount: target, ScalingType: 'UNIFORM_SCALING' });
    };
    const expectScaled = async () => {
      const target = open === 1 ? 2 : 1;
      const res = await scale();
      assert.deepEqual(res, { status: 200, body: { StreamName: 'daily', CurrentShardCount: open, TargetShardCount: target, StreamARN: arn('daily') } });
      open = target;
    };
    const limit = `Exceeded the limit of 10 UpdateShardCount operations per rolling 24-hour period for stream daily under account ${account}.`;
    for (let i = 0; i < 5; i++) await expectScaled();
    await server.clock.advance(12 * HOUR);
    for (let i = 0; i < 5; i++) await expectScaled();
    expectError(await scale(), 'LimitExceededException', limit, assert.deepEqual);
    await server.clock.advance(12 * HOUR - 1);
    expectError(await scale(), 'LimitExceededException', limit, assert.deepEqual);
    // 24 hours after the first five, they no longer count; the five of 12 hours ago still do.
    await server.clock.advance(1);
    for (let i = 0; i < 5; i++) await expectScaled();
    expectError(await scale(), 'LimitExceededException', limit, assert.deepEqual);
    // The daily limit is per stream.
    assert.equal((await server.call('UpdateShardCount', { StreamName: 'by-arn', TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' })).status, 200);
  });
});

describe('resharding against the account shard quota', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ shardLimit: 10 });
    await server.call('CreateStream', { StreamName: 'q1', ShardCount: 4 });
    await server.call('CreateStream', { StreamName: 'q2', ShardCount: 4 });
  });
  after(() => server.close());

  const quota = (current: number, additional: number) =>
    `This request would exceed the shard limit for the account ${account} in us-east-1. ` +
    `Current shard count for the account: ${current}. Limit: 10. ` +
    `Number of additional shards that would have resulted from this request: ${additional}. ` +
    'Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) ' +
    'for current limits and how to request higher limits.';

  it('refuses an UpdateShardCount that would pass the quota, and allows one that reaches it', async () => {
    expectError(
      await server.call('UpdateShardCount', { StreamName: 'q1', TargetShardCount: 8, ScalingType: 'UNIFORM_SCALING' }),
      'LimitExceededException',
      quota(8, 4),
      assert.deepEqual,
    );
    const res = await server.call('UpdateShardCount', { StreamName: 'q1', TargetShardCount: 6, ScalingType: 'UNIFORM_SCALING' });
    assert.deepEqual(res.body, { StreamName: 'q1', CurrentShardCount: 4, TargetShardCount: 6, StreamARN: arn('q1') });
    const limits = (await server.call('DescribeLimits', {})).body;
    assert.deepEqual(limits, { ShardLimit: 10, OpenShardCount: 10, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 5, ChannelCount: 0, ChannelCountLimit: 10 });
  });

  it('refuses a SplitShard at the quota, but a merge (which frees a shard) goes through and a split then fits', async () => {
    expectError(
      await server.call('SplitShard', { StreamName: 'q2', ShardToSplit: shard(0), NewStartingHashKey: '1000' }),
      'LimitExceededException',
      quota(10, 1),
      assert.deepEqual,
    );
    assert.equal((await server.call('MergeShards', { StreamName: 'q2', ShardToMerge: shard(0), AdjacentShardToMerge: shard(1) })).status, 200);
    assert.equal((await server.call('DescribeLimits', {})).body.OpenShardCount, 9);
    const inside = (BigInt(HALF) + 1000n).toString();
    assert.equal((await server.call('SplitShard', { StreamName: 'q2', ShardToSplit: shard(2), NewStartingHashKey: inside })).status, 200);
    assert.equal((await server.call('DescribeLimits', {})).body.OpenShardCount, 10);
  });
});

describe('resharding while the stream is UPDATING', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ updateStreamMs: 1000 });
    await server.call('CreateStream', { StreamName: 'slow', ShardCount: 2 });
  });
  after(() => server.close());

  it('answers at once, keeps the old shards while UPDATING, refuses other changes, then shows the new shards', async () => {
    const res = await server.call('UpdateShardCount', { StreamName: 'slow', TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' });
    assert.deepEqual(res.body, { StreamName: 'slow', CurrentShardCount: 2, TargetShardCount: 3, StreamARN: arn('slow') });
    const summary = (await server.call('DescribeStreamSummary', { StreamName: 'slow' })).body.StreamDescriptionSummary;
    assert.equal(summary.StreamStatus, 'UPDATING');
    assert.equal(summary.OpenShardCount, 2);
    assert.equal((await server.call('ListShards', { StreamName: 'slow' })).body.Shards.length, 2);
    const notActive = `Stream slow under account ${account} not ACTIVE, instead in state UPDATING`;
    expectError(
      await server.call('UpdateShardCount', { StreamName: 'slow', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }),
      'ResourceInUseException',
      notActive,
      assert.deepEqual,
    );
    expectError(
      await server.call('SplitShard', { StreamName: 'slow', ShardToSplit: shard(0), NewStartingHashKey: Q1 }),
      'ResourceInUseException',
      notActive,
      assert.deepEqual,
    );
    expectError(
      await server.call('MergeShards', { StreamName: 'slow', ShardToMerge: shard(0), AdjacentShardToMerge: shard(1) }),
      'ResourceInUseException',
      notActive,
      assert.deepEqual,
    );
    // Writes still go through while UPDATING.
    assert.equal((await server.call('PutRecord', { StreamName: 'slow', PartitionKey: 'k', Data: b64('x') })).status, 200);
    await server.clock.advance(1000);
    const done = (await server.call('DescribeStreamSummary', { StreamName: 'slow' })).body.StreamDescriptionSummary;
    assert.equal(done.StreamStatus, 'ACTIVE');
    assert.equal(done.OpenShardCount, 3);
  });
});

describe('GetRecords at the end of a closed shard', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'ends', ShardCount: 2 });
  });
  after(() => server.close());

  const iterator = async (shardId: string, type = 'TRIM_HORIZON') =>
    (await server.call('GetShardIterator', { StreamName: 'ends', ShardId: shardId, ShardIteratorType: type })).body.ShardIterator;

  it('reads the parent to its end, then answers ChildShards and no NextShardIterator', async () => {
    for (const text of ['one', 'two']) {
      await server.call('PutRecord', { StreamName: 'ends', PartitionKey: text, Data: b64(text), ExplicitHashKey: '0' });
    }
    const latestBefore = await iterator(shard(0), 'LATEST');
    await server.call('SplitShard', { StreamName: 'ends', ShardToSplit: shard(0), NewStartingHashKey: Q1 });

    const first = await server.call('GetRecords', { ShardIterator: await iterator(shard(0)), Limit: 1 });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.Records.map((r: any) => Buffer.from(r.Data, 'base64').toString()), ['one']);
    assert.equal(typeof first.body.NextShardIterator, 'string');
    assert.equal(first.body.ChildShards, undefined);

    const last = await server.call('GetRecords', { ShardIterator: first.body.NextShardIterator });
    assert.equal(last.status, 200);
    assert.deepEqual(last.body.Records.map((r: any) => Buffer.from(r.Data, 'base64').toString()), ['two']);
    assert.deepEqual(
      { next: last.body.NextShardIterator, behind: last.body.MillisBehindLatest, children: last.body.ChildShards },
      {
        next: undefined,
        behind: 0,
        children: [
          { ShardId: shard(2), ParentShards: [shard(0)], HashKeyRange: { StartingHashKey: '0', EndingHashKey: Q1_END } },
          { ShardId: shard(3), ParentShards: [shard(0)], HashKeyRange: { StartingHashKey: Q1, EndingHashKey: HALF_END } },
        ],
      },
    );

    // An iterator taken before the split, and one taken on the closed shard after it, both reach the end at once.
    for (const it of [latestBefore, await iterator(shard(0), 'LATEST')]) {
      const res = await server.call('GetRecords', { ShardIterator: it });
      assert.deepEqual(res, { status: 200, body: { Records: [], MillisBehindLatest: 0, ChildShards: last.body.ChildShards } });
    }
  });

  it('names both parents in the ChildShards of merged shards', async () => {
    await server.call('MergeShards', { StreamName: 'ends', ShardToMerge: shard(2), AdjacentShardToMerge: shard(3) });
    const child = { ShardId: shard(4), ParentShards: [shard(2), shard(3)], HashKeyRange: { StartingHashKey: '0', EndingHashKey: HALF_END } };
    for (const parent of [shard(2), shard(3)]) {
      const res = await server.call('GetRecords', { ShardIterator: await iterator(parent) });
      assert.deepEqual(res, { status: 200, body: { Records: [], MillisBehindLatest: 0, ChildShards: [child] } });
    }
  });

  it('keeps handing out NextShardIterator on open shards', async () => {
    const res = await server.call('GetRecords', { ShardIterator: await iterator(shard(1)) });
    assert.equal(typeof res.body.NextShardIterator, 'string');
    assert.equal(res.body.ChildShards, undefined);
  });
});
