import type { AppendOptions, ReadLimits, ShardLog } from '../shard-log.js';
import { ShardLogFencedError } from '../shard-log-fenced-error.js';
import { storedRecordSize, type RecordToAppend, type StoredRecord } from '../stored-record.js';
import { StorageClosedError } from '../storage-closed-error.js';

/** Compact the backing array once this many trimmed slots lead it, and they are at least half of it. */
const COMPACT_AFTER = 1024;

/** A shard log held in process memory: durable for as long as the process lives. */
export class MemoryShardLog implements ShardLog {
  /** records[head + i] holds offset startOffset + i. */
  #records: StoredRecord[] = [];
  /** Running maximum of arrival times, parallel to #records, for offsetAtTime. */
  #maxArrival: number[] = [];
  #head = 0;
  #startOffset = 0;
  #closed = false;
  #fencedBelow = 0;

  get startOffset(): number {
    return this.#startOffset;
  }

  get endOffset(): number {
    return this.#startOffset + this.#records.length - this.#head;
  }

  async append(records: readonly RecordToAppend[], options?: AppendOptions): Promise<{ firstOffset: number }> {
    this.#assertOpen();
    if (options?.revision !== undefined && options.revision < this.#fencedBelow) throw new ShardLogFencedError(this.#fencedBelow);
    const firstOffset = this.endOffset;
    let runningMax = this.#maxArrival.length > 0 ? this.#maxArrival[this.#maxArrival.length - 1]! : -Infinity;
    records.forEach((record, i) => {
      runningMax = Math.max(runningMax, record.arrivalTime);
      this.#records.push({
        offset: firstOffset + i,
        arrivalTime: record.arrivalTime,
        partitionKey: record.partitionKey,
        ...(record.explicitHashKey === undefined ? {} : { explicitHashKey: record.explicitHashKey }),
        ...(record.plainSize === undefined ? {} : { plainSize: record.plainSize }),
        // Copied: the caller may reuse its buffer once the append resolves.
        data: Uint8Array.from(record.data),
      });
      this.#maxArrival.push(runningMax);
    });
    return { firstOffset };
  }

  async read(fromOffset: number, limits: ReadLimits): Promise<StoredRecord[]> {
    this.#assertOpen();
    const out: StoredRecord[] = [];
    let bytes = 0;
    const from = Math.max(fromOffset, this.#startOffset);
    for (let index = this.#head + (from - this.#startOffset); index < this.#records.length; index++) {
      if (out.length >= limits.maxRecords) break;
      const record = this.#records[index]!;
      const size = storedRecordSize(record);
      if (out.length > 0 && bytes + size > limits.maxBytes) break;
      out.push(record);
      bytes += size;
    }
    return out;
  }

  async offsetAtTime(timeMs: number): Promise<number> {
    this.#assertOpen();
    let low = this.#head;
    let high = this.#records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#maxArrival[mid]! >= timeMs) high = mid;
      else low = mid + 1;
    }
    return this.#startOffset + (low - this.#head);
  }

  async trimBefore(offset: number): Promise<void> {
    this.#assertOpen();
    const target = Math.min(offset, this.endOffset);
    if (target <= this.#startOffset) return;
    this.#head += target - this.#startOffset;
    this.#startOffset = target;
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#records.length) {
      this.#records = this.#records.slice(this.#head);
      this.#maxArrival = this.#maxArrival.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Appends are as durable as memory gets when they resolve. */
  async fence(revision: number): Promise<number> {
    this.#assertOpen();
    this.#fencedBelow = Math.max(this.#fencedBelow, revision);
    return this.endOffset;
  }

  async sync(): Promise<void> {
    this.#assertOpen();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageClosedError('shard log');
  }
}
