import fs from 'node:fs';
import { join } from 'node:path';
import type { AppendOptions, ReadLimits, ShardLog } from '../shard-log.js';
import { ShardLogFencedError } from '../shard-log-fenced-error.js';
import type { RecordToAppend, StoredRecord } from '../stored-record.js';
import { StorageClosedError } from '../storage-closed-error.js';
import { StorageIoError } from './file-io.js';
import type { GroupCommit, Syncable } from './group-commit.js';
import { LogSegment, type ReadState, type SegmentContext } from './log-segment.js';
import { encodeFrames } from './record-frame.js';

export interface ShardLogContext extends SegmentContext {
  readonly groupCommit: GroupCommit;
  /** A segment is rolled before it would grow past this many bytes... */
  readonly segmentBytes: number;
  /** ...or once its first record is this old. */
  readonly segmentMs: number;
  /** Epoch ms, for age-based rolls. */
  readonly now: () => number;
  /** Sealed segments whose indexes stay in memory per log; the rest are loaded again when read. */
  readonly loadedSealedSegments: number;
}

/** Kafka's log-start-offset checkpoint: the first offset not trimmed, kept across restarts. */
const START_OFFSET_FILE = 'log-start-offset';
const SEGMENT_FILE = /^(\d{20})\.log$/;

interface Waiter {
  readonly end: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface SyncWork {
  readonly segments: readonly { readonly segment: LogSegment; readonly mark: ReturnType<LogSegment['mark']> }[];
  readonly directories: readonly string[];
  readonly end: number;
}

/**
 * A shard log on disk (Kafka's LocalLog): a directory of segments, the last one active. Appends write at once
 * and resolve when the store's group commit has synced them; only then are they visible. Reads find their
 * segment and position through the indexes and never take a lock a writer waits on.
 */
export class FileShardLog implements ShardLog, Syncable {
  #segments: LogSegment[];
  #startOffset: number;
  #visibleEnd: number;
  readonly #waiters: Waiter[] = [];
  readonly #dirtySegments = new Set<LogSegment>();
  readonly #dirtyDirectories = new Set<string>();
  readonly #loadedSealed: LogSegment[] = [];
  #readsInFlight = 0;
  #readsDrained: (() => void) | undefined;
  #checkpointWrite: Promise<void> = Promise.resolve();
  #closed = false;
  #fencedBelow = 0;

  private constructor(
    readonly dir: string,
    private readonly context: ShardLogContext,
    segments: LogSegment[],
    startOffset: number,
  ) {
    this.#segments = segments;
    const active = segments[segments.length - 1];
    this.#visibleEnd = active?.nextOffset ?? startOffset;
    this.#startOffset = active ? Math.min(Math.max(startOffset, segments[0]!.baseOffset), this.#visibleEnd) : startOffset;
  }

  /**
   * The log of a shard that has no directory yet: nothing is created until the first append, so that reading a
   * shard nobody wrote to (or sweeping it) never writes, and works on a full disk. `parents` are the directories
   * whose entries the creation adds (the stream's, the streams folder), synced before that append is answered.
   */
  static unborn(dir: string, context: ShardLogContext, parents: readonly string[], startOffset = 0): FileShardLog {
    const log = new FileShardLog(dir, context, [], startOffset);
    log.#parents = parents;
    return log;
  }

  #parents: readonly string[] = [];

