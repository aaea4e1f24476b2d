/** One PutRecords entry as the batcher sees it: its data as bytes, or as text to be sent UTF-8. */
export interface BatchEntry {
  readonly data: Uint8Array | string;
  readonly partitionKey: string;
  readonly explicitHashKey?: string | undefined;
}

/** PutRecords takes at most 500 records a call. */
export const MAX_BATCH_RECORDS = 500;
/** 5 MiB: the request limit of AWS before 2025-10 (10 MiB now), so batches fit every Kinesis. */
export const MAX_BATCH_BYTES = 5 * 1024 * 1024;

/** What a record counts towards a PutRecords request's size limit: its data and its partition key (AWS's rule). */
export const entryBytes = (entry: BatchEntry): number =>
  (typeof entry.data === 'string' ? Buffer.byteLength(entry.data) : entry.data.length) + Buffer.byteLength(entry.partitionKey);

/**
 * Groups records into PutRecords batches of at most maxRecords records and maxBytes bytes, in input order.
 * A record bigger than maxBytes on its own (a stream with a large MaxRecordSizeInKiB) goes in a batch by itself.
 */
export class RecordBatcher<T extends BatchEntry> {
  #entries: T[] = [];
  #bytes = 0;

  constructor(
    readonly maxRecords = MAX_BATCH_RECORDS,
    readonly maxBytes = MAX_BATCH_BYTES,
  ) {}

  get size(): number {
    return this.#entries.length;
  }

  /**
   * Adds the entry; returns the batches now ready to send, in order: the current one when the entry does not fit in
   * it, and the entry's own once it is full (so a full batch goes out without waiting for the next record).
   */
  add(entry: T): T[][] {
    const bytes = entryBytes(entry);
    const ready: T[][] = [];
    if (this.#entries.length > 0 && this.#bytes + bytes > this.maxBytes) ready.push(this.take());
    this.#entries.push(entry);
    this.#bytes += bytes;
    if (this.#entries.length >= this.maxRecords || this.#bytes >= this.maxBytes) ready.push(this.take());
    return ready;
  }

  /** The records held so far (possibly none), emptying the batcher. */
  take(): T[] {
    const entries = this.#entries;
    this.#entries = [];
    this.#bytes = 0;
    return entries;
  }
}
