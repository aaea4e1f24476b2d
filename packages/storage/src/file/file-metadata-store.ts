import fs from 'node:fs';
import { join } from 'node:path';
import { failedCondition, type MetadataMutation, type MetadataSnapshot, type MetadataStore } from '../metadata-store.js';
import { MetadataConflictError } from '../metadata-conflict-error.js';
import type { ChannelRecord } from '../channel-record.js';
import type { DataKeyRecord } from '../data-key-record.js';
import type { StreamRecord } from '../metadata-record.js';
import { StorageClosedError } from '../storage-closed-error.js';
import { crc32c } from './crc32c.js';
import { readFileIfExists, type FileIo } from './file-io.js';
import { fromMetadataJson, toMetadataJson } from './metadata-json.js';
import type { StorageReporter } from './storage-event.js';

export interface MetadataJournalOptions {
  readonly io: FileIo;
  readonly report: StorageReporter;
  /** A journal past this size is folded into a new snapshot. */
  readonly compactAfterBytes?: number;
}

const FRAME_HEADER = 8;
const SNAPSHOT_FILE = /^snapshot-(\d{20})\.json$/;
const JOURNAL_FILE = /^journal-(\d{20})\.log$/;
const stem = (generation: number) => String(generation).padStart(20, '0');
const snapshotName = (generation: number) => `snapshot-${stem(generation)}.json`;
const journalName = (generation: number) => `journal-${stem(generation)}.log`;

interface State {
  streams: Map<string, StreamRecord>;
  channels: Map<string, ChannelRecord>;
  dataKeys: Map<number, DataKeyRecord>;
  settings: Map<string, string>;
}

/** [u32 LE length][u32 LE CRC-32C of the payload][payload]: one commit in the journal, or a whole snapshot. */
function frame(payload: Buffer): Buffer {
  const bytes = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  bytes.writeUInt32LE(payload.length, 0);
  bytes.writeUInt32LE(crc32c(payload), 4);
  payload.copy(bytes, FRAME_HEADER);
  return bytes;
}

/** The payload of an intact frame at `at`, or undefined. */
function unframe(bytes: Buffer, at: number): Buffer | undefined {
  if (bytes.length - at < FRAME_HEADER) return undefined;
  const length = bytes.readUInt32LE(at);
  // Empty frames are never written: zeroed bytes must not read as commits.
  if (length === 0 || bytes.length - at - FRAME_HEADER < length) return undefined;
  const payload = bytes.subarray(at + FRAME_HEADER, at + FRAME_HEADER + length);
  return crc32c(payload) === bytes.readUInt32LE(at + 4) ? payload : undefined;
}

/**
 * The metadata journal: a snapshot plus a journal of commits after it, each commit one CRC-checked frame
 * appended and fsync'd before commit() resolves. Compaction writes the next generation's snapshot with a
 * rename, so a crash at any point leaves one complete generation to load: no torn state between two files.
 */
export class FileMetadataStore implements MetadataStore {
  #state: State;
  #generation: number;
  #journalFd: number;
  #journalSize: number;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #compactAfterBytes: number;

  private constructor(
    readonly dir: string,
    private readonly options: MetadataJournalOptions,
    state: State,
    generation: number,
    journalFd: number,
    journalSize: number,
  ) {
    this.#state = state;
    this.#generation = generation;
    this.#journalFd = journalFd;
    this.#journalSize = journalSize;
    this.#compactAfterBytes = options.compactAfterBytes ?? 1024 * 1024;
  }

