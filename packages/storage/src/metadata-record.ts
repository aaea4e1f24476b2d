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

export interface StreamRecord {
  readonly name: string;
  /** Names this incarnation's logs, so a re-created stream never sees an old one's records. */
  readonly streamKey: string;
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
  /** Tags in insertion order; keys are unique. */
  readonly tags: readonly { readonly key: string; readonly value: string }[];
}
