import type { StreamRecord } from '@riffle/storage';
import type { Clock } from '../clock.js';
import { ShardThroughput } from './shard-throughput.js';
import type { StreamWriteCapacity } from './stream-write-capacity.js';
import { WriteBudget } from './write-budget.js';

export interface ThroughputLimiterOptions {
  /**
   * A stream-wide write budget, asked on every write; undefined (the default, and provisioned streams) means only
   * the per-shard budgets apply. A stream whose capacity changes gets a fresh, full budget.
   */
  readonly streamWriteCapacity?: (stream: StreamRecord) => StreamWriteCapacity | undefined;
}

interface StreamBudget {
  readonly capacity: StreamWriteCapacity;
  readonly budget: WriteBudget;
}

/**
 * AWS's data-plane limits for every shard, keyed by stream key (a stream recreated under the same name starts
 * afresh) and shard index. Budgets are made on first use and forgotten with their stream.
 */
export class ThroughputLimiter {
  readonly #clock: Clock;
  readonly #options: ThroughputLimiterOptions;
  readonly #shards = new Map<string, Map<number, ShardThroughput>>();
  readonly #streams = new Map<string, StreamBudget>();

  constructor(clock: Clock, options: ThroughputLimiterOptions = {}) {
    this.#clock = clock;
    this.#options = options;
  }

  /** One record of `size` bytes (data plus partition key), in request order: charged and true, or false. */
  admitWrite(stream: StreamRecord, shardIndex: number, size: number): boolean {
    const now = this.#clock.now();
    const shard = this.#shard(stream.streamKey, shardIndex, now).writes;
    const streamWide = this.#streamBudget(stream, now);
    if (!shard.canAdmit(size, now) || (streamWide !== undefined && !streamWide.canAdmit(size, now))) return false;
    shard.charge(size, now);
    streamWide?.charge(size, now);
    return true;
  }

  /** Records another node wrote to the shard: charged whatever the balance (they are stored already). */
  chargePeerWrites(stream: StreamRecord, shardIndex: number, records: number, bytes: number): void {
    const now = this.#clock.now();
    this.#shard(stream.streamKey, shardIndex, now).writes.chargeMany(records, bytes, now);
    this.#streamBudget(stream, now)?.chargeMany(records, bytes, now);
  }

  /** GetRecords calls another node answered for the shard, and the bytes they returned. */
  chargePeerReads(stream: StreamRecord, shardIndex: number, calls: number, bytes: number): void {
    const now = this.#clock.now();
    this.#shard(stream.streamKey, shardIndex, now).chargePeerReads(calls, bytes, now);
  }

  admitGetRecords(stream: StreamRecord, shardIndex: number): boolean {
    const now = this.#clock.now();
    return this.#shard(stream.streamKey, shardIndex, now).admitGetRecords(now);
  }

  /** What an admitted GetRecords call returned; `reachedCallMaximum` when it stopped at the 10 MiB a call may return. */
  chargeRead(stream: StreamRecord, shardIndex: number, bytes: number, reachedCallMaximum: boolean): void {
    const now = this.#clock.now();
    this.#shard(stream.streamKey, shardIndex, now).chargeRead(bytes, reachedCallMaximum, now);
  }

  admitGetShardIterator(stream: StreamRecord, shardIndex: number): boolean {
    const now = this.#clock.now();
    return this.#shard(stream.streamKey, shardIndex, now).admitGetShardIterator(now);
  }

  forgetStream(streamKey: string): void {
    this.#shards.delete(streamKey);
    this.#streams.delete(streamKey);
  }

  /** Streams with budgets, for tests of forgetting. */
  get trackedStreams(): number {
    return new Set([...this.#shards.keys(), ...this.#streams.keys()]).size;
  }

  #shard(streamKey: string, shardIndex: number, now: number): ShardThroughput {
    let shards = this.#shards.get(streamKey);
    if (!shards) this.#shards.set(streamKey, (shards = new Map()));
    let shard = shards.get(shardIndex);
    if (!shard) shards.set(shardIndex, (shard = new ShardThroughput(now)));
    return shard;
  }

  #streamBudget(stream: StreamRecord, now: number): WriteBudget | undefined {
    const capacity = this.#options.streamWriteCapacity?.(stream);
    if (capacity === undefined) {
      this.#streams.delete(stream.streamKey);
      return undefined;
    }
    const current = this.#streams.get(stream.streamKey);
    if (
      current !== undefined &&
      current.capacity.bytesPerSecond === capacity.bytesPerSecond &&
      current.capacity.recordsPerSecond === capacity.recordsPerSecond
    ) {
      return current.budget;
    }
    const budget = new WriteBudget(capacity.bytesPerSecond, capacity.recordsPerSecond, now);
    this.#streams.set(stream.streamKey, { capacity, budget });
    return budget;
  }
}
