import fs from 'node:fs';
import { join } from 'node:path';
import type { RecordToAppend, StoredRecord } from '../stored-record.js';
import { readFileIfExists, type FileIo } from './file-io.js';
import { FrameCursor } from './frame-cursor.js';
import { OFFSET_INDEX_ENTRY_BYTES, OffsetIndex } from './offset-index.js';
import type { EncodedFrames } from './record-frame.js';
import type { StorageReporter } from './storage-event.js';
import { TIME_INDEX_ENTRY_BYTES, TimeIndex } from './time-index.js';

export interface SegmentContext {
  readonly io: FileIo;
  /** An offset-index entry (and, when the maximum arrival time grew, a time-index entry) every this many bytes. */
  readonly indexIntervalBytes: number;
  readonly report: StorageReporter;
}

/** Where a segment stood at a moment; restored when writes after it fail. */
interface SegmentMark {
  readonly size: number;
  readonly nextOffset: number;
  readonly indexLength: number;
  readonly timeIndexLength: number;
  readonly maxTime: number;
  readonly bytesSinceIndex: number;
  readonly firstArrival: number | undefined;
}

/** The read budget shared by the segments one read crosses. */
export interface ReadState {
  readonly out: StoredRecord[];
  bytes: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
  /** Records at or past this offset are not visible yet. */
  readonly endOffset: number;
}

const RECOVERY_CHUNK_BYTES = 1024 * 1024;
/** Index entries written to the index files at a time (64 entries: 256 KiB of log at the default interval). */
const INDEX_ENTRIES_PER_WRITE = 64;
const READ_CHUNK_MIN_BYTES = 64 * 1024;
const READ_CHUNK_MAX_BYTES = 4 * 1024 * 1024;

