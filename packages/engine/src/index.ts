export {
  Engine,
  SHARD_LEVEL_METRICS,
  type AccountLimits,
  type ConsumerAddress,
  type ShardLevelMetricsChange,
  type ChildShard,
  type CreateStreamInput,
  type DryRunOption,
  type EngineOptions,
  type GetRecordsOptions,
  type GetRecordsResult,
  type KeyringNeed,
  type PutRecordEntry,
  type PutRecordResult,
  type PutRecordsResultEntry,
  type RecordView,
  type ShardIteratorOptions,
  type SubscriptionEvent,
  type Tag,
} from './engine.js';
export type { EngineConfig } from './engine-config.js';
export {
  EngineError,
  isEngineError,
  type AnyEngineError,
  type EngineErrorCode,
  type EngineErrorParams,
  type ShardIteratorType,
} from './engine-error.js';
export type {
  EncryptionType,
  ShardLevelMetric,
  ShardSnapshot,
  StreamMode,
  StreamSnapshot,
  StreamStatus,
} from './stream-snapshot.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export { Keyring, decodeMasterKey, type CustomerKey, type KeyResolution, type KeyScope } from './encryption/keyring.js';
export { EncryptionError, type EncryptionErrorCode } from './encryption/encryption-error.js';
export { FakeClock } from './fake-clock.js';
export { hashKeyOf, initialHashRanges, parseExplicitHashKey, MAX_HASH_KEY, type HashKeyRange } from './hash-key.js';
export { resolveShardIndex, shardIdOf } from './shard-id.js';
export {
  decodeSequenceNumber,
  encodeSequenceNumber,
  endingSequenceNumber,
  recordSequenceNumber,
  startingSequenceNumber,
  MAX_SEQUENCE_COUNTER,
  type SequenceNumberParts,
} from './sequence-number.js';
export { ShardIteratorCodec, SHARD_ITERATOR_TTL_MS, type ShardIteratorPosition } from './shard-iterator.js';
export { KINESIS_LIMITS } from './kinesis-limits.js';
export { TokenBucket } from './throughput/token-bucket.js';
export { SHARD_LIMITS } from './throughput/shard-limits.js';
export type { StreamWriteCapacity } from './throughput/stream-write-capacity.js';
export type { WriteRefusal } from './throughput/data-plane-gate.js';
export type { FaultKind, FaultPlan, FaultShares } from './faults/fault-plan.js';
export { FaultInjector } from './faults/fault-injector.js';
export { parseFaultSpec, FaultSpecError } from './faults/parse-fault-spec.js';
export { DATA_PLANE_FAULT_OPERATIONS, type DataPlaneFaultOperation } from './faults/data-plane-operations.js';
export {
  ChannelRegistry,
  CHANNEL_LIMITS,
  DEFAULT_CHANNEL_OBJECT_BYTES,
  type ChannelSnapshot,
  type CreateChannelInput,
  type DeadLetterQueueInput,
  type LoggingInput,
  type UpdateChannelInput,
} from './channels/channel-registry.js';
export { DEFAULT_OUTPUT_KEY_TEMPLATE, renderObjectKey, outputKeyTemplateProblem } from './channels/object-key-template.js';
export type { ChannelSource, SourceRecord } from './channels/channel-source.js';
export type { BillingCommitment, BillingCommitmentStatus } from './billing-commitment.js';
export { consumerArnOf, type ConsumerSnapshot, type ConsumerStatus } from './consumer-snapshot.js';
