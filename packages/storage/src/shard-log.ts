import type { RecordToAppend, StoredRecord } from './stored-record.js';

export interface ReadLimits {
  /** At most this many records (values below 1 read nothing). */
  readonly maxRecords: number;
  /** At most this many bytes (see storedRecordSize), except that a first record larger than this is returned alone. */
  readonly maxBytes: number;
}

/**
 * One shard's append-only log, addressed by a per-shard offset counter 0, 1, 2, ...
 *
 * Offsets are plain numbers: 2^53 records is beyond any shard's lifetime. Appends are assigned consecutive
 * offsets in call order, never interleave, and resolve (in call order) only once durable; only then do their
 * records become visible to `read` and count in `endOffset`. Reads never wait for writers.
 */
export interface AppendOptions {
  /** The revision of the stream record the append was routed with (see fence). */
  readonly revision?: number;
}

export interface ShardLog {
  /** First offset not yet trimmed. */
  readonly startOffset: number;
  /** The offset the next durable record gets; records in [startOffset, endOffset) are readable. */
  readonly endOffset: number;
  /**
   * Appends all records or none; resolves with the offset of the first one. An empty batch resolves with endOffset.
   * With `revision` (of the stream record the records were routed with), rejects with ShardLogFencedError when a
   * fence for a higher revision came before it.
   */
  append(records: readonly RecordToAppend[], options?: AppendOptions): Promise<{ firstOffset: number }>;
  /**
   * A clean cut for every writer of the log, on every node: appends called before it are counted (and durable
   * when it resolves), appends after it that name a revision below `revision` are refused. Resolves with the
   * offset where the cut is (endOffset then). Fences only rise.
   */
  fence(revision: number): Promise<number>;
  /** Records from `fromOffset` (clamped up to startOffset) in offset order, within the limits. */
  read(fromOffset: number, limits: ReadLimits): Promise<StoredRecord[]>;
  /**
   * The offset of the first record, in log order, whose arrivalTime is >= timeMs (endOffset when none is).
   * Equivalently the first offset where the running maximum of arrival times reaches timeMs, so a time index
   * over a log with slightly unordered clocks answers the same.
   */
  offsetAtTime(timeMs: number): Promise<number>;
  /**
   * Resolves once every record counted in endOffset is durable; rejects if the disk refuses. A no-op where
   * appends are durable when they resolve; with `--fsync interval` it syncs now.
   */
  sync(): Promise<void>;
  /** Drops every record before `offset` (clamped to endOffset). Never moves startOffset backwards. */
  trimBefore(offset: number): Promise<void>;
  close(): Promise<void>;
}
