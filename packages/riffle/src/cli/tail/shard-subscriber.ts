import type { Sleep } from '../sleep.js';
import type { TailRecord } from './record-formats.js';
import type { ChildShardInfo, IteratorPosition, ShardEnd } from './shard-poller.js';
import type { StartPosition } from './start-position.js';

/** One SubscribeToShardEvent, as tail uses it. */
export interface SubscriptionEvent {
  readonly records: readonly TailRecord[];
  /** Absent in the last event of a closed shard, which carries its children instead. */
  readonly continuationSequenceNumber: string | undefined;
  readonly millisBehindLatest: number | undefined;
  readonly childShards: readonly ChildShardInfo[];
}

/** The one call a shard is read with through enhanced fan-out (the SDK's SubscribeToShard in the command, fakes in tests). */
export interface SubscribeCalls {
  /** Resolves once the subscription is made (its 200); its events then come as the iterable is read. */
  subscribe(shardId: string, position: IteratorPosition, signal: AbortSignal): Promise<AsyncIterable<SubscriptionEvent>>;
}

export interface SubscribeOptions {
  /** false (--no-follow): stop at the first event 0 ms behind the shard's tip, once its records are handed over. */
  readonly follow: boolean;
  readonly signal: AbortSignal;
  readonly sleep: Sleep;
  readonly now: () => number;
  /** Hands a record over; resolves false when no more are wanted (--max-records reached). */
  readonly emit: (record: TailRecord) => boolean | Promise<boolean>;
  /** Told why a subscription is made again (for --verbose, and a warning when another reader takes the shard). */
  readonly notice?: (message: string, kind: 'resubscribe' | 'taken-over' | 'retry') => void;
  readonly firstBackoffMs?: number;
  readonly longestBackoffMs?: number;
  /** Subscriptions failing in a row, with no event between, before the last error is thrown. */
  readonly maxFailures?: number;
}

const errorName = (error: unknown) => (error as { name?: string }).name;
const errorCode = (error: unknown) => {
  const e = error as { code?: string; cause?: { code?: string } };
  return e.code ?? e.cause?.code;
};
const isAwsAnswer = (error: unknown) => (error as { $metadata?: unknown }).$metadata !== undefined;
/** Answers to SubscribeToShard that pass: tried again after a backoff. */
const PASSING = new Set(['ResourceInUseException', 'LimitExceededException', 'InternalFailureException', 'KMSThrottlingException', 'ThrottlingException', 'ProvisionedThroughputExceededException']);

const sequenceAfter = (a: string, b: string) => BigInt(a) > BigInt(b);

/** The next event, or undefined when the stream ends or the signal aborts (the stream is then closed). */
async function nextEvent(events: AsyncIterator<SubscriptionEvent>, signal: AbortSignal): Promise<SubscriptionEvent | undefined> {
  if (signal.aborted) return undefined;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const next = await Promise.race([events.next(), aborted]);
    if (next === undefined) {
      // The SDK call is aborted too; closing the iterator frees it without waiting for it.
      void Promise.resolve(events.return?.()).catch(() => undefined);
      return undefined;
    }
    return next.done ? undefined : next.value;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Reads one shard through enhanced fan-out, as a KCL 2.x fan-out consumer does: subscribes from the start
 * position, hands each event's records over, and subscribes again after the last event's
 * ContinuationSequenceNumber (AFTER_SEQUENCE_NUMBER) whenever a subscription ends (after 5 minutes) or drops.
 * ResourceInUseException (a subscription of the consumer and shard less than 5 s old, or another reader taking
 * the shard over) is waited out with a doubling backoff. A record is never handed over twice: one at or before
 * the last one handed over is skipped. Ends when the shard is closed and read to its end (with its children),
 * when caught up without --follow, when stopped, or when the shard, stream or consumer is gone.
 */
export async function subscribeShard(shardId: string, start: StartPosition, calls: SubscribeCalls, options: SubscribeOptions): Promise<ShardEnd> {
  const { signal, sleep, now, notice = () => undefined, firstBackoffMs = 500, longestBackoffMs = 5_000, maxFailures = 30 } = options;
  let continuation: string | undefined;
  let lastHandedOver: string | undefined;
  // As in the poller: a LATEST subscription that drops before its first event is made again at the time the first
  // was asked for, so that nothing put in between is skipped.
  let latestTakenAt: Date | undefined;
  const position = (): IteratorPosition => {
    const after = continuation ?? lastHandedOver;
    if (after !== undefined) return { kind: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: after };
    if (start.kind !== 'LATEST') return start;
    if (latestTakenAt !== undefined) return { kind: 'AT_TIMESTAMP', timestamp: latestTakenAt };
    latestTakenAt = new Date(now());
    return start;
  };
  let failures = 0;
  let backoff = firstBackoffMs;
  const wait = async () => {
    await sleep(backoff, signal);
    backoff = Math.min(backoff * 2, longestBackoffMs);
  };
  let subscriptions = 0;
  while (!signal.aborted) {
    let subscribed = false;
    try {
      const from = position();
      if (subscriptions++ > 0) notice(`subscribing to ${shardId} again, ${from.kind === 'AFTER_SEQUENCE_NUMBER' ? `after ${from.sequenceNumber}` : from.kind}`, 'resubscribe');
      const events = (await calls.subscribe(shardId, from, signal))[Symbol.asyncIterator]();
      subscribed = true;
      for (let event = await nextEvent(events, signal); event !== undefined; event = await nextEvent(events, signal)) {
        failures = 0;
        backoff = firstBackoffMs;
        for (const record of event.records) {
          if (lastHandedOver !== undefined && !sequenceAfter(record.sequenceNumber, lastHandedOver)) continue;
          if (signal.aborted || !(await options.emit(record))) return { kind: 'stopped' };
          lastHandedOver = record.sequenceNumber;
        }
        if (event.continuationSequenceNumber === undefined || event.childShards.length > 0) return { kind: 'closed', children: event.childShards };
        continuation = event.continuationSequenceNumber;
        if (!options.follow && event.millisBehindLatest === 0) return { kind: 'caught-up' };
      }
      // The subscription ended (its 5 minutes are up) or the stop came: subscribe again at once.
    } catch (error) {
      if (signal.aborted) break;
      const name = errorName(error);
      if (name === 'ResourceNotFoundException') return { kind: 'gone', error };
      // Nothing listens there: retrying would not help.
      if (errorCode(error) === 'ECONNREFUSED') throw error;
      // A dropped connection (no AWS error type) passes; of AWS's answers, those in PASSING do, whether they refuse
      // the call or end the stream as an exception event.
      const passing = PASSING.has(name ?? '') || !(isAwsAnswer(error) || /Exception$/.test(name ?? ''));
      if (!passing || ++failures >= maxFailures) throw error;
      if (name === 'ResourceInUseException' && subscribed) notice(`another subscription took ${shardId} over (is another reader using this consumer?); subscribing again`, 'taken-over');
      else notice(`${subscribed ? 'the subscription to' : 'cannot subscribe to'} ${shardId}${subscribed ? ' ended' : ''}: ${name ?? ''} ${(error as Error).message ?? ''}; trying again`.replace(/\s+/g, ' '), 'retry');
      // A dropped subscription is made again at once; a refused one (or a second drop in a row) after a backoff.
      if (!subscribed || failures > 1) await wait();
    }
  }
  return { kind: 'stopped' };
}
