import type { ShardRecord, StreamRecord } from '@riffle/storage';
import type { HashKeyRange } from './hash-key.js';
import { endingSequenceNumber, startingSequenceNumber } from './sequence-number.js';
import { shardIdOf } from './shard-id.js';

export type StreamStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';
export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';
export type EncryptionType = 'NONE' | 'KMS';
/** The model's MetricsName values, without the input-only `ALL`. */
export type ShardLevelMetric =
  | 'IncomingBytes'
  | 'IncomingRecords'
  | 'OutgoingBytes'
  | 'OutgoingRecords'
  | 'WriteProvisionedThroughputExceeded'
  | 'ReadProvisionedThroughputExceeded'
  | 'IteratorAgeMilliseconds';

export interface ShardSnapshot {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly adjacentParentShardId?: string;
  readonly hashKeyRange: HashKeyRange;
  readonly startingSequenceNumber: string;
  /** Present once the shard is closed. */
  readonly endingSequenceNumber?: string;
  /** Epoch ms. */
  readonly openedAt: number;
  readonly closedAt?: number;
}

/** A read-only view of one stream at one moment. */
export interface StreamSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly status: StreamStatus;
  readonly mode: StreamMode;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly retentionHours: number;
  readonly encryptionType: EncryptionType;
  readonly keyId?: string;
  readonly shardLevelMetrics: ShardLevelMetric[];
  readonly maxRecordSizeKiB: number;
  readonly consumerCount: number;
  /** On-demand streams: AUTO or USER_PARTITION_KEY. */
  readonly recordDistribution?: 'AUTO' | 'USER_PARTITION_KEY';
  /** On-demand streams: MiB/s asked for and reached. */
  readonly warmThroughput?: { readonly targetMiBps: number; readonly currentMiBps: number };
  readonly openShardCount: number;
  /** Every shard, closed ones included, in index order. */
  readonly shards: readonly ShardSnapshot[];
}

export function shardSnapshotOf(shard: ShardRecord): ShardSnapshot {
  const ending = endingSequenceNumber(shard);
  return {
    shardId: shardIdOf(shard.index),
    ...(shard.parentIndex === undefined ? {} : { parentShardId: shardIdOf(shard.parentIndex) }),
    ...(shard.adjacentParentIndex === undefined ? {} : { adjacentParentShardId: shardIdOf(shard.adjacentParentIndex) }),
    hashKeyRange: { start: shard.hashKeyStart, end: shard.hashKeyEnd },
    startingSequenceNumber: startingSequenceNumber(shard),
    ...(ending === undefined ? {} : { endingSequenceNumber: ending }),
    openedAt: shard.createdAt,
    ...(shard.closedAt === undefined ? {} : { closedAt: shard.closedAt }),
  };
}

/** A closed shard whose every record is past the retention period is EXPIRED: no longer listed (developer guide, after resharding). */
export function isExpiredShard(shard: ShardRecord, stream: StreamRecord, now: number): boolean {
  return shard.closedAt !== undefined && shard.closedAt <= now - stream.retentionHours * 3_600_000;
}

export function streamSnapshotOf(stream: StreamRecord, arn: string, now: number): StreamSnapshot {
  return {
    name: stream.name,
    arn,
    status: stream.status,
    mode: stream.mode,
    createdAt: stream.createdAt,
    retentionHours: stream.retentionHours,
    encryptionType: stream.encryptionType,
    ...(stream.keyId === undefined ? {} : { keyId: stream.keyId }),
    shardLevelMetrics: [...stream.shardLevelMetrics] as ShardLevelMetric[],
    maxRecordSizeKiB: stream.maxRecordSizeKiB,
    consumerCount: (stream.consumers ?? []).length,
    ...(stream.mode === 'ON_DEMAND' ? { recordDistribution: stream.recordDistribution ?? 'USER_PARTITION_KEY' } : {}),
    ...(stream.mode === 'ON_DEMAND' && stream.warmThroughput ? { warmThroughput: stream.warmThroughput } : {}),
    openShardCount: stream.shards.filter((shard) => shard.closedAt === undefined).length,
    shards: stream.shards
      .filter((shard) => !isExpiredShard(shard, stream, now))
      .sort((a, b) => a.index - b.index)
      .map(shardSnapshotOf),
  };
}
