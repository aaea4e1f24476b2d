import type { ClusterBus } from './cluster-bus.js';
import type { MetadataStore } from './metadata-store.js';
import type { ShardLog } from './shard-log.js';

/** One storage backend: metadata plus a log per shard. */
export interface Storage {
  readonly metadata: MetadataStore;
  /** Opens (creating if needed) the log of one shard; opening it again returns the same log while it is open. */
  openShardLog(streamKey: string, shardId: string): Promise<ShardLog>;
  /** Closes and removes every log of a stream. */
  deleteStreamLogs(streamKey: string): Promise<void>;
  /** Every stream key that has logs, so that the owner can remove those its metadata no longer names. */
  listStreamKeys(): Promise<string[]>;
  close(): Promise<void>;
  /** Where other Riffle nodes share this store (NATS): how they tell each other about data-plane use. */
  readonly cluster?: ClusterBus;
  /** How the store's disk syncs went, where it has them (the file store). */
  statistics?(): StorageStatistics;
}

export interface StorageStatistics {
  /** Group-commit rounds (each one fsync per dirty file). */
  readonly syncRounds: number;
  readonly syncedFiles: number;
  readonly syncSeconds: number;
}
