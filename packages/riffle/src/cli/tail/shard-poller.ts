import type { Sleep } from '../sleep.js';
import type { TailRecord } from './record-formats.js';
import type { StartPosition } from './start-position.js';

/** Where a shard iterator is asked for: a start position, or just after the last record printed. */
export type IteratorPosition = StartPosition | { readonly kind: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

export interface ChildShardInfo {
  readonly shardId: string;
  readonly parents: readonly string[];
}

export interface RecordsPage {
  readonly records: readonly TailRecord[];
  /** undefined once a closed shard is read to its end. */
  readonly nextIterator: string | undefined;
  readonly millisBehindLatest: number | undefined;
  readonly childShards: readonly ChildShardInfo[];
}

/** The two Kinesis calls a shard is read with (the SDK's in the command, fakes in tests). */
export interface ShardCalls {
  getShardIterator(shardId: string, position: IteratorPosition, signal: AbortSignal): Promise<string>;
  getRecords(shardId: string, iterator: string, signal: AbortSignal): Promise<RecordsPage>;
}

export interface PollOptions {
  /** false (--no-follow): stop once the shard is read to its current end. */
  readonly follow: boolean;
  readonly signal: AbortSignal;
  readonly sleep: Sleep;
  readonly now: () => number;
  /** Hands a record over; resolves false when no more are wanted (--max-records reached). */
  readonly emit: (record: TailRecord) => boolean | Promise<boolean>;
  /** Between the starts of two GetRecords on one shard: AWS allows 5 a second a shard. */
  readonly minIntervalMs?: number;
  readonly longestBackoffMs?: number;
}

/** How reading a shard ended. */
export type ShardEnd =
  | { readonly kind: 'closed'; readonly children: readonly ChildShardInfo[] }
  | { readonly kind: 'caught-up' }
  | { readonly kind: 'stopped' }
  /** ResourceNotFoundException: the shard (or the whole stream) is gone. */
  | { readonly kind: 'gone'; readonly error: unknown };

const errorName = (error: unknown) => (error as { name?: string }).name;
/** Answers that mean "slow down", tried again after a backoff. */
const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'KMSThrottlingException', 'LimitExceededException', 'ThrottlingException']);

/**
 * Reads one shard from its start position: GetRecords at most every minIntervalMs, backing off when throttled, and
 * getting a fresh iterator after the last record printed when one expires. Ends when the shard is closed and read
 * to its end (with its children), when caught up without --follow, or when stopped.
 */
export async function pollShard(shardId: string, start: StartPosition, calls: ShardCalls, options: PollOptions): Promise<ShardEnd> {
  const { signal, sleep, now, minIntervalMs = 200, longestBackoffMs = 5_000 } = options;
  let lastSequenceNumber: string | undefined;
  // A LATEST iterator that expires before any record came is renewed at the time it was taken, not at the new
  // LATEST: records put between the two would be skipped otherwise.
  let latestTakenAt: Date | undefined;
  const position = (): IteratorPosition => {
    if (lastSequenceNumber !== undefined) return { kind: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lastSequenceNumber };
    if (start.kind !== 'LATEST') return start;
    if (latestTakenAt !== undefined) return { kind: 'AT_TIMESTAMP', timestamp: latestTakenAt };
    latestTakenAt = new Date(now());
    return start;
  };
  let iterator: string | undefined;
  let lastCallAt = -Infinity;
  let backoff = minIntervalMs;
  while (!signal.aborted) {
    try {
      iterator ??= await calls.getShardIterator(shardId, position(), signal);
      const wait = lastCallAt + minIntervalMs - now();
      if (wait > 0) await sleep(wait, signal);
      if (signal.aborted) break;
      lastCallAt = now();
      const page = await calls.getRecords(shardId, iterator, signal);
      backoff = minIntervalMs;
      for (const record of page.records) {
        if (signal.aborted || !(await options.emit(record))) return { kind: 'stopped' };
        lastSequenceNumber = record.sequenceNumber;
      }
      if (page.nextIterator === undefined) return { kind: 'closed', children: page.childShards };
      if (!options.follow && page.records.length === 0 && page.millisBehindLatest === 0) return { kind: 'caught-up' };
      iterator = page.nextIterator;
    } catch (error) {
      if (signal.aborted) break;
      const name = errorName(error);
      if (name === 'ExpiredIteratorException') iterator = undefined;
      else if (name === 'ResourceNotFoundException') return { kind: 'gone', error };
      else if (THROTTLED.has(name ?? '')) {
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, longestBackoffMs);
      } else throw error;
    }
  }
  return { kind: 'stopped' };
}
