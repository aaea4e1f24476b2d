import type { MsgHdrs } from '@nats-io/transport-node';

/** Header names of a shard log's messages (see NatsShardLog for the protocol). */
export const HEADER = {
  batch: 'Riffle-Batch',
  after: 'Riffle-After',
  offset: 'Riffle-Offset',
  count: 'Riffle-Count',
  part: 'Riffle-Part',
  parts: 'Riffle-Parts',
  maxTime: 'Riffle-Max-Time',
  trim: 'Riffle-Trim',
  fence: 'Riffle-Fence',
} as const;

/** One accepted append: its records hold offsets [firstOffset, firstOffset + count), in seqs [firstSeq, firstSeq + parts). */
export interface BatchEntry {
  readonly firstOffset: number;
  readonly count: number;
  readonly firstSeq: number;
  readonly parts: number;
  /** The highest arrival time in this batch and every earlier one (what offsetAtTime searches). */
  readonly runningMaxTime: number;
}

export interface MessageHeaders {
  readonly seq: number;
  readonly batch: string;
  readonly after: string;
  readonly offset: number;
  readonly count: number;
  readonly part: number;
  readonly parts: number;
  readonly maxTime: number;
  /** Set on a trim marker (count 0): the log's new startOffset. */
  readonly trim?: number;
  /** Set on a fence marker (count 0): appends routed with a lower stream record revision are refused after it. */
  readonly fence?: number;
}

export function readHeaders(seq: number, headers: MsgHdrs | undefined): MessageHeaders | undefined {
  const batch = headers?.get(HEADER.batch);
  if (!headers || !batch) return undefined;
  const trim = headers.get(HEADER.trim);
  const fence = headers.get(HEADER.fence);
  return {
    seq,
    batch,
    after: headers.get(HEADER.after),
    offset: Number(headers.get(HEADER.offset)),
    count: Number(headers.get(HEADER.count)),
    part: Number(headers.get(HEADER.part)),
    parts: Number(headers.get(HEADER.parts)),
    maxTime: Number(headers.get(HEADER.maxTime) || '-Infinity'),
    ...(trim ? { trim: Number(trim) } : {}),
    ...(fence ? { fence: Number(fence) } : {}),
  };
}

/**
 * What the messages of a shard log's JetStream stream mean, learned in sequence order.
 *
 * A batch counts once all its parts stand in consecutive sequences and it names, as `after`, the batch
 * accepted just before it: parts of an append that a concurrent writer interrupted, and anything published
 * behind them, are ignored, so that the log is exactly the chain of whole appends. The first batch seen after
 * the stream's start (which trimming moves to a batch's first message) is taken as it is.
 */
export class LogIndex {
  entries: BatchEntry[] = [];
  startOffset = 0;
  endOffset = 0;
  /** The last sequence applied: the stream's last sequence when this index is current. */
  lastSeq = 0;
  /** The batch (or trim marker) the next append must name as `after`. */
  lastBatch = '';
  /** The highest fence accepted (ShardLog.fence). */
  fencedBelow = 0;
  #accepted = false;
  #pending: { first: MessageHeaders; nextPart: number } | undefined;

  apply(message: MessageHeaders | undefined, seq: number): void {
    this.lastSeq = seq;
    if (!message) return;
    if (message.part === 0) {
      const chained = this.#accepted ? message.after === this.lastBatch && message.offset === this.endOffset : true;
      this.#pending = chained ? { first: message, nextPart: 1 } : undefined;
    } else if (this.#pending && this.#pending.first.batch === message.batch && this.#pending.nextPart === message.part) {
      this.#pending.nextPart++;
    } else {
      this.#pending = undefined;
    }
    const pending = this.#pending;
    if (!pending || pending.nextPart < pending.first.parts) return;
    this.#pending = undefined;
    this.#accept(pending.first);
  }

  /** Records our own append, known to stand right after lastSeq. */
  acceptOwn(first: MessageHeaders, lastSeq: number): void {
    this.lastSeq = lastSeq;
    this.#pending = undefined;
    this.#accept(first);
  }

  #accept(first: MessageHeaders): void {
    if (!this.#accepted) {
      this.#accepted = true;
      this.startOffset = this.endOffset = first.offset;
    }
    this.lastBatch = first.batch;
    if (first.fence !== undefined) this.fencedBelow = Math.max(this.fencedBelow, first.fence);
    if (first.trim !== undefined) {
      this.#trimTo(first.trim);
      return;
    }
    if (first.count === 0) return;
    const previous = this.entries.length > 0 ? this.entries[this.entries.length - 1]!.runningMaxTime : -Infinity;
    this.entries.push({
      firstOffset: first.offset,
      count: first.count,
      firstSeq: first.seq,
      parts: first.parts,
      runningMaxTime: Math.max(previous, first.maxTime),
    });
    this.endOffset = first.offset + first.count;
  }

  /** Moves startOffset up to `offset` (clamped to endOffset) and forgets batches wholly before it. */
  #trimTo(offset: number): void {
    const target = Math.min(offset, this.endOffset);
    if (target <= this.startOffset) return;
    this.startOffset = target;
    let drop = 0;
    while (drop < this.entries.length && this.entries[drop]!.firstOffset + this.entries[drop]!.count <= target) drop++;
    if (drop > 0) this.entries = this.entries.slice(drop);
  }

  /** Forgets batches whose messages the stream no longer has (trimmed by another node). */
  dropBefore(firstSeq: number): void {
    let drop = 0;
    while (drop < this.entries.length && this.entries[drop]!.firstSeq < firstSeq) drop++;
    if (drop === 0) return;
    this.entries = this.entries.slice(drop);
    this.startOffset = Math.max(this.startOffset, this.entries[0]?.firstOffset ?? this.endOffset);
  }

  /** Index of the batch holding `offset` (offset within [startOffset, endOffset)), by binary search. */
  entryAt(offset: number): number {
    let low = 0;
    let high = this.entries.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.entries[mid]!.firstOffset <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Index of the first batch whose running maximum arrival time reaches timeMs (entries.length if none). */
  entryAtTime(timeMs: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[mid]!.runningMaxTime >= timeMs) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}
