export type { RecordToAppend, StoredRecord } from './stored-record.js';
export { storedRecordSize } from './stored-record.js';
export type { ReadLimits, ShardLog } from './shard-log.js';
export type { ShardRecord, StreamRecord, StreamModeValue, StreamStatusValue } from './metadata-record.js';
export type { MetadataMutation, MetadataSnapshot, MetadataStore } from './metadata-store.js';
export type { Storage } from './storage.js';
export { StorageClosedError } from './storage-closed-error.js';
export { MemoryShardLog } from './memory/memory-shard-log.js';
export { MemoryMetadataStore } from './memory/memory-metadata-store.js';
export { createMemoryStorage } from './memory/create-memory-storage.js';
export { describeShardLogContract, type ShardLogFactory } from './contract/describe-shard-log-contract.js';
export {
  describeMetadataStoreContract,
  type MetadataStoreFactory,
} from './contract/describe-metadata-store-contract.js';
