import fs from 'node:fs';
import { join } from 'node:path';
import type { ShardLog } from '../shard-log.js';
import type { Storage } from '../storage.js';
import { FileIo, readFileIfExists, type FaultProbe } from './file-io.js';
import { FileMetadataStore } from './file-metadata-store.js';
import { FileShardLog, type ShardLogContext } from './file-shard-log.js';
import { GroupCommit, type FsyncMode } from './group-commit.js';
import type { StorageReporter } from './storage-event.js';
import { LOCK_FILE, lockDataDir } from './data-dir-lock.js';

export interface FileStorageOptions {
  /** Riffle's data directory; the store keeps its files under it (see DATA_LAYOUT). */
  readonly dataDir: string;
  /** `always`: an append resolves once fsync'd. `interval`: at once, synced every fsyncIntervalMs. */
  readonly fsync?: FsyncMode;
  readonly fsyncIntervalMs?: number;
  readonly segmentBytes?: number;
  readonly segmentMs?: number;
  readonly indexIntervalBytes?: number;
  readonly loadedSealedSegments?: number;
  /** Metadata journal size that triggers a snapshot. */
  readonly metadataCompactAfterBytes?: number;
  /** Epoch ms (age-based segment rolls). */
  readonly now?: () => number;
  readonly report?: StorageReporter;
  /** Test-only failure probes. */
  readonly faults?: FaultProbe;
}

export const FILE_STORAGE_DEFAULTS = {
  fsync: 'always' as FsyncMode,
  fsyncIntervalMs: 1000,
  segmentBytes: 64 * 1024 * 1024,
  segmentMs: 60 * 60 * 1000,
  indexIntervalBytes: 4096,
  loadedSealedSegments: 4,
};

/** What the file store keeps under the data directory. */
export const DATA_LAYOUT = {
  /** The format marker: a later format finds it and migrates, an older Riffle refuses to start. */
  versionFile: 'riffle-data.json',
  /** Held by the running Riffle (its pid); one process writes a data directory at a time. */
  lockFile: LOCK_FILE,
  metadataDir: 'metadata',
  streamsDir: 'streams',
  /** Local S3 buckets channels deliver into (FileObjectStore); used with the memory store too. */
  bucketsDir: 's3',
  /** The per-minute metrics' journal (MetricJournal), so that a day of CloudWatch data survives restarts. */
  metricsDir: 'metrics',
} as const;
export const DATA_FORMAT_VERSION = 1;

/** The data directory was written by a Riffle whose format this one cannot read. */
export class DataFormatError extends Error {
  readonly code = 'RIFFLE_ERR_DATA_FORMAT';
}

export interface FileStorage extends Storage {
  /** Where a shard's segment files are (tests and tools). */
  shardDirectory(streamKey: string, shardId: string): string;
}

/** The durable default store: a metadata journal and, per shard, a directory of log segments. */
export async function openFileStorage(options: FileStorageOptions): Promise<FileStorage> {
  const settings = { ...FILE_STORAGE_DEFAULTS, ...definedOnly(options) };
  const report: StorageReporter = options.report ?? (() => undefined);
  const io = new FileIo(options.faults);
  const { dataDir } = options;
  fs.mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  try {
    return await openLocked(options, settings, report, io, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

async function openLocked(
  options: FileStorageOptions,
  settings: typeof FILE_STORAGE_DEFAULTS,
  report: StorageReporter,
  io: FileIo,
  unlock: () => void,
): Promise<FileStorage> {
  const { dataDir } = options;
  await checkFormat(dataDir, io);
  const streamsDir = join(dataDir, DATA_LAYOUT.streamsDir);
  if (!fs.existsSync(streamsDir)) {
    fs.mkdirSync(streamsDir);
    await io.syncDirectory(dataDir);
  }
  const metadata = await FileMetadataStore.open(join(dataDir, DATA_LAYOUT.metadataDir), {
    io,
    report,
    ...(options.metadataCompactAfterBytes === undefined ? {} : { compactAfterBytes: options.metadataCompactAfterBytes }),
  });
  const groupCommit = new GroupCommit(settings.fsync, settings.fsyncIntervalMs);
  const context: ShardLogContext = {
    io,
    report,
    groupCommit,
    indexIntervalBytes: settings.indexIntervalBytes,
    segmentBytes: settings.segmentBytes,
    segmentMs: settings.segmentMs,
    now: options.now ?? Date.now,
    loadedSealedSegments: settings.loadedSealedSegments,
  };
  const logs = new Map<string, Map<string, Promise<FileShardLog>>>();
  const streamDir = (streamKey: string) => join(streamsDir, encodeURIComponent(streamKey));
  const shardDir = (streamKey: string, shardId: string) => join(streamDir(streamKey), shardId);

  async function openLog(streamKey: string, shardId: string): Promise<FileShardLog> {
    const dir = shardDir(streamKey, shardId);
    if (!fs.existsSync(dir)) return FileShardLog.unborn(dir, context, [streamDir(streamKey), streamsDir]);
    return FileShardLog.open(dir, context);
  }

  return {
    metadata,
    shardDirectory: shardDir,
    statistics: () => ({ syncRounds: groupCommit.rounds, syncedFiles: groupCommit.syncedFiles, syncSeconds: groupCommit.syncSeconds }),
    openShardLog(streamKey, shardId): Promise<ShardLog> {
      let byShard = logs.get(streamKey);
      if (!byShard) logs.set(streamKey, (byShard = new Map()));
      let log = byShard.get(shardId);
      if (!log) {
        const opening = openLog(streamKey, shardId);
        byShard.set(shardId, (log = opening));
        opening.catch(() => byShard.delete(shardId));
      }
      return log;
    },
    async deleteStreamLogs(streamKey) {
      const byShard = logs.get(streamKey);
      logs.delete(streamKey);
      for (const log of byShard?.values() ?? []) await log.then((open) => open.close(), () => undefined);
      await fs.promises.rm(streamDir(streamKey), { recursive: true, force: true });
      await io.syncDirectory(streamsDir);
    },
    async listStreamKeys() {
      return fs
        .readdirSync(streamsDir)
        .filter((name) => !name.startsWith('.'))
        .map((name) => decodeURIComponent(name));
    },
    async close() {
      try {
        for (const byShard of logs.values()) {
          for (const log of byShard.values()) await log.then((open) => open.close(), () => undefined);
        }
        logs.clear();
        await groupCommit.close();
        await metadata.close();
      } finally {
        unlock();
      }
    },
  };
}

async function checkFormat(dataDir: string, io: FileIo): Promise<void> {
  const path = join(dataDir, DATA_LAYOUT.versionFile);
  const text = readFileIfExists(path)?.toString('utf8');
  if (text === undefined) {
    await io.replaceFile(path, Buffer.from(`${JSON.stringify({ format: 'riffle-data', version: DATA_FORMAT_VERSION })}\n`));
    await io.syncDirectory(dataDir);
    return;
  }
  let version: unknown;
  try {
    version = (JSON.parse(text) as { version?: unknown }).version;
  } catch {
    version = undefined;
  }
  if (version !== DATA_FORMAT_VERSION) {
    throw new DataFormatError(
      `${path} says data format ${JSON.stringify(version)}; this Riffle reads format ${DATA_FORMAT_VERSION}. Use the Riffle that wrote it, or another --data-dir`,
    );
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