  /** Creates the directory and first segment of an unborn log, at its start offset. */
  #materialize(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    this.#segments = [LogSegment.create(this.dir, this.#startOffset, this.context)];
    for (const dir of [this.dir, ...this.#parents]) this.#dirtyDirectories.add(dir);
  }

  /** Opens the log in `dir` (which must exist), recovering its active segment. */
  static async open(dir: string, context: ShardLogContext): Promise<FileShardLog> {
    const bases = fs
      .readdirSync(dir)
      .map((name) => SEGMENT_FILE.exec(name)?.[1])
      .filter((base): base is string => base !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const checkpoint = readStartOffset(join(dir, START_OFFSET_FILE), context);
    // No segment left (a crash between creating the directory and its first file): as if never written.
    if (bases.length === 0) return FileShardLog.unborn(dir, context, [], checkpoint);
    const sealed = bases.slice(0, -1).map((base) => LogSegment.sealed(dir, base, context));
    const active = await LogSegment.openActive(dir, bases[bases.length - 1]!, context);
    return new FileShardLog(dir, context, [...sealed, active], checkpoint);
  }

  get startOffset(): number {
    return this.#startOffset;
  }

  get endOffset(): number {
    return this.#visibleEnd;
  }

  get #active(): LogSegment {
    return this.#segments[this.#segments.length - 1]!;
  }

  // ---- appends ----

  append(records: readonly RecordToAppend[], options?: AppendOptions): Promise<{ firstOffset: number }> {
    if (this.#closed) return Promise.reject(new StorageClosedError('shard log'));
    if (options?.revision !== undefined && options.revision < this.#fencedBelow) return Promise.reject(new ShardLogFencedError(this.#fencedBelow));
    if (records.length === 0) return Promise.resolve({ firstOffset: this.#visibleEnd });
    try {
      if (this.#segments.length === 0) this.#materialize();
      let active = this.#active;
      // A roll starts the next segment at this same offset, so the frames are encoded once, before deciding.
      const firstOffset = active.nextOffset;
      const frames = encodeFrames(firstOffset, records);
      if (this.#shouldRoll(active, frames.bytes.byteLength)) active = this.#roll();
      active.append(firstOffset, records, frames);
      this.#dirtySegments.add(active);
      const end = firstOffset + records.length;
      if (this.context.groupCommit.mode === 'interval') {
        active.visibleSize = active.size;
        active.visibleNextOffset = end;
        this.#visibleEnd = end;
        this.context.groupCommit.markDirty(this);
        return Promise.resolve({ firstOffset });
      }
      return new Promise((resolve, reject) => {
        this.#waiters.push({ end, resolve: () => resolve({ firstOffset }), reject });
        this.context.groupCommit.markDirty(this);
      });
    } catch (error) {
      this.#reportWriteFailure(error);
      return Promise.reject(error);
    }
  }

  #shouldRoll(active: LogSegment, batchBytes: number): boolean {
    if (active.isEmpty) return false;
    if (active.size + batchBytes > this.context.segmentBytes) return true;
    return active.firstArrival !== undefined && this.context.now() - active.firstArrival >= this.context.segmentMs;
  }

  /** Starts a new active segment after the current one, which is sealed. */
  #roll(): LogSegment {
    const old = this.#active;
    const next = LogSegment.create(this.dir, old.nextOffset, this.context);
    old.seal();
    this.#segments = [...this.#segments, next];
    // The new file's directory entry must be durable before anything written into it is acknowledged.
    this.#dirtyDirectories.add(this.dir);
    this.#dirtySegments.add(next);
    if (old.size === old.durableMark.size) old.closeWhenIdle();
    return next;
  }

  beginSync(inline: boolean): { work: SyncWork; done: Promise<void> } {
    const work: SyncWork = {
      segments: [...this.#dirtySegments].map((segment) => ({ segment, mark: segment.mark() })),
      directories: [...this.#dirtyDirectories],
      end: this.#active.nextOffset,
    };
    this.#dirtySegments.clear();
    this.#dirtyDirectories.clear();
    const { io } = this.context;
    if (inline && work.directories.length === 0 && work.segments.length <= 2 && work.segments.every(({ segment }) => segment.fd !== undefined)) {
      try {
        for (const { segment, mark } of work.segments) {
          if (mark.size !== segment.durableMark.size) io.datasyncSync(segment.fd!, segment.logPath);
        }
        return { work, done: Promise.resolve() };
      } catch (error) {
        return { work, done: Promise.reject(error) };
      }
    }
    const done = Promise.all([
      ...work.segments.map(({ segment, mark }) =>
        segment.fd === undefined || mark.size === segment.durableMark.size ? undefined : io.datasync(segment.fd, segment.logPath),
      ),
      ...work.directories.map((dir) => io.syncDirectory(dir)),
    ]).then(() => undefined);
    return { work, done };
  }

  finishSync(untypedWork: unknown, error: unknown): void {
    const work = untypedWork as SyncWork;
    if (error === undefined) {
      for (const { segment, mark } of work.segments) {
        segment.durableMark = mark;
        segment.visibleSize = Math.max(segment.visibleSize, mark.size);
        segment.visibleNextOffset = Math.max(segment.visibleNextOffset, mark.nextOffset);
        if (segment !== this.#active && segment.size === mark.size) segment.closeWhenIdle();
      }
      this.#visibleEnd = Math.max(this.#visibleEnd, work.end);
      while (this.#waiters.length > 0 && this.#waiters[0]!.end <= this.#visibleEnd) this.#waiters.shift()!.resolve();
      return;
    }
    this.context.report({
      level: 'error',
      event: 'sync-failed',
      file: (error as StorageIoError).path ?? this.dir,
      error: String((error as Error).message ?? error),
      action: this.context.groupCommit.mode === 'always' ? 'unsynced writes failed and cut back' : 'retried at the next interval',
    });
    if (this.context.groupCommit.mode === 'interval') {
      for (const { segment } of work.segments) this.#dirtySegments.add(segment);
      for (const dir of work.directories) this.#dirtyDirectories.add(dir);
      // Marked dirty again once this round is over, so that the next interval (not this round) retries.
      queueMicrotask(() => this.context.groupCommit.markDirty(this));
      return;
    }
    // Nothing that was not synced is kept: every waiting append fails, and the files go back to what is durable.
    for (const dir of work.directories) this.#dirtyDirectories.add(dir);
    for (const segment of this.#segments) {
      if (segment.size === segment.durableMark.size) continue;
      try {
        segment.rollback(segment.durableMark);
      } catch (cutError) {
        this.context.report({ level: 'error', event: 'truncate-failed', file: segment.logPath, error: String(cutError) });
      }
      this.#dirtySegments.delete(segment);
    }
    this.#dropEmptiedSegments();
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }

  /**
   * Segments rolled for writes that were all cut back hold nothing and start past the log's end now, which
   * would leave a gap in the offsets: they go, and the segment before them takes appends again.
   */
  #dropEmptiedSegments(): void {
    const segments = this.#segments;
    let last = segments.length - 1;
    while (last > 0 && segments[last]!.isEmpty && segments[last]!.baseOffset !== segments[last - 1]!.nextOffset) last--;
    if (last === segments.length - 1) return;
    try {
      segments[last]!.reactivate();
      for (const segment of segments.slice(last + 1)) {
        this.#forgetLoaded(segment);
        this.#dirtySegments.delete(segment);
        segment.removeNow();
      }
      this.#segments = segments.slice(0, last + 1);
      this.#dirtyDirectories.add(this.dir);
    } catch (cutError) {
      this.context.report({ level: 'error', event: 'truncate-failed', file: segments[last]!.logPath, error: String(cutError) });
    }
  }

  #reportWriteFailure(error: unknown): void {
    this.context.report({
      level: 'error',
      event: 'write-failed',
      file: error instanceof StorageIoError ? error.path : this.dir,
      error: String((error as Error).message ?? error),
      action: 'the append failed; nothing of it was kept',
    });
  }

  // ---- reads ----

  async read(fromOffset: number, limits: ReadLimits): Promise<StoredRecord[]> {
    this.#assertOpen();
    const from = Math.max(fromOffset, this.#startOffset);
    const end = this.#visibleEnd;
    if (from >= end || limits.maxRecords < 1) return [];
    const state: ReadState = { out: [], bytes: 0, maxRecords: limits.maxRecords, maxBytes: limits.maxBytes, endOffset: end };
    await this.#reading(async () => {
      const segments = this.#segments;
      let next = from;
      for (let i = segmentIndexOf(segments, from); i < segments.length; i++) {
        const segment = segments[i]!;
        this.#touch(segment);
        if (!(await segment.read(next, state))) break;
        next = Math.max(next, segments[i + 1]?.baseOffset ?? next);
      }
    });
    return state.out;
  }

  async offsetAtTime(timeMs: number): Promise<number> {
    this.#assertOpen();
    return this.#reading(async () => {
      const segments = this.#segments;
      const end = this.#visibleEnd;
      for (let i = segmentIndexOf(segments, this.#startOffset); i < segments.length; i++) {
        const segment = segments[i]!;
        if (segment.baseOffset >= end) break;
        if (!segment.summarized) await segment.ensureLoaded();
        if (segment.maxTime < timeMs) continue;
        this.#touch(segment);
        const found = await segment.offsetAtTime(timeMs);
        return Math.min(Math.max(found, this.#startOffset), end);
      }
      return end;
    });
  }

  async #reading<T>(body: () => Promise<T>): Promise<T> {
    this.#readsInFlight++;
    try {
      return await body();
    } finally {
      this.#readsInFlight--;
      if (this.#readsInFlight === 0) this.#readsDrained?.();
    }
  }

  /** Keeps the indexes of the most recently read sealed segments loaded, and no more. */
  #touch(segment: LogSegment): void {
    if (segment === this.#active) return;
    this.#forgetLoaded(segment);
    this.#loadedSealed.push(segment);
    while (this.#loadedSealed.length > this.context.loadedSealedSegments) this.#loadedSealed.shift()!.unload();
  }

  #forgetLoaded(segment: LogSegment): void {
    const at = this.#loadedSealed.indexOf(segment);
    if (at >= 0) this.#loadedSealed.splice(at, 1);
  }

  // ---- retention ----

  async trimBefore(offset: number): Promise<void> {
    this.#assertOpen();
    const target = Math.min(offset, this.#visibleEnd);
    if (target <= this.#startOffset) return;
    this.#startOffset = target;
    const checkpoint = (this.#checkpointWrite = this.#checkpointWrite
      .catch(() => undefined)
      .then(() => this.context.io.replaceFile(join(this.dir, START_OFFSET_FILE), Buffer.from(`${this.#startOffset}\n`))));
    await checkpoint;
    await this.#deleteTrimmedSegments();
  }

  /** Whole segments before the start offset go; a fully trimmed active segment is rolled first so it can too. */
  async #deleteTrimmedSegments(): Promise<void> {
    const active = this.#active;
    const activeSettled = active.size === active.durableMark.size && active.size === active.visibleSize;
    if (!active.isEmpty && active.nextOffset <= this.#startOffset && activeSettled && !this.#closed) {
      try {
        this.#roll();
        this.context.groupCommit.markDirty(this);
      } catch (error) {
        this.#reportWriteFailure(error);
      }
    }
    const doomed: LogSegment[] = [];
    while (this.#segments.length > 1 && this.#segments[1]!.baseOffset <= this.#startOffset) {
      doomed.push(this.#segments[0]!);
      this.#segments = this.#segments.slice(1);
    }
    for (const segment of doomed) {
      this.#forgetLoaded(segment);
      await segment.remove();
    }
    if (doomed.length > 0) await this.context.io.syncDirectory(this.dir);
  }

  /** One process writes a file store, so the fence lives in memory; appends before it are synced first. */
  async fence(revision: number): Promise<number> {
    this.#assertOpen();
    this.#fencedBelow = Math.max(this.#fencedBelow, revision);
    await this.sync();
    return this.endOffset;
  }

  async sync(): Promise<void> {
    this.#assertOpen();
    if (this.#dirtySegments.size === 0) return;
    await this.context.groupCommit.flush();
    // A round the disk refused leaves the segments dirty (interval mode retries them later).
    if (this.#dirtySegments.size > 0) throw new StorageIoError('sync', this.dir, new Error('a sync round failed'));
  }

  // ---- lifecycle ----

  /** Waits for appends and reads in flight, then closes the files. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#waiters.length > 0 || this.#dirtySegments.size > 0) await this.context.groupCommit.flush();
    if (this.#readsInFlight > 0) await new Promise<void>((resolve) => (this.#readsDrained = resolve));
    await this.#checkpointWrite.catch(() => undefined);
    for (const segment of this.#segments) segment.closeWhenIdle();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageClosedError('shard log');
  }
}

/** The last segment whose base is <= offset (0 when offset is before them all). */
function segmentIndexOf(segments: readonly LogSegment[], offset: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = 0;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (segments[mid]!.baseOffset <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

function readStartOffset(path: string, context: SegmentContext): number {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch {
    return 0;
  }
  const value = Number(text.trim());
  if (Number.isSafeInteger(value) && value >= 0) return value;
  context.report({ level: 'warn', event: 'checkpoint-unreadable', file: path, action: 'the log starts at its first segment' });
  return 0;
}