  static async open(dir: string, options: MetadataJournalOptions): Promise<FileMetadataStore> {
    fs.mkdirSync(dir, { recursive: true });
    const names = fs.readdirSync(dir);
    const generations = names
      .map((name) => SNAPSHOT_FILE.exec(name)?.[1])
      .filter((digits): digits is string => digits !== undefined)
      .map(Number)
      .sort((a, b) => b - a);
    const generation = generations[0] ?? 0;
    const state: State = { streams: new Map(), channels: new Map(), dataKeys: new Map(), settings: new Map() };
    if (generations.length > 0) {
      const path = join(dir, snapshotName(generation));
      const payload = unframe(fs.readFileSync(path), 0);
      if (!payload) throw new MetadataCorruptError(path, 0);
      const snapshot = fromMetadataJson<{
        streams: StreamRecord[];
        channels?: ChannelRecord[];
        dataKeys?: DataKeyRecord[];
        settings: Record<string, string>;
      }>(
        payload.toString('utf8'),
      );
      for (const stream of snapshot.streams) state.streams.set(stream.name, stream);
      // Snapshots written before channels existed have none.
      for (const channel of snapshot.channels ?? []) state.channels.set(channel.id, channel);
      // And those written before encryption at rest, no data keys.
      for (const dataKey of snapshot.dataKeys ?? []) state.dataKeys.set(dataKey.id, dataKey);
      for (const [key, value] of Object.entries(snapshot.settings)) state.settings.set(key, value);
    }
    const journalPath = join(dir, journalName(generation));
    const journalSize = replayJournal(journalPath, state, options);
    const fd = fs.openSync(journalPath, fs.existsSync(journalPath) ? 'r+' : 'w+');
    // Older generations are leftovers of a compaction a crash interrupted.
    for (const name of names) {
      const digits = SNAPSHOT_FILE.exec(name)?.[1] ?? JOURNAL_FILE.exec(name)?.[1];
      if ((digits !== undefined && Number(digits) < generation) || name.endsWith('.tmp')) fs.rmSync(join(dir, name), { force: true });
    }
    await options.io.syncDirectory(dir);
    return new FileMetadataStore(dir, options, state, generation, fd, journalSize);
  }

