import type { ShardSnapshot, StreamSnapshot } from '@riffle/engine';
import type { EnhancedMetrics, MetricsName, Shard, StreamDescriptionSummary, StreamSummary } from '../generated/kinesis/types.js';

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
