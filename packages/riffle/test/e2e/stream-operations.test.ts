import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand,
  DeleteResourcePolicyCommand,
  DescribeAccountSettingsCommand,
  DescribeLimitsCommand,
  DescribeStreamSummaryCommand,
  DryRunOperationException,
  EnableEnhancedMonitoringCommand,
  GetRecordsCommand,
  GetResourcePolicyCommand,
  GetShardIteratorCommand,
  InvalidArgumentException,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  PutResourcePolicyCommand,
  SplitShardCommand,
  StartStreamEncryptionCommand,
  UpdateAccountSettingsCommand,
  UpdateMaxRecordSizeCommand,
  UpdateShardCountCommand,
  UpdateStreamModeCommand,
  UpdateStreamRecordDistributionStrategyCommand,
  UpdateStreamWarmThroughputCommand,
  ValidationException,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, kinesisJson, startRiffle, type RiffleProcess } from '@riffle/testkit';

const MIB = 1024 * 1024;
const arn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

/** The operations of issue 5 as the current Node SDK sends them (HTTP/2, its default), through a real server. */
describe('stream operations with @aws-sdk/client-kinesis', () => {
  let riffle: RiffleProcess;
  let client: KinesisClient;
  before(async () => {
    riffle = await startRiffle();
    client = kinesisClient(riffle.endpoint);
  });
  after(async () => {
    client?.destroy();
    await riffle.stop();
  });

  it('takes 10 MiB records after UpdateMaxRecordSize, in PutRecord, PutRecords and GetRecords', async () => {
    const StreamName = 'large-records';
    await client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    await assert.rejects(
      client.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: new Uint8Array(2 * MIB) })),
      (error: unknown) => error instanceof ValidationException,
    );
    await client.send(new UpdateMaxRecordSizeCommand({ StreamARN: arn(StreamName), MaxRecordSizeInKiB: 10240 }));
    const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!;
    assert.equal(summary.MaxRecordSizeInKiB, 10240);

    const big = new Uint8Array(10 * MIB - 1).fill(7);
    big[big.length - 1] = 9;
    const put = await client.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: big }));
    const batch = await client.send(
      new PutRecordsCommand({
        StreamName,
        Records: [
          { PartitionKey: 'a', Data: new Uint8Array(5 * MIB).fill(1) },
          { PartitionKey: 'b', Data: new Uint8Array(5 * MIB - 10).fill(2) },
        ],
      }),
    );
    assert.equal(batch.FailedRecordCount, 0);
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const first = await client.send(new GetRecordsCommand({ ShardIterator }));
    // 10 MiB a call at most: the big record comes alone.
    assert.equal(first.Records!.length, 1);
    assert.equal(first.Records![0]!.SequenceNumber, put.SequenceNumber);
    assert.equal(first.Records![0]!.Data!.byteLength, big.byteLength);
    assert.equal(first.Records![0]!.Data![big.length - 1], 9);
    const second = await client.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    assert.deepEqual(
      second.Records!.map((record) => record.Data!.byteLength),
      [5 * MIB, 5 * MIB - 10],
    );
  });

  it('reshards and switches capacity mode, with StreamId accepted where the model has it', async () => {
    const StreamName = 'scaling';
    await client.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
    // StreamId is "Not Implemented. Reserved for future use." (the model): accepted and ignored. The SDK turns it
    // into a host name, so it is sent here as raw JSON.
    const split = await kinesisJson(riffle.endpoint, 'SplitShard', {
      StreamName,
      ShardToSplit: 'shardId-000000000000',
      NewStartingHashKey: '1000',
      StreamId: 'abcdefghij0123456789-abc',
    });
    assert.equal(split.status, 200);
    const scaled = await client.send(new UpdateShardCountCommand({ StreamName, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }));
    assert.deepEqual([scaled.CurrentShardCount, scaled.TargetShardCount, scaled.StreamARN], [3, 4, arn(StreamName)]);
    const open = await client.send(new ListShardsCommand({ StreamName, ShardFilter: { Type: 'AT_LATEST' } }));
    assert.equal(open.Shards!.length, 4);
    const all = await client.send(new ListShardsCommand({ StreamName }));
    assert.ok(all.Shards!.some((shard) => shard.AdjacentParentShardId !== undefined), 'scaling merged shards');

    await client.send(new UpdateStreamModeCommand({ StreamARN: arn(StreamName), StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!;
    assert.equal(summary.StreamModeDetails!.StreamMode, 'ON_DEMAND');
    assert.equal(summary.OpenShardCount, 4);
    assert.equal((await client.send(new DescribeLimitsCommand({}))).OnDemandStreamCount, 1);
    await assert.rejects(
      client.send(new SplitShardCommand({ StreamName, ShardToSplit: open.Shards![0]!.ShardId!, NewStartingHashKey: '10' })),
      (error: unknown) => error instanceof ValidationException && /is in On-Demand mode/.test(error.message),
    );
    await client.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arn(StreamName), RecordDistributionStrategy: 'AUTO' }));
    const spread = await client.send(
      new PutRecordsCommand({ StreamName, Records: Array.from({ length: 8 }, () => ({ PartitionKey: 'one-key', Data: new Uint8Array([1]) })) }),
    );
    assert.equal(new Set(spread.Records!.map((record) => record.ShardId)).size, 4);

    await client.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }));
    const settings = await client.send(new DescribeAccountSettingsCommand({}));
    assert.equal(settings.MinimumThroughputBillingCommitment!.Status, 'ENABLED');
    assert.ok(settings.MinimumThroughputBillingCommitment!.EarliestAllowedEndAt instanceof Date);
    const warm = await client.send(new UpdateStreamWarmThroughputCommand({ StreamName, WarmThroughputMiBps: 8 }));
    assert.deepEqual(warm.WarmThroughput, { TargetMiBps: 8, CurrentMiBps: 8 });
  });

  it('flags encryption, monitoring and policies, and answers DryRun', async () => {
    const StreamName = 'settings';
    await client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    await client.send(new StartStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    const put = await client.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: new Uint8Array([1]) }));
    assert.equal(put.EncryptionType, 'KMS');
    const monitoring = await client.send(new EnableEnhancedMonitoringCommand({ StreamName, ShardLevelMetrics: ['ALL'] }));
    assert.deepEqual(monitoring.CurrentShardLevelMetrics, []);
    assert.equal(monitoring.DesiredShardLevelMetrics!.length, 7);

    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kinesis:GetRecords', Resource: arn(StreamName) }] });
    await client.send(new PutResourcePolicyCommand({ ResourceARN: arn(StreamName), Policy: policy }));
    assert.equal((await client.send(new GetResourcePolicyCommand({ ResourceARN: arn(StreamName) }))).Policy, policy);
    await client.send(new DeleteResourcePolicyCommand({ ResourceARN: arn(StreamName) }));
    assert.equal((await client.send(new GetResourcePolicyCommand({ ResourceARN: arn(StreamName) }))).Policy, '{}');

    await assert.rejects(
      client.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: new Uint8Array([2]), DryRun: true })),
      (error: unknown) => error instanceof DryRunOperationException && error.$metadata.httpStatusCode === 400,
    );
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );
    await assert.rejects(client.send(new GetRecordsCommand({ ShardIterator, DryRun: true })), DryRunOperationException);
    const records = await client.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(records.Records!.map((record) => record.EncryptionType), ['KMS'], 'the dry run wrote nothing');
  });

  // API reference, UpdateStreamRecordDistributionStrategy: "Attempting to set AUTO on a provisioned stream results in
  // an InvalidArgumentException." (also shared/reference/kinesis-api.md §2.2).
  it('answers InvalidArgumentException for AUTO on a provisioned stream', async () => {
    await client.send(new CreateStreamCommand({ StreamName: 'fixed-rd', ShardCount: 1 }));
    await assert.rejects(
      client.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arn('fixed-rd'), RecordDistributionStrategy: 'AUTO' })),
      (error: unknown) => {
        assert.ok(error instanceof InvalidArgumentException, `got ${(error as Error).name}: ${(error as Error).message}`);
        return true;
      },
    );
  });

  // A keyless entry on an AUTO stream is held to MaxRecordSizeInKiB like any other.
  it('refuses a keyless PutRecords entry above the stream maximum record size', async () => {
    await client.send(new CreateStreamCommand({ StreamName: 'spread-rd', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    await client.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arn('spread-rd'), RecordDistributionStrategy: 'AUTO' }));
    const big = new Uint8Array(2 * MIB);
    await assert.rejects(
      client.send(new PutRecordsCommand({ StreamName: 'spread-rd', Records: [{ PartitionKey: 'k', Data: big }] })),
      ValidationException,
      'a keyed entry is refused',
    );
    await assert.rejects(
      client.send(new PutRecordsCommand({ StreamName: 'spread-rd', Records: [{ Data: big } as { Data: Uint8Array; PartitionKey: string }] })),
      ValidationException,
      'a keyless entry of the same size is refused too',
    );
  });
});
