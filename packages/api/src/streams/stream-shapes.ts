import type { ChildShard as EngineChildShard, RecordView, ShardSnapshot, StreamSnapshot } from '@riffle/engine';
import type { ChildShard, EnhancedMetrics, MetricsName, Record as KinesisRecord, Shard, StreamDescriptionSummary, StreamSummary } from '../generated/kinesis/types.js';

/** Engine snapshots -> the model's shapes (hash keys and sequence numbers as decimal strings). */
export function toShard(shard: ShardSnapshot): Shard {
  return {
    ShardId: shard.shardId,
    ParentShardId: shard.parentShardId,
    AdjacentParentShardId: shard.adjacentParentShardId,
    HashKeyRange: {
      StartingHashKey: shard.hashKeyRange.start.toString(),
      EndingHashKey: shard.hashKeyRange.end.toString(),
    },
    SequenceNumberRange: {
      StartingSequenceNumber: shard.startingSequenceNumber,
      EndingSequenceNumber: shard.endingSequenceNumber,
    },
  };
}

/** DescribeStream's EnhancedMonitoring is always a one-element list (reference §2.5). */
export function enhancedMonitoring(stream: StreamSnapshot): EnhancedMetrics[] {
  return [{ ShardLevelMetrics: [...stream.shardLevelMetrics] as MetricsName[] }];
}

export function toStreamSummary(stream: StreamSnapshot): StreamSummary {
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    StreamStatus: stream.status,
    StreamModeDetails: { StreamMode: stream.mode },
    StreamCreationTimestamp: new Date(stream.createdAt),
  };
}

export function toStreamDescriptionSummary(stream: StreamSnapshot): StreamDescriptionSummary {
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    StreamStatus: stream.status,
    StreamModeDetails: { StreamMode: stream.mode },
    RetentionPeriodHours: stream.retentionHours,
    StreamCreationTimestamp: new Date(stream.createdAt),
    EnhancedMonitoring: enhancedMonitoring(stream),
    EncryptionType: stream.encryptionType,
    KeyId: stream.keyId,
    OpenShardCount: stream.shards.filter((s) => s.endingSequenceNumber === undefined).length,
    ConsumerCount: stream.consumerCount,
    MaxRecordSizeInKiB: stream.maxRecordSizeKiB,
    // On-demand streams only (the SDK's StreamDescriptionSummary documentation).
    RecordDistributionStrategy: stream.recordDistribution,
    WarmThroughput:
      stream.warmThroughput === undefined
        ? undefined
        : { TargetMiBps: stream.warmThroughput.targetMiBps, CurrentMiBps: stream.warmThroughput.currentMiBps },
  };
}

export function toRecord(record: RecordView): KinesisRecord {
  return {
    SequenceNumber: record.sequenceNumber,
    ApproximateArrivalTimestamp: new Date(record.arrivalTime),
    Data: record.data,
    // A record written to an AUTO stream without a partition key has none (the SDK's Record documentation).
    PartitionKey: record.partitionKey === '' ? undefined : record.partitionKey,
    // Shown for encrypted records only, as AWS's answers for unencrypted streams carry none.
    EncryptionType: record.encryptionType === 'KMS' ? record.encryptionType : undefined,
  };
}

export function toChildShard(child: EngineChildShard): ChildShard {
  return {
    ShardId: child.shardId,
    ParentShards: [...child.parentShards],
    HashKeyRange: { StartingHashKey: child.hashKeyRange.start.toString(), EndingHashKey: child.hashKeyRange.end.toString() },
  };
}
