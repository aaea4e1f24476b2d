import type { ChannelStatusValue } from '@riffle/storage';
import type { StreamStatus } from './stream-snapshot.js';

export type ShardIteratorType =
  | 'AT_SEQUENCE_NUMBER'
  | 'AFTER_SEQUENCE_NUMBER'
  | 'TRIM_HORIZON'
  | 'LATEST'
  | 'AT_TIMESTAMP';

/**
 * Every error the engine raises, with what AWS's message for it needs. The api layer maps each code to
 * AWS's `__type` and exact text; account id and region come from EngineConfig.
 */
export interface EngineErrorParams {
  /** ResourceNotFoundException `Stream S under account A not found.` */
  StreamNotFound: { stream: string };
  /** ResourceInUseException `... already exists.` */
  StreamExists: { stream: string };
  /** ResourceInUseException `... not ACTIVE, instead in state X` */
  StreamNotActive: { stream: string; status: StreamStatus };
  /** ResourceNotFoundException `Shard X in stream S under account A does not exist` (GetShardIterator, GetRecords). */
  ShardNotFound: { stream: string; shardId: string };
  /** ResourceNotFoundException `Could not find shard X in stream S under account A.` (unreadable ids; split/merge). */
  CouldNotFindShard: { stream: string; shardId: string };
  /** LimitExceededException, the shard-quota message. */
  ShardLimitExceeded: { current: number; limit: number; additional: number };
  /** LimitExceededException: more than `limit` streams CREATING at once. */
  TooManyCreatingStreams: { limit: number };
  /** LimitExceededException: on-demand stream quota. */
  OnDemandStreamLimit: { current: number; limit: number };
  /** InvalidArgumentException `ShardCount cannot be null when creating stream in PROVISIONED StreamMode` */
  ShardCountRequired: Record<string, never>;
  /** InvalidArgumentException `Invalid ExplicitHashKey. ... Specified value was V` */
  InvalidExplicitHashKey: { value: string };
  /** Data plus partition key bytes above the stream's MaxRecordSizeInKiB × 1024. */
  RecordTooLarge: { size: number; limit: number; stream: string; position?: number };
  /** InvalidArgumentException `ExclusiveMinimumSequenceNumber V used in PutRecord on stream S under account A is invalid.` */
  InvalidSequenceNumberForOrdering: { value: string; stream: string };
  /** InvalidArgumentException `Must either specify (1) ... Request specified T and also a / and no StartingSequenceNumber.` */
  IteratorTypeMismatch: { type: ShardIteratorType; hasSequenceNumber: boolean };
  /** InvalidArgumentException `Must specify timestampInMillis parameter ...` */
  MissingTimestamp: Record<string, never>;
  /** InvalidArgumentException `The timestampInMillis parameter cannot be greater than ...` (both epoch ms). */
  TimestampInFuture: { timestamp: number; now: number };
  /** InvalidArgumentException `Invalid StartingSequenceNumber. It encodes X, while it was used in a call to a shard with Y` */
  SequenceNumberOtherShard: { encodedShardId: string; shardId: string };
  /** InvalidArgumentException `StartingSequenceNumber N used in GetShardIterator on shard X in stream S ... did not come from this stream.` */
  SequenceNumberOtherStream: { sequenceNumber: string; shardId: string; stream: string };
  /** InvalidArgumentException `Invalid SequenceNumber for ShardIteratorType AFTER_SEQUENCE_NUMBER, ... max possible value for the shard.` */
  SequenceNumberAtShardEnd: Record<string, never>;
  /** InvalidArgumentException `StartingSequenceNumber N used in GetShardIterator on shard X in stream S under account A is invalid.` */
  InvalidSequenceNumber: { sequenceNumber: string; shardId: string; stream: string };
  /** InvalidArgumentException `Invalid ShardIterator.` */
  InvalidShardIterator: Record<string, never>;
  /** ExpiredIteratorException; both epoch ms. */
  ExpiredIterator: { createdAt: number; now: number };
  /** ProvisionedThroughputExceededException for PutRecord: the shard's 1 MiB/s or 1,000 records/s are used up. */
  WriteThroughputExceeded: { stream: string; shardId: string };
  /** ProvisionedThroughputExceededException for GetRecords and GetShardIterator: the shard's read limits. */
  ReadThroughputExceeded: { stream: string; shardId: string };
  /** InternalFailure (HTTP 500, no message), answered by fault injection. */
  InjectedInternalFailure: Record<string, never>;
  /** InvalidArgumentException `Minimum allowed retention period is 24 hours. ...` */
  RetentionTooShort: { hours: number; min: number };
  /** InvalidArgumentException `Maximum allowed retention period is 8760 hours. ...` */
  RetentionTooLong: { hours: number; max: number };
  /** IncreaseStreamRetentionPeriod below the current value: `... can not be shorter than ... Use DecreaseRetentionPeriod API.` */
  RetentionNotIncrease: { stream: string; requested: number; current: number };
  /** DecreaseStreamRetentionPeriod above the current value: `... can not be longer than ... Use IncreaseRetentionPeriod API.` */
  RetentionNotDecrease: { stream: string; requested: number; current: number };
  /** InvalidArgumentException `Failed to add tags to stream S under account A because a given stream cannot have more than N tags ...` */
  TooManyTags: { stream: string; limit: number };
  /** InvalidArgumentException `Some tags contain invalid characters. Valid characters: ...` */
  InvalidTagCharacters: Record<string, never>;
  /** InvalidArgumentException `Failed to add tags to stream S ... because some tags contained illegal characters. ...` ('%'; kinesalite). */
  IllegalTagCharacters: { stream: string };
  /** Tag keys starting with `aws:` are reserved for AWS. */
  ReservedTagPrefix: { stream: string; key: string };
  /** ValidationException: a provisioned-only operation (SplitShard, MergeShards, UpdateShardCount) on an on-demand stream. */
  NotSupportedOnDemand: { operation: string; stream: string };
  /** InvalidArgumentException `Shard X in stream S under account A has already been merged or split, ...` */
  ShardNotOpen: { stream: string; shardId: string };
  /** InvalidArgumentException `NewStartingHashKey K used in SplitShard() on shard X ... is not both greater than ...` */
  InvalidSplitHashKey: { key: string; shardId: string; stream: string; start: string; end: string };
  /** InvalidArgumentException `Shards X and Y in stream S under account A are not an adjacent pair of shards eligible for merging` */
  ShardsNotAdjacent: { stream: string; shardId: string; adjacentShardId: string };
  /** UpdateShardCount above twice the open shards. */
  ScaleUpTooFar: { stream: string; target: number; current: number };
  /** UpdateShardCount below half the open shards. */
  ScaleDownTooFar: { stream: string; target: number; current: number };
  /** UpdateShardCount above the per-stream shard maximum. */
  TooManyShardsPerStream: { stream: string; target: number; current: number; limit: number };
  /** More than `limit` changes of `kind` in the rolling 24 hours. */
  DailyChangeLimit: { stream: string; kind: 'scale' | 'mode' | 'startEncryption' | 'stopEncryption'; limit: number };
  /** UpdateStreamMode to the mode the stream already has. */
  StreamModeUnchanged: { stream: string; mode: string };
  /** StartStreamEncryption/StopStreamEncryption with an EncryptionType other than KMS. */
  InvalidEncryptionType: { stream: string; operation: 'StartStreamEncryption' | 'StopStreamEncryption'; type: string };
  /** StopStreamEncryption on a stream that is not encrypted. */
  StreamNotEncrypted: { stream: string };
  /**
   * KMSNotFoundException: StartStreamEncryption's KeyId names no key of the keyring. `arn` is the key or alias
   * ARN KMS names in its message; a KeyId of no known form has none.
   */
  KmsKeyNotFound: { keyId: string; kind: 'key' | 'alias'; arn: string } | { keyId: string; kind: 'invalid' };
  /** UpdateStreamRecordDistributionStrategy AUTO, UpdateStreamWarmThroughput and WarmThroughputMiBps need an on-demand stream. */
  RequiresOnDemand: { operation: string; stream: string };
  /** InvalidArgumentException: AUTO record distribution on a provisioned stream (UpdateStreamRecordDistributionStrategy API reference). */
  AutoNeedsOnDemand: { stream: string };
  /** UpdateStreamMode to PROVISIONED with WarmThroughputMiBps. */
  WarmThroughputNeedsOnDemandTarget: Record<string, never>;
  /** Warm throughput needs the account's MinimumThroughputBillingCommitment. */
  WarmThroughputNeedsCommitment: Record<string, never>;
  /** Warm throughput above the on-demand maximum. */
  WarmThroughputTooHigh: { requested: number; limit: number };
  /** No resource policy is attached. */
  ResourcePolicyNotFound: { arn: string };
  /** ValidationException `Value null at 'partitionKey' ...`: the key is optional for AUTO streams only. */
  PartitionKeyRequired: { position?: number };
  /** ResourceInUseException: RegisterStreamConsumer with a name the stream already has. */
  ConsumerExists: { stream: string; consumer: string };
  /** LimitExceededException: the stream has its maximum of consumers. */
  ConsumerLimitExceeded: { stream: string; limit: number };
  /** LimitExceededException: `limit` consumers are CREATING already. */
  TooManyCreatingConsumers: { limit: number };
  /** ResourceNotFoundException: no such consumer on the stream. */
  ConsumerNotFound: { stream: string; consumer: string };
  /** ResourceInUseException: SubscribeToShard with a consumer that is not ACTIVE. */
  ConsumerNotActive: { consumer: string; createdAtSeconds: number; stream: string };
  /** ResourceInUseException: a subscription of the consumer on the shard started less than 5 s ago, or took this one over. */
  SubscriptionInUse: { stream: string; shardId: string; consumer: string };
  /** ResourceInUseException: DeleteStream with consumers and no EnforceConsumerDeletion. */
  StreamHasConsumers: { stream: string };
  /** ThrottlingException: more than one dry run a second on the stream. */
  DryRunThrottled: { stream: string };
  /** DryRunOperationException: the call would have succeeded. */
  DryRunSucceeded: Record<string, never>;
  /** PutResourcePolicy with a document that is not a policy. */
  InvalidResourcePolicy: { reason: string };

