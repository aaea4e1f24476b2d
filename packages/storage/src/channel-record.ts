/** The durable record of one channel (Kinesis managed delivery of a stream into S3): its settings and progress. */

export type ChannelStatusValue = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'FAILED';

/** Why a channel is FAILED; the API words it. */
export type ChannelFailureCode = 'S3TablesNotDelivered' | 'CompressionUnavailable';

export interface ChannelS3StorageRecord {
  readonly bucketArn: string;
  readonly expectedBucketOwner: string;
  readonly compressionType: 'NONE' | 'GZIP' | 'ZSTD';
  readonly outputKeyTemplate: string;
  readonly storageClass: 'STANDARD' | 'INTELLIGENT_TIERING' | 'GLACIER_IR';
}

export interface ChannelDeadLetterQueueRecord {
  readonly bucketArn: string;
  readonly expectedBucketOwner: string;
  readonly errorOutputPrefix: string;
}

export interface ChannelS3TableRecord {
  readonly tableBucketArn: string;
  readonly namespace: string;
  readonly tableName: string;
  readonly compressionType: 'NONE' | 'ZSTD' | 'SNAPPY';
  readonly partitionFields?: readonly { readonly transform: 'TIME_HOUR'; readonly sourceName: string }[];
}

export type ChannelDestinationRecord =
  | {
      readonly type: 'S3';
      readonly dataFreshnessSeconds: number;
      readonly storage: ChannelS3StorageRecord;
      readonly deadLetterQueue: ChannelDeadLetterQueueRecord;
    }
  | {
      readonly type: 'S3_TABLES';
      readonly dataFreshnessSeconds: number;
      readonly tables: readonly ChannelS3TableRecord[];
      readonly deadLetterQueue: ChannelDeadLetterQueueRecord;
    };

/** Where one shard's delivery stands: the next offset not yet in a durable object. */
export interface ChannelPositionRecord {
  readonly shardIndex: number;
  readonly offset: number;
}

export interface ChannelRecord {
  /** ChannelId; the ARN is `...:channel/<id>`. */
  readonly id: string;
  /** Unique per account. */
  readonly name: string;
  readonly status: ChannelStatusValue;
  /** Distributed mode: the Riffle node that keeps and delivers the channel (its objects are in that node's data directory). */
  readonly homeNode?: string;
  readonly failure?: ChannelFailureCode;
  /** Epoch ms at which the pending CREATING/UPDATING/DELETING transition completes; survives restarts. */
  readonly transitionDueAt?: number;
  readonly createdAt: number;
  readonly serviceExecutionRoleArn: string;
  readonly stream: {
    readonly name: string;
    /** The incarnation delivered from (StreamRecord.streamKey). */
    readonly streamKey: string;
    readonly createdAt: number;
    readonly recordFormat: 'GSR_JSON' | 'JSON' | 'STRING' | 'BYTE_ARRAY';
    readonly gsrSchemaArn?: string;
  };
  readonly destination: ChannelDestinationRecord;
  readonly encryption?: { readonly type: 'KMS'; readonly keyId: string };
  readonly logging: { readonly enabled: boolean; readonly logGroupName?: string; readonly logStreamName?: string };
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  /** Set when the channel becomes ACTIVE; shards without an entry have not been started. */
  readonly positions: readonly ChannelPositionRecord[];
  /**
   * Objects being written and the positions they complete. Committed before the objects are written and cleared
   * with the new positions after they are durable, so that a restart adopts or removes them: never both lost and
   * kept, never delivered twice.
   */
  readonly pendingDelivery?: {
    readonly objects: readonly { readonly bucket: string; readonly key: string }[];
    readonly positions: readonly ChannelPositionRecord[];
  };
}
