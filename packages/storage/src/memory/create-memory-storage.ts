import type { Storage } from '../storage.js';
import { MemoryMetadataStore } from './memory-metadata-store.js';
import { MemoryShardLog } from './memory-shard-log.js';

/** Storage that lives and dies with the process: for tests and `riffle serve --storage memory`. */
export function createMemoryStorage(): Storage {
  const metadata = new MemoryMetadataStore();
  const logsByStream = new Map<string, Map<string, MemoryShardLog>>();

  return {
    metadata,
    async openShardLog(streamKey, shardId) {
      let logs = logsByStream.get(streamKey);
      if (!logs) logsByStream.set(streamKey, (logs = new Map()));
      let log = logs.get(shardId);
      if (!log) logs.set(shardId, (log = new MemoryShardLog()));
      return log;
    },
    async deleteStreamLogs(streamKey) {
      const logs = logsByStream.get(streamKey);
      logsByStream.delete(streamKey);
      for (const log of logs?.values() ?? []) await log.close();
    },
    async listStreamKeys() {
      return [...logsByStream.keys()];
    },
    async close() {
      for (const logs of logsByStream.values()) for (const log of logs.values()) await log.close();
      logsByStream.clear();
      await metadata.close();
    },
  };
}
