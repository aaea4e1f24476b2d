import type { GeneratedRecord } from './generated-record.js';
import type { RunClock } from './run-clock.js';

/** AWS's PutRecords limits: 500 entries and 5 MiB (data plus partition keys) a call, 1 MiB a record. */
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 5 * 1024 * 1024;
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

export const recordBytes = (record: GeneratedRecord): number => Buffer.byteLength(record.data) + Buffer.byteLength(record.partitionKey);

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
    let batch: GeneratedRecord[] = [];
    let bytes = 0;
    for (const record of records) {
      const size = recordBytes(record);
      if (batch.length > 0 && (batch.length >= this.options.batchRecords || bytes + size > MAX_BATCH_BYTES)) {
        await this.sendBatch(batch, signal);
        batch = [];
        bytes = 0;
      }
      batch.push(record);
      bytes += size;
    }
    if (batch.length > 0) await this.sendBatch(batch, signal);
  }

  private async sendBatch(batch: readonly GeneratedRecord[], signal?: AbortSignal): Promise<void> {
    let pending = batch;
    for (let attempt = 0; ; attempt++) {
      this.stats.calls++;
      if (attempt > 0) this.stats.retried += pending.length;
      const outcome = await this.putRecords(pending);
      const failed: GeneratedRecord[] = [];
      const refusedKeys = new Set<string>();
      pending.forEach((record, i) => {
        const entry = outcome.entries[i];
        if (entry?.errorCode) {
          failed.push(record);
          refusedKeys.add(record.partitionKey);
          this.stats.lastError = `${entry.errorCode}: ${entry.errorMessage ?? ''}`.trimEnd();
        } else {
          this.stats.sent++;
          if (refusedKeys.has(record.partitionKey)) this.stats.overtaken++;
        }
      });
      if (failed.length === 0) return;
      if (attempt >= this.maxRetries || signal?.aborted) {
        this.stats.failed += failed.length;
        return;
      }
      await this.clock.sleep(Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt), signal);
      pending = failed;
    }
  }
}