  // ---- channels (channels/channel-registry.ts) ----
  /** ResourceNotFoundException: no channel with this ChannelId. */
  ChannelNotFound: { channelId: string };
  /** ResourceInUseException: the account already has a channel of this name (in any state). */
  ChannelExists: { channel: string };
  /** ResourceInUseException: UpdateChannel / DeleteChannel on a channel in the wrong state. */
  ChannelNotActive: { channelId: string; status: ChannelStatusValue };
  /** Distributed mode: the channel is kept by another Riffle node, which alone changes it. */
  ChannelOnAnotherNode: { channelId: string; node: string };
  /** InvalidArgumentException: channels need an ON_DEMAND source stream (CreateChannel documentation). */
  ChannelStreamNotOnDemand: { stream: string };
  /** LimitExceededException: one channel per destination type per stream (Developer Guide, delivery quotas). */
  ChannelsPerStreamExceeded: { stream: string; destinationType: 'S3' | 'S3_TABLES' };
  /** ResourceInUseException: DeleteStream while channels deliver from the stream (DeleteChannel documentation). */
  StreamHasChannels: { stream: string };
  /** InvalidArgumentException: DataFreshnessInSeconds outside 300..900 (Developer Guide, data delivery concepts). */
  DataFreshnessOutOfRange: { value: number; min: number; max: number };
  /** InvalidArgumentException: a RecordFormatType the destination does not take (API reference, RecordConfiguration). */
  RecordFormatNotSupported: { format: string; destinationType: 'S3' | 'S3_TABLES' };
  /** InvalidArgumentException: a streaming-table channel without GSRSchemaARN. */
  GsrSchemaRequired: Record<string, never>;
  /** InvalidArgumentException: S3TablesConfigurationList must hold exactly one table ("currently, one table is supported"). */
  ChannelTableCount: { count: number };
  /** InvalidArgumentException: the Kinesis service key cannot encrypt channel output (ChannelEncryptionConfiguration). */
  ChannelServiceKey: { keyId: string };
  /** InvalidArgumentException: an OutputKeyTemplate or ErrorOutputPrefix the delivery cannot use. */
  InvalidObjectKeyTemplate: {
    member: 'OutputKeyTemplate' | 'ErrorOutputPrefix';
    value: string;
    problem: 'unbalanced' | 'unknownVariable' | 'leadingSlash' | 'trailingSlash' | 'pathTraversal';
    variable?: string;
  };
  /** InvalidArgumentException: UpdateChannel for the other destination type than the channel's. */
  ChannelDestinationMismatch: { channelId: string; member: string; destinationType: 'S3' | 'S3_TABLES' };
}

export type EngineErrorCode = keyof EngineErrorParams;

export class EngineError<C extends EngineErrorCode = EngineErrorCode> extends Error {
  readonly code: C;
  readonly params: EngineErrorParams[C];

  constructor(code: C, ...params: EngineErrorParams[C] extends Record<string, never> ? [] : [EngineErrorParams[C]]) {
    const values = (params[0] ?? {}) as EngineErrorParams[C];
    // Not AWS's text (that is api's job): a stable code and the parameters, for logs.
    super(`${code} ${JSON.stringify(values)}`);
    this.name = 'EngineError';
    this.code = code;
    this.params = values;
  }
}

/** One EngineError per code, so that `switch (error.code)` narrows `params`. */
export type AnyEngineError = { [C in EngineErrorCode]: EngineError<C> }[EngineErrorCode];

export function isEngineError(value: unknown): value is AnyEngineError {
  return value instanceof EngineError;
}
