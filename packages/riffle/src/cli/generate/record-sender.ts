import { putRecordsWithRetries } from '../put-records-with-retries.js';
import { RecordBatcher } from '../record-batcher.js';
import type { GeneratedRecord } from './generated-record.js';
import type { RunClock } from './run-clock.js';

export { MAX_BATCH_BYTES, MAX_BATCH_RECORDS, entryBytes as recordBytes } from '../record-batcher.js';
/** Kinesis's default record size limit (data plus partition key). */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** One PutRecords answer, reduced to what the sender needs: per entry, in order, an error code or none. */
export interface PutRecordsOutcome {
  readonly entries: readonly { readonly errorCode?: string | undefined; readonly errorMessage?: string | undefined }[];
}

export type PutRecordsCall = (records: readonly GeneratedRecord[]) => Promise<PutRecordsOutcome>;

export interface SendStats {
  /** Records the stream accepted. */
  sent: number;
  /** Records given up on after the last retry. */
  failed: number;
  /** PutRecords calls made, retries included. */
  calls: number;
  /** Entries sent again after a partial failure. */
  retried: number;
  /**
   * Records accepted while an earlier record of the same partition key in the same call was refused: written ahead of
   * it. A call cannot be taken back, so this is counted and reported, never hidden.
   */
  overtaken: number;
  /** The last entry error seen (`ProvisionedThroughputExceededException: Rate exceeded for shard ...`). */
  lastError: string | undefined;
}

export interface SenderOptions {
  readonly batchRecords: number;
  /** Retries of a failed entry before it counts as failed. */
  readonly maxRetries?: number;
  /** First backoff; doubled on every retry of the same entries, up to maxBackoffMs. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
}

/**
 * Sends records with PutRecords in calls of at most `batchRecords` entries and 5 MiB, in the order given. After a partial
 * failure only the failed entries are sent again, in their order, after a backoff, and before any later record: so a
 * retried record is never overtaken by a record of a later call.
 */
export class RecordSender {
  readonly stats: SendStats = { sent: 0, failed: 0, calls: 0, retried: 0, overtaken: 0, lastError: undefined };
  private readonly maxRetries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly putRecords: PutRecordsCall,
    private readonly clock: RunClock,
    private readonly options: SenderOptions,
  ) {
    this.maxRetries = options.maxRetries ?? 10;
    this.backoffMs = options.backoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
  }

  /** Sends every record (splitting into calls); resolves when each is accepted or has failed its last retry. */
  async send(records: readonly GeneratedRecord[], signal?: AbortSignal): Promise<void> {
    const batcher = new RecordBatcher<GeneratedRecord>(this.options.batchRecords);
    for (const record of records) for (const batch of batcher.add(record)) await this.sendBatch(batch, signal);
    const rest = batcher.take();
    if (rest.length > 0) await this.sendBatch(rest, signal);
  }

  private async sendBatch(batch: readonly GeneratedRecord[], signal?: AbortSignal): Promise<void> {
    let first = true;
    const outcomes = await putRecordsWithRetries(
      async (pending: GeneratedRecord[]) => {
        this.stats.calls++;
        if (!first) this.stats.retried += pending.length;
        first = false;
        const { entries } = await this.putRecords(pending);
        const refusedKeys = new Set<string>();
        pending.forEach((record, i) => {
          const entry = entries[i];
          if (entry?.errorCode) {
            refusedKeys.add(record.partitionKey);
            this.stats.lastError = `${entry.errorCode}: ${entry.errorMessage ?? ''}`.trimEnd();
          } else if (refusedKeys.has(record.partitionKey)) this.stats.overtaken++;
        });
        return pending.map((_, i) => ({ ErrorCode: entries[i]?.errorCode || undefined, ErrorMessage: entries[i]?.errorMessage }));
      },
      batch,
      (ms, sleepSignal) => this.clock.sleep(ms, sleepSignal),
      { attempts: this.maxRetries + 1, firstDelayMs: this.backoffMs, longestDelayMs: this.maxBackoffMs },
      signal,
    );
    for (const outcome of outcomes) {
      if ('ErrorCode' in outcome) this.stats.failed++;
      else this.stats.sent++;
    }
  }
}
