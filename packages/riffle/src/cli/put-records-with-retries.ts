import type { Sleep } from './sleep.js';

/** One record's final answer: where it went, or why it finally failed. */
export type PutOutcome = { readonly ShardId: string; readonly SequenceNumber: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

export const failed = (outcome: PutOutcome): outcome is { ErrorCode: string; ErrorMessage: string } => 'ErrorCode' in outcome;

export interface RetryPolicy {
  /** Calls in all, the first included. */
  readonly attempts: number;
  readonly firstDelayMs: number;
  readonly longestDelayMs: number;
}

/** About 12 s of retrying: enough for a provisioned shard's one-second write budget to refill several times. */
export const defaultRetryPolicy: RetryPolicy = { attempts: 10, firstDelayMs: 100, longestDelayMs: 2_000 };

/** The part of a PutRecords result entry the retries read (the SDK's PutRecordsResultEntry has it). */
export interface PutRecordsAnswer {
  readonly ShardId?: string | undefined;
  readonly SequenceNumber?: string | undefined;
  readonly ErrorCode?: string | undefined;
  readonly ErrorMessage?: string | undefined;
}

/**
 * Puts the entries with PutRecords, then again only those that failed (ProvisionedThroughputExceeded,
 * InternalFailure), with exponential backoff, until none fails or the attempts are used up. The outcomes are in the
 * entries' order. A whole-call failure is thrown (the SDK has already retried what it retries).
 */
export async function putRecordsWithRetries<Entry>(
  putRecords: (entries: Entry[]) => Promise<readonly PutRecordsAnswer[]>,
  entries: readonly Entry[],
  sleep: Sleep,
  policy: RetryPolicy = defaultRetryPolicy,
  signal?: AbortSignal,
): Promise<PutOutcome[]> {
  const outcomes: PutOutcome[] = new Array(entries.length);
  let waiting = entries.map((_, index) => index);
  let delay = policy.firstDelayMs;
  for (let attempt = 1; waiting.length > 0; attempt++) {
    const results = await putRecords(waiting.map((index) => entries[index]!));
    if (results.length !== waiting.length) throw new Error(`PutRecords answered ${results.length} results for ${waiting.length} records`);
    const retry: number[] = [];
    results.forEach((result, position) => {
      const index = waiting[position]!;
      if (result.ErrorCode === undefined) outcomes[index] = { ShardId: result.ShardId ?? '', SequenceNumber: result.SequenceNumber ?? '' };
      else {
        outcomes[index] = { ErrorCode: result.ErrorCode, ErrorMessage: result.ErrorMessage ?? '' };
        retry.push(index);
      }
    });
    // Ctrl-C ends the retrying: what failed so far is reported as failed.
    if (retry.length === 0 || attempt >= policy.attempts || signal?.aborted) break;
    await sleep(delay, signal);
    delay = Math.min(delay * 2, policy.longestDelayMs);
    waiting = retry;
  }
  return outcomes;
}
