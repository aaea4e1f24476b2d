import type { ShardRecord, StreamRecord } from '@riffle/storage';

/** Finds the open shard whose hash-key range holds a key; open shards always tile the key space. */
export class ShardRouter {
  readonly #open: readonly ShardRecord[];

  constructor(stream: StreamRecord) {
    this.#open = stream.shards
      .filter((shard) => shard.closedAt === undefined)
      .sort((a, b) => (a.hashKeyStart < b.hashKeyStart ? -1 : a.hashKeyStart > b.hashKeyStart ? 1 : 0));
  }

  /** Open shards in hash-key order. */
  get openShards(): readonly ShardRecord[] {
    return this.#open;
  }

  route(hashKey: bigint): ShardRecord {
    let low = 0;
    let high = this.#open.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.#open[mid]!.hashKeyStart <= hashKey) low = mid;
      else high = mid - 1;
    }
    const shard = this.#open[low];
    if (!shard || hashKey < shard.hashKeyStart || hashKey > shard.hashKeyEnd) {
      throw new Error(`RIFFLE_ERR_NO_SHARD_FOR_HASH_KEY: ${hashKey}`);
    }
    return shard;
  }
}
