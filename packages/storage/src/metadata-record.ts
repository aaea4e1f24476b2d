/** The durable metadata the engine keeps: one record per stream, shards and lineage inside it. */

export type StreamStatusValue = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';
export type StreamModeValue = 'PROVISIONED' | 'ON_DEMAND';

export interface ShardRecord {
  /** The number in `shardId-000000000007`; allocated monotonically per stream, never reused. */
  readonly index: number;
  readonly parentIndex?: number;
  readonly adjacentParentIndex?: number;
  readonly hashKeyStart: bigint;
  readonly hashKeyEnd: bigint;
  /** Epoch ms; encoded (as seconds) in every sequence number of the shard. */
  readonly createdAt: number;
  /** Epoch ms at which resharding closed the shard. */
  readonly closedAt?: number;
  /** The log's endOffset when the shard was closed: its last record is at closedEndOffset - 1. */
  readonly closedEndOffset?: number;
}

/** A change that waits for the end of UPDATING to take effect; kept so that a restart resumes it. */
export type StreamUpdate =
  | { readonly kind: 'split'; readonly shardIndex: number; readonly newStartingHashKey: bigint }
  | { readonly kind: 'merge'; readonly shardIndex: number; readonly adjacentShardIndex: number }
  | { readonly kind: 'scale'; readonly targetShardCount: number }
  | { readonly kind: 'mode'; readonly mode: StreamModeValue; readonly warmThroughputMiBps?: number }
  | { readonly kind: 'encryption'; readonly encryptionType: 'NONE' | 'KMS'; readonly keyId?: string; readonly dataKeyId?: number }
  | { readonly kind: 'warmThroughput'; readonly targetMiBps: number }
  | { readonly kind: 'shardLevelMetrics'; readonly metrics: readonly string[] }
  | { readonly kind: 'maxRecordSize'; readonly maxRecordSizeKiB: number };

export interface EncryptionChange {
  readonly type: 'NONE' | 'KMS';
  /** Epoch ms. */
  readonly since: number;
  /** Shard index (as a string) -> first offset of the shard written under `type`. */
  readonly startOffsets: Readonly<Record<string, number>>;
  /** KMS: the KeyId of StartStreamEncryption, as given. */
  readonly keyId?: string;
  /**
   * KMS: the data key (DataKeyRecord id) that seals the records written under this change. A KMS change
   * without one was made before encryption at rest existed: its records are stored in plain text.
   */
  readonly dataKeyId?: number;
}

/** Changes limited per rolling 24 hours, with the time each was made (epoch ms). */
export interface StreamChangeEvent {
  readonly kind: 'scale' | 'mode' | 'startEncryption' | 'stopEncryption';
  readonly at: number;
}

export type ConsumerStatusValue = 'CREATING' | 'ACTIVE' | 'DELETING';

/** An enhanced fan-out consumer registered with a stream; it lives and dies with the stream record. */
export interface ConsumerRecord {
  readonly name: string;
  /** Epoch ms; its seconds end the ConsumerARN. */
  readonly createdAt: number;
  readonly status: ConsumerStatusValue;
  /** Epoch ms at which CREATING or DELETING completes. */
  readonly transitionDueAt?: number;
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  /** The resource policy of PutResourcePolicy on the consumer's ARN. */
  readonly resourcePolicy?: string;
}

export interface StreamRecord {
  readonly name: string;
  /** Names this incarnation's logs, so a re-created stream never sees an old one's records. */
  readonly streamKey: string;
  /** Counts the commits of this incarnation's record, so that a conditional change can tell it was overtaken. */
  readonly revision?: number;
  readonly status: StreamStatusValue;
  /** Epoch ms at which the pending CREATING/UPDATING/DELETING transition completes; survives restarts. */
  readonly transitionDueAt?: number;
  readonly mode: StreamModeValue;
  readonly createdAt: number;
  readonly retentionHours: number;
  readonly encryptionType: 'NONE' | 'KMS';
  readonly keyId?: string;
  readonly shardLevelMetrics: readonly string[];
  readonly maxRecordSizeKiB: number;
  readonly nextShardIndex: number;
  readonly shards: readonly ShardRecord[];
  readonly pendingUpdate?: StreamUpdate;
  /** The last 24 hours of changes AWS limits per rolling day. */
  readonly recentChanges?: readonly StreamChangeEvent[];
  /**
   * Each change of the EncryptionType new records get, oldest first: per shard open at the time, the first
   * offset written under it; a shard created later is under the changes made before it was created.
   */
  readonly encryptionHistory?: readonly EncryptionChange[];
  /** On-demand streams only; absent = USER_PARTITION_KEY. */
  readonly recordDistribution?: 'AUTO' | 'USER_PARTITION_KEY';
  /** On-demand warm throughput, MiB/s: the target asked for and what the stream has reached. */
  readonly warmThroughput?: { readonly targetMiBps: number; readonly currentMiBps: number };
  /** Per UTC day (epoch day number), the highest one-minute write rate seen; the last 30 days. */
  readonly writePeaks?: readonly { readonly day: number; readonly bytesPerSecond: number; readonly recordsPerSecond: number }[];
  /** The resource policy of PutResourcePolicy, as given. */
  readonly resourcePolicy?: string;
  /** Registered enhanced fan-out consumers, in registration order; names are unique. */
  readonly consumers?: readonly ConsumerRecord[];
  /** Tags in insertion order; keys are unique. */
  readonly tags: readonly { readonly key: string; readonly value: string }[];
}
