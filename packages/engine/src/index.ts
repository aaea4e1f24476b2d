export {
  Engine,
  type AccountLimits,
  type ChildShard,
  type CreateStreamInput,
  type EngineOptions,
  type GetRecordsOptions,
  type GetRecordsResult,
  type PutRecordEntry,
  type PutRecordResult,
  type PutRecordsResultEntry,
  type RecordView,
  type ShardIteratorOptions,
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