/** `<20-digit base offset>` names a segment's files, so that they sort in log order. */
export function segmentFileStem(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

/**
 * One segment of a shard log (Kafka's LogSegment): `<base>.log` holding frames, a sparse `<base>.index` by
 * offset and a `<base>.timeindex` by arrival time. The last segment of a log is active (appended to, its files
 * open); the others are sealed and load their indexes only when a read needs them.
 */
export class LogSegment {
  readonly logPath: string;
  readonly indexPath: string;
  readonly timeIndexPath: string;

  index = new OffsetIndex();
  timeIndex = new TimeIndex();
  /** Bytes of whole frames in the file (written, not necessarily durable). */
  size = 0;
  /** The offset after the last record written; baseOffset when empty. */
  nextOffset: number;
  /** Greatest arrival time written; -Infinity when empty. */
  maxTime = -Infinity;
  /** Arrival time of the first record (age-based rolls). */
  firstArrival: number | undefined;
  /**
   * Frames before this position were written by this process or have passed their CRC check on a read: they are
   * not checked again (the page cache holds what was written or checked). Damage is found on the first read.
   */
  verifiedSize = 0;
  /** The part readers may see: bytes and offsets, moved by the log once writes are durable. */
  visibleSize = 0;
  visibleNextOffset: number;

  #loaded: boolean;
  #fd: number | undefined;
  #indexFd: number | undefined;
  #timeIndexFd: number | undefined;
  #fdUsers = 0;
  #closeWhenIdle = false;
  #bytesSinceIndex = 0;
  #indexFlushed = 0;
  #timeIndexFlushed = 0;
  #loading: Promise<void> | undefined;
  #summaryKnown = false;
  readonly #reportedDamage = new Set<number>();

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private readonly context: SegmentContext,
    loaded: boolean,
  ) {
    const stem = join(dir, segmentFileStem(baseOffset));
    this.logPath = `${stem}.log`;
    this.indexPath = `${stem}.index`;
    this.timeIndexPath = `${stem}.timeindex`;
    this.nextOffset = baseOffset;
    this.visibleNextOffset = baseOffset;
    this.#loaded = loaded;
    this.durableMark = this.mark();
  }

  /** A new, empty active segment; its files are created (replacing any empty leftovers). */
  static create(dir: string, baseOffset: number, context: SegmentContext): LogSegment {
    const segment = new LogSegment(dir, baseOffset, context, true);
    segment.#openForAppend(true);
    return segment;
  }

  /** A sealed segment already on disk; nothing is read until it is used. */
  static sealed(dir: string, baseOffset: number, context: SegmentContext): LogSegment {
    return new LogSegment(dir, baseOffset, context, false);
  }

  /** The last segment of a log on disk, recovered (a torn tail truncated) and opened for appends. */
  static async openActive(dir: string, baseOffset: number, context: SegmentContext): Promise<LogSegment> {
    const segment = new LogSegment(dir, baseOffset, context, false);
    segment.#openForAppend(false);
    await segment.#recover(segment.#fd!, true);
    segment.#loaded = true;
    // The index files are rewritten from what recovery found, which the log now trusts. A failure (a full disk)
    // costs only a longer scan at the next start: the log is still served.
    const { io } = context;
    try {
      io.truncateSync(segment.#indexFd!, segment.indexPath, 0);
      io.truncateSync(segment.#timeIndexFd!, segment.timeIndexPath, 0);
      segment.#indexFlushed = 0;
      segment.#timeIndexFlushed = 0;
      segment.#flushIndexes();
    } catch (error) {
      context.report({ level: 'warn', event: 'index-write-failed', file: segment.indexPath, error: String(error) });
    }
    // Written before a crash but perhaps never synced: made durable before any reader is shown it.
    try {
      await io.datasync(segment.#fd!, segment.logPath);
    } catch (error) {
      context.report({ level: 'error', event: 'sync-failed', file: segment.logPath, error: String(error), action: 'served as found' });
    }
    segment.visibleSize = segment.size;
    segment.visibleNextOffset = segment.nextOffset;
    segment.durableMark = segment.mark();
    return segment;
  }

  get isEmpty(): boolean {
    return this.nextOffset === this.baseOffset;
  }

  /** The open file descriptor of an active (or just sealed, not yet synced) segment. */
  get fd(): number | undefined {
    return this.#fd;
  }

  #openForAppend(fresh: boolean): void {
    const flags = (path: string) => (fresh || !fs.existsSync(path) ? 'w+' : 'r+');
    try {
      this.#fd = fs.openSync(this.logPath, flags(this.logPath));
      this.#indexFd = fs.openSync(this.indexPath, flags(this.indexPath));
      this.#timeIndexFd = fs.openSync(this.timeIndexPath, flags(this.timeIndexPath));
    } catch (error) {
      this.#closeFds();
      throw error;
    }
  }

  // ---- appends (active segment) ----

  mark(): SegmentMark {
    return {
      size: this.size,
      nextOffset: this.nextOffset,
      indexLength: this.index.length,
      timeIndexLength: this.timeIndex.length,
      maxTime: this.maxTime,
      bytesSinceIndex: this.#bytesSinceIndex,
      firstArrival: this.firstArrival,
    };
  }

  /** Where the segment stood when its data was last known durable. */
  durableMark!: SegmentMark;

  /**
   * Writes a batch at the end of the file (to the page cache; the log syncs it). All or nothing: when a write
   * fails, the file and the indexes are cut back to where they were and the error is thrown.
   */
  append(firstOffset: number, records: readonly RecordToAppend[], frames: EncodedFrames): void {
    const before = this.mark();
    const { bytes, ends } = frames;
    try {
      this.context.io.writeAllSync(this.#fd!, this.logPath, bytes, this.size);
      let start = 0;
      records.forEach((record, i) => {
        const offset = firstOffset + i;
        if (this.#bytesSinceIndex >= this.context.indexIntervalBytes) {
          this.index.add(offset - this.baseOffset, this.size + start);
          this.timeIndex.add(Math.max(this.maxTime, record.arrivalTime), offset - this.baseOffset);
          this.#bytesSinceIndex = 0;
        }
        if (record.arrivalTime > this.maxTime) this.maxTime = record.arrivalTime;
        this.#bytesSinceIndex += ends[i]! - start;
        start = ends[i]!;
      });
      this.firstArrival ??= records[0]?.arrivalTime;
      if (this.verifiedSize === this.size) this.verifiedSize += bytes.byteLength;
      this.size += bytes.byteLength;
      this.nextOffset = firstOffset + records.length;
      // Index entries go to their files in batches: two more writes per append cost 6% of PutRecords' CPU, and
      // recovery scans past the last entry on disk anyway, now at most a batch of entries further.
      if (this.index.length - this.#indexFlushed >= INDEX_ENTRIES_PER_WRITE) this.#flushIndexes();
    } catch (error) {
      this.rollback(before);
      throw error;
    }
  }

  /** Cuts the segment back to a mark (a failed write or sync); a failed cut is retried by the next one. */
  rollback(mark: SegmentMark): void {
    const { io } = this.context;
    this.size = mark.size;
    this.verifiedSize = Math.min(this.verifiedSize, mark.size);
    this.nextOffset = mark.nextOffset;
    this.maxTime = mark.maxTime;
    this.#bytesSinceIndex = mark.bytesSinceIndex;
    this.firstArrival = mark.firstArrival;
    this.index.truncate(mark.indexLength);
    this.timeIndex.truncate(mark.timeIndexLength);
    this.#indexFlushed = Math.min(this.#indexFlushed, this.index.length);
    this.#timeIndexFlushed = Math.min(this.#timeIndexFlushed, this.timeIndex.length);
    if (this.visibleSize > this.size) {
      this.visibleSize = this.size;
      this.visibleNextOffset = this.nextOffset;
    }
    // A cut that fails leaves bytes past `size`: the next write overwrites them and recovery drops any rest.
    if (this.#fd !== undefined) io.truncateSync(this.#fd, this.logPath, mark.size);
    if (this.#indexFd !== undefined) io.truncateSync(this.#indexFd, this.indexPath, this.#indexFlushed * OFFSET_INDEX_ENTRY_BYTES);
    if (this.#timeIndexFd !== undefined) {
      io.truncateSync(this.#timeIndexFd, this.timeIndexPath, this.#timeIndexFlushed * TIME_INDEX_ENTRY_BYTES);
    }
  }

  #flushIndexes(): void {
    const { io } = this.context;
    if (this.index.length > this.#indexFlushed) {
      io.writeAllSync(this.#indexFd!, this.indexPath, this.index.encode(this.#indexFlushed), this.#indexFlushed * OFFSET_INDEX_ENTRY_BYTES);
      this.#indexFlushed = this.index.length;
    }
    if (this.timeIndex.length > this.#timeIndexFlushed) {
      io.writeAllSync(
        this.#timeIndexFd!,
        this.timeIndexPath,
        this.timeIndex.encode(this.#timeIndexFlushed),
        this.#timeIndexFlushed * TIME_INDEX_ENTRY_BYTES,
      );
      this.#timeIndexFlushed = this.timeIndex.length;
    }
  }

  /**
   * No more appends: the time index gets its final entry and the index files are synced and closed. The log
   * file stays open until the log has synced it (closeWhenSynced).
   */
  seal(): void {
    if (!this.isEmpty) this.timeIndex.add(this.maxTime, this.nextOffset - 1 - this.baseOffset);
    try {
      this.#flushIndexes();
    } catch (error) {
      // Indexes are checked against the log and rebuilt when wrong; a failed index write costs a scan later.
      this.context.report({ level: 'warn', event: 'index-write-failed', file: this.timeIndexPath, error: String(error) });
    }
    const indexFds: [number | undefined, string][] = [
      [this.#indexFd, this.indexPath],
      [this.#timeIndexFd, this.timeIndexPath],
    ];
    this.#indexFd = undefined;
    this.#timeIndexFd = undefined;
    for (const [fd, path] of indexFds) {
      if (fd === undefined) continue;
      this.context.io.datasync(fd, path).then(
        () => fs.close(fd, () => undefined),
        () => fs.close(fd, () => undefined),
      );
    }
  }

  /**
   * Takes appends again after being sealed: the segments rolled after it held only writes that failed and are
   * gone. Its index files are cut back to the entries it keeps.
   */
  reactivate(): void {
    const open = (path: string) => fs.openSync(path, fs.existsSync(path) ? 'r+' : 'w+');
    this.#fd ??= open(this.logPath);
    this.#indexFd ??= open(this.indexPath);
    this.#timeIndexFd ??= open(this.timeIndexPath);
    this.#closeWhenIdle = false;
    this.#indexFlushed = Math.min(this.#indexFlushed, this.index.length);
    this.#timeIndexFlushed = Math.min(this.#timeIndexFlushed, this.timeIndex.length);
    this.context.io.truncateSync(this.#indexFd, this.indexPath, this.#indexFlushed * OFFSET_INDEX_ENTRY_BYTES);
    this.context.io.truncateSync(this.#timeIndexFd, this.timeIndexPath, this.#timeIndexFlushed * TIME_INDEX_ENTRY_BYTES);
  }

  /** remove(), at once: for a segment that holds nothing. */
  removeNow(): void {
    this.closeWhenIdle();
    for (const path of [this.logPath, this.indexPath, this.timeIndexPath]) fs.rmSync(path, { force: true });
  }

  /** Closes the log file once no read uses it; later reads open it themselves. */
  closeWhenIdle(): void {
    if (this.#indexFd !== undefined) {
      try {
        this.#flushIndexes();
      } catch (error) {
        this.context.report({ level: 'warn', event: 'index-write-failed', file: this.indexPath, error: String(error) });
      }
    }
    this.#closeWhenIdle = true;
    if (this.#fdUsers === 0) this.#closeFds();
  }

  #closeFds(): void {
    for (const fd of [this.#fd, this.#indexFd, this.#timeIndexFd]) if (fd !== undefined) fs.closeSync(fd);
    this.#fd = this.#indexFd = this.#timeIndexFd = undefined;
  }

  /** Removes the segment's files; an open descriptor is closed once its readers are done. */
  async remove(): Promise<void> {
    this.closeWhenIdle();
    await Promise.all([this.logPath, this.indexPath, this.timeIndexPath].map((path) => fs.promises.rm(path, { force: true })));
  }

  // ---- reads ----

  /** Runs fn with a descriptor for reading: the segment's own while it is open, else one opened for this read. */
  async #withReadFd<T>(fn: (fd: number) => Promise<T>): Promise<T | undefined> {
    if (this.#fd !== undefined) {
      this.#fdUsers++;
      try {
        return await fn(this.#fd);
      } finally {
        this.#fdUsers--;
        if (this.#closeWhenIdle && this.#fdUsers === 0) this.#closeFds();
      }
    }
    let fd: number;
    try {
      fd = await new Promise<number>((resolve, reject) =>
        fs.open(this.logPath, 'r', (error, opened) => (error ? reject(error) : resolve(opened))),
      );
    } catch (error) {
      // Removed by retention while this read was on its way: there is nothing left to read.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return await fn(fd);
    } finally {
      fs.close(fd, () => undefined);
    }
  }

  /** Loads a sealed segment's indexes (checked against its log) the first time a read needs them. */
  ensureLoaded(): Promise<void> {
    if (this.#loaded) return Promise.resolve();
    this.#loading ??= this.#withReadFd(async (fd) => {
      await this.#recover(fd, false);
      this.visibleSize = this.size;
      this.visibleNextOffset = this.nextOffset;
      this.#loaded = true;
    }).then(
      () => {
        this.#loading = undefined;
        // A file gone before it could be read holds nothing.
        this.#loaded = true;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  /**
   * Forgets a sealed segment's indexes (memory stays flat as logs grow); the next read loads them again. Its
   * size, offsets and greatest arrival time are kept: time lookups pass over it without reading it.
   */
  unload(): void {
    if (this.#fd !== undefined || !this.#loaded) return;
    this.index = new OffsetIndex();
    this.timeIndex = new TimeIndex();
    this.#loaded = false;
    this.#summaryKnown = true;
  }

  /** Whether maxTime, size and the offsets are known without loading (not while a load rebuilds them). */
  get summarized(): boolean {
    return this.#loaded || (this.#summaryKnown && this.#loading === undefined);
  }

  /** Appends records at or after `from` to state.out, within its budget; false once the budget is spent. */
  async read(from: number, state: ReadState): Promise<boolean> {
    await this.ensureLoaded();
    const index = this.index;
    const end = this.visibleSize;
    let entry = index.floor(from - this.baseOffset);
    if ((entry < 0 ? 0 : index.positions[entry]!) >= end) return true;
    const records = state.maxRecords - state.out.length;
    // No more than the budget can take, and for a few records no more than a few chunks' worth.
    const wanted = Math.min(state.maxBytes - state.bytes + records * 64, records * READ_CHUNK_MIN_BYTES);
    const chunk = Math.min(READ_CHUNK_MAX_BYTES, Math.max(READ_CHUNK_MIN_BYTES, wanted));
    const result = await this.#withReadFd(async (fd) => {
      const cursor = new FrameCursor(this.context.io, fd, this.logPath, 0, end, chunk);
      // An entry is used only if the frame it points at carries its offset: a damaged index costs a longer walk.
      for (; entry >= 0; entry--) {
        cursor.position = index.positions[entry]!;
        const check = await cursor.check(true);
        if (check.kind === 'frame' && check.offset === this.baseOffset + index.relativeOffsets[entry]!) break;
      }
      if (entry < 0) cursor.position = 0;
      let lastOffset = -1;
      for (;;) {
        if (state.out.length >= state.maxRecords) return false;
        const at = cursor.position;
        const check = await cursor.check(at >= this.verifiedSize);
        if (check.kind === 'end') return true;
        if (check.kind === 'frame' && check.offset > lastOffset) {
          if (at === this.verifiedSize) this.verifiedSize = at + check.length;
          if (check.offset >= state.endOffset) return false;
          if (check.offset >= from) {
            const size = cursor.budgetBytes(check.length);
            if (state.out.length > 0 && state.bytes + size > state.maxBytes) return false;
            state.out.push(cursor.decode(check.length));
            state.bytes += size;
          }
          lastOffset = check.offset;
          cursor.position += check.length;
          continue;
        }
        // Damage: never served. Readers resume at the next indexed frame after it.
        this.#reportDamage(cursor.position, check.kind === 'frame' ? 'offset out of order' : check.reason);
        const next = index.firstAfterPosition(cursor.position);
        if (next < 0) return true;
        cursor.position = index.positions[next]!;
      }
    });
    return result ?? true;
  }

  /** The first offset (in log order) whose arrival time is >= time; nextOffset when none is. */
  async offsetAtTime(time: number): Promise<number> {
    await this.ensureLoaded();
    if (this.maxTime < time) return this.visibleNextOffset;
    const entry = this.timeIndex.firstAtOrAfter(time);
    // Everything up to the entry before holds only earlier arrivals: the search starts after it.
    const after = entry > 0 ? this.baseOffset + this.timeIndex.relativeOffsets[entry - 1]! : this.baseOffset - 1;
    // Small steps: the record sought is usually within an index interval of where the search starts.
    const state: ReadState = { out: [], bytes: 0, maxRecords: 256, maxBytes: READ_CHUNK_MIN_BYTES, endOffset: this.visibleNextOffset };
    let from = after + 1;
    for (;;) {
      state.out.length = 0;
      await this.read(from, state);
      if (state.out.length === 0) return this.visibleNextOffset;
      for (const record of state.out) if (record.arrivalTime >= time) return record.offset;
      from = state.out[state.out.length - 1]!.offset + 1;
    }
  }

  #reportDamage(position: number, reason: string): void {
    if (this.#reportedDamage.has(position)) return;
    this.#reportedDamage.add(position);
    this.context.report({ level: 'error', event: 'segment-damaged', file: this.logPath, position, reason, action: 'skipped, not served' });
  }

  // ---- recovery ----

  /**
   * Finds where the segment's whole frames end, trusting its index only where the log agrees with it and
   * scanning only past the last agreeing entry. Damage followed by intact frames is reported and stepped over
   * (indexed, so readers can too); damage with nothing intact after it is a torn tail: cut off in the active
   * segment, ignored in a sealed one (reads never write).
   */
  async #recover(fd: number, truncateTornTail: boolean): Promise<void> {
    const { io } = this.context;
    const fileSize = fs.fstatSync(fd).size;
    this.index = OffsetIndex.decode(readFileIfExists(this.indexPath) ?? Buffer.alloc(0), fileSize);
    this.timeIndex = TimeIndex.decode(readFileIfExists(this.timeIndexPath) ?? Buffer.alloc(0));

    // The running maximum of arrival times is known only through the last time-index entry (a time index whose
    // tail was lost would understate it), so the scan starts no later than there.
    const timeKnownThrough = this.timeIndex.length > 0 ? this.timeIndex.relativeOffsets[this.timeIndex.length - 1]! : -1;
    this.index.truncate(this.index.floor(timeKnownThrough) + 1);

    const cursor = new FrameCursor(io, fd, this.logPath, 0, fileSize, RECOVERY_CHUNK_BYTES);
    // The last index entry whose frame is where the index says.
    let lastOffset = this.baseOffset - 1;
    while (this.index.length > 0) {
      const last = this.index.length - 1;
      cursor.position = this.index.positions[last]!;
      const check = await cursor.check(true);
      if (check.kind === 'frame' && check.offset === this.baseOffset + this.index.relativeOffsets[last]!) {
        lastOffset = check.offset - 1;
        break;
      }
      this.index.truncate(last);
    }
    if (this.index.length === 0) {
      cursor.position = 0;
      this.timeIndex.truncate(0);
    } else {
      // Kept through the entry's own offset: its time is the maximum through there, and the scan starts at it.
      this.timeIndex.truncateAfter(lastOffset + 1 - this.baseOffset);
    }
    // The time index's last entry is the maximum through lastOffset; the scan goes on from there.
    this.maxTime = this.timeIndex.lastTime;
    this.#bytesSinceIndex = 0;
    // A scan from the first byte checks every frame: what it passes needs no check on reads.
    const scannedFromStart = cursor.position === 0;
    let firstDamage: number | undefined;

    for (;;) {
      const check = await cursor.check(true);
      if (check.kind === 'end') break;
      if (check.kind === 'frame' && check.offset > lastOffset) {
        this.#indexScanned(cursor.position, check.offset, check.arrivalTime, check.length);
        lastOffset = check.offset;
        cursor.position += check.length;
        continue;
      }
      const damagedAt = cursor.position;
      firstDamage ??= damagedAt;
      const resume = await cursor.findNextFrame(lastOffset);
      if (resume !== undefined) {
        this.context.report({
          level: 'error',
          event: 'segment-damaged',
          file: this.logPath,
          position: damagedAt,
          resumesAt: resume,
          reason: check.kind === 'frame' ? 'offset out of order' : check.reason,
          action: 'skipped, not served',
        });
        this.#reportedDamage.add(damagedAt);
        cursor.position = resume;
        this.#bytesSinceIndex = this.context.indexIntervalBytes;
        continue;
      }
      this.context.report({
        level: truncateTornTail ? 'warn' : 'error',
        event: truncateTornTail ? 'torn-tail-truncated' : 'segment-damaged',
        file: this.logPath,
        position: damagedAt,
        bytes: fileSize - damagedAt,
        reason: check.kind === 'frame' ? 'offset out of order' : check.reason,
        ...(truncateTornTail ? {} : { action: 'ignored to the end of the file' }),
      });
      if (truncateTornTail) {
        io.truncateSync(fd, this.logPath, damagedAt);
        await io.datasync(fd, this.logPath);
      }
      cursor.position = damagedAt;
      break;
    }
    this.size = cursor.position;
    this.nextOffset = lastOffset + 1;
    this.verifiedSize = scannedFromStart ? Math.min(firstDamage ?? this.size, this.size) : 0;
    if (!this.isEmpty) this.firstArrival = await this.#firstArrivalTime(fd);
  }

  #indexScanned(position: number, offset: number, arrivalTime: number, length: number): void {
    if (this.#bytesSinceIndex >= this.context.indexIntervalBytes) {
      this.index.add(offset - this.baseOffset, position);
      this.timeIndex.add(Math.max(this.maxTime, arrivalTime), offset - this.baseOffset);
      this.#bytesSinceIndex = 0;
    }
    if (arrivalTime > this.maxTime) this.maxTime = arrivalTime;
    this.#bytesSinceIndex += length;
  }

  async #firstArrivalTime(fd: number): Promise<number | undefined> {
    const cursor = new FrameCursor(this.context.io, fd, this.logPath, 0, this.size, READ_CHUNK_MIN_BYTES);
    const check = await cursor.check(false);
    return check.kind === 'frame' ? check.arrivalTime : undefined;
  }
}
