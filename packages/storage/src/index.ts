export type { RecordToAppend, StoredRecord } from './stored-record.js';
export { storedRecordSize } from './stored-record.js';
export type { AppendOptions, ReadLimits, ShardLog } from './shard-log.js';
export { ShardLogFencedError } from './shard-log-fenced-error.js';
export type { ConsumerRecord, ConsumerStatusValue, EncryptionChange, ShardRecord, StreamChangeEvent, StreamRecord, StreamModeValue, StreamStatusValue, StreamUpdate } from './metadata-record.js';
export type {
  ChannelDeadLetterQueueRecord,
  ChannelDestinationRecord,
  ChannelFailureCode,
  ChannelPositionRecord,
  ChannelRecord,
  ChannelS3StorageRecord,
  ChannelS3TableRecord,
  ChannelStatusValue,
} from './channel-record.js';
export type { DataKeyRecord } from './data-key-record.js';
export type { MetadataLookup, MetadataMutation, MetadataSnapshot, MetadataStore, StreamVersion } from './metadata-store.js';
export { failedCondition, snapshotLookup, streamVersionOf } from './metadata-store.js';
export { MetadataConflictError } from './metadata-conflict-error.js';
export type { Storage, StorageStatistics } from './storage.js';
export type { ClusterBus, DataPlaneUsage } from './cluster-bus.js';
export type { ObjectStore } from './object-store.js';
export { FileObjectStore, InvalidObjectKeyError } from './file/file-object-store.js';
export { StorageClosedError } from './storage-closed-error.js';
export { MemoryShardLog } from './memory/memory-shard-log.js';
export { MemoryMetadataStore } from './memory/memory-metadata-store.js';
export { createMemoryStorage } from './memory/create-memory-storage.js';
export { describeShardLogContract, type ShardLogFactory } from './contract/describe-shard-log-contract.js';
export {
  describeMetadataStoreContract,
  type MetadataStoreFactory,
} from './contract/describe-metadata-store-contract.js';
export { DataDirInUseError, lockDataDir } from './file/data-dir-lock.js';
export { openFileStorage, FILE_STORAGE_DEFAULTS, DATA_LAYOUT, DATA_FORMAT_VERSION, DataFormatError } from './file/create-file-storage.js';
export type { FileStorage, FileStorageOptions } from './file/create-file-storage.js';
export { FileShardLog, type ShardLogContext } from './file/file-shard-log.js';
export { FileMetadataStore, MetadataCorruptError } from './file/file-metadata-store.js';
export { FileIo, StorageIoError, systemError, type FaultProbe } from './file/file-io.js';
export { GroupCommit, type FsyncMode } from './file/group-commit.js';
export type { StorageEvent, StorageReporter } from './file/storage-event.js';
export { segmentFileStem } from './file/log-segment.js';
export { fromMetadataJson, toMetadataJson } from './file/metadata-json.js';