  async load(): Promise<MetadataSnapshot> {
    this.#assertOpen();
    return structuredClone(snapshotOf(this.#state));
  }

  commit(mutations: readonly MetadataMutation[]): Promise<void> {
    this.#assertOpen();
    // Encoded now, so later changes to the caller's objects are not seen.
    const payload = Buffer.from(toMetadataJson(mutations), 'utf8');
    const conditions = structuredClone(mutations.filter((mutation) => 'replaces' in mutation && mutation.replaces !== undefined));
    const run = this.#queue.then(() => {
      // Checked in turn, against the state every earlier commit left.
      const state = this.#state;
      const conflict = failedCondition(conditions, {
        stream: (name) => state.streams.get(name),
        setting: (key) => state.settings.get(key),
        hasDataKey: (id) => state.dataKeys.has(id),
      });
      if (conflict !== undefined) throw new MetadataConflictError(conflict);
      return this.#append(payload);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #append(payload: Buffer): Promise<void> {
    const { io } = this.options;
    const path = join(this.dir, journalName(this.#generation));
    const bytes = frame(payload);
    try {
      io.writeAllSync(this.#journalFd, path, bytes, this.#journalSize);
      await io.datasync(this.#journalFd, path);
    } catch (error) {
      this.options.report({ level: 'error', event: 'metadata-write-failed', file: path, error: String(error), action: 'the change was not made' });
      try {
        io.truncateSync(this.#journalFd, path, this.#journalSize);
      } catch {
        // Bytes left past the journal's end are a torn tail to the next start, which drops them.
      }
      throw error;
    }
    this.#journalSize += bytes.length;
    applyAll(this.#state, fromMetadataJson<MetadataMutation[]>(payload.toString('utf8')));
    if (this.#journalSize > this.#compactAfterBytes) {
      await this.#compact().catch((error: unknown) => {
        this.options.report({ level: 'warn', event: 'metadata-compaction-failed', file: this.dir, error: String(error) });
      });
    }
  }

  /** Folds the journal into the next generation's snapshot. */
  async #compact(): Promise<void> {
    const { io } = this.options;
    const next = this.#generation + 1;
    const snapshot = snapshotOf(this.#state);
    await io.replaceFile(join(this.dir, snapshotName(next)), frame(Buffer.from(toMetadataJson(snapshot), 'utf8')));
    const fd = fs.openSync(join(this.dir, journalName(next)), 'w+');
    await io.syncDirectory(this.dir);
    fs.closeSync(this.#journalFd);
    const previous = this.#generation;
    this.#generation = next;
    this.#journalFd = fd;
    this.#journalSize = 0;
    fs.rmSync(join(this.dir, snapshotName(previous)), { force: true });
    fs.rmSync(join(this.dir, journalName(previous)), { force: true });
    await io.syncDirectory(this.dir);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    fs.closeSync(this.#journalFd);
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageClosedError('metadata store');
  }
}

/** A snapshot that cannot be read: Riffle will not start on metadata it cannot trust. */
export class MetadataCorruptError extends Error {
  readonly code = 'RIFFLE_ERR_METADATA_CORRUPT';
  constructor(
    readonly path: string,
    readonly position: number,
  ) {
    super(`metadata file ${path} is damaged at byte ${position}; restore it from a backup`);
  }
}

/**
 * Applies every intact commit of a journal to state and returns the size of its good part. A torn last commit
 * is cut off; a damaged commit with intact ones after it is reported and skipped (each mutation replaces a whole
 * stream or channel record, so the later ones still describe theirs completely).
 */
function replayJournal(path: string, state: State, options: MetadataJournalOptions): number {
  const bytes = readFileIfExists(path);
  if (bytes === undefined) return 0;
  let at = 0;
  let good = 0;
  while (at < bytes.length) {
    const mutations = parseCommit(bytes, at);
    if (mutations) {
      applyAll(state, mutations.mutations);
      at += mutations.length;
      good = at;
      continue;
    }
    let resume = at + 1;
    while (resume < bytes.length && !parseCommit(bytes, resume)) resume++;
    if (resume >= bytes.length) {
      options.report({ level: 'warn', event: 'torn-tail-truncated', file: path, position: at, bytes: bytes.length - at });
      fs.truncateSync(path, at);
      return at;
    }
    options.report({ level: 'error', event: 'metadata-damaged', file: path, position: at, resumesAt: resume, action: 'commit skipped' });
    at = resume;
  }
  return Math.max(good, at);
}

function parseCommit(bytes: Buffer, at: number): { mutations: MetadataMutation[]; length: number } | undefined {
  const payload = unframe(bytes, at);
  if (!payload) return undefined;
  try {
    const mutations = fromMetadataJson<MetadataMutation[]>(payload.toString('utf8'));
    return Array.isArray(mutations) ? { mutations, length: FRAME_HEADER + payload.length } : undefined;
  } catch {
    return undefined;
  }
}

function snapshotOf(state: State): MetadataSnapshot {
  return {
    streams: [...state.streams.values()],
    channels: [...state.channels.values()],
    dataKeys: [...state.dataKeys.values()].sort((a, b) => a.id - b.id),
    settings: Object.fromEntries(state.settings),
  };
}

function applyAll(state: State, mutations: readonly MetadataMutation[]): void {
  for (const mutation of mutations) {
    switch (mutation.type) {
      case 'putStream':
        state.streams.set(mutation.stream.name, mutation.stream);
        break;
      case 'deleteStream':
        state.streams.delete(mutation.name);
        break;
      case 'putChannel':
        state.channels.set(mutation.channel.id, mutation.channel);
        break;
      case 'deleteChannel':
        state.channels.delete(mutation.id);
        break;
      case 'putDataKey':
        state.dataKeys.set(mutation.dataKey.id, mutation.dataKey);
        break;
      case 'putSetting':
        state.settings.set(mutation.key, mutation.value);
        break;
      case 'deleteSetting':
        state.settings.delete(mutation.key);
        break;
    }
  }
}
