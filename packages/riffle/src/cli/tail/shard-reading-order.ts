/** Where a shard is in a tail: waiting for its parents, being read, or finished (read to its end, or not to be read). */
export type ShardState = 'waiting' | 'reading' | 'done';

/**
 * Which shards may be read now. A shard is read only once every parent it has is read to its end, as the KCL does,
 * so that a partition key's records come out in order across splits and merges. A parent that is not known (aged
 * out of retention, or never listed) does not hold its children back.
 */
export class ShardReadingOrder {
  readonly #states = new Map<string, ShardState>();
  readonly #parents = new Map<string, readonly string[]>();

  /** Adds a shard, unless known already; `done` for a shard that is not to be read (a closed one when tailing from LATEST). Returns whether it was new. */
  add(shardId: string, parents: readonly (string | undefined)[], done = false): boolean {
    if (this.#states.has(shardId)) return false;
    this.#states.set(shardId, done ? 'done' : 'waiting');
    this.#parents.set(shardId, parents.filter((parent): parent is string => parent !== undefined));
    return true;
  }

  has(shardId: string): boolean {
    return this.#states.has(shardId);
  }

  state(shardId: string): ShardState | undefined {
    return this.#states.get(shardId);
  }

  parentsOf(shardId: string): readonly string[] {
    return this.#parents.get(shardId) ?? [];
  }

  markDone(shardId: string): void {
    if (this.#states.has(shardId)) this.#states.set(shardId, 'done');
  }

  /** The waiting shards whose parents are all done, now marked as being read, in shard id order. */
  takeReady(): string[] {
    const ready = [...this.#states]
      .filter(([shardId, state]) => state === 'waiting' && this.parentsOf(shardId).every((parent) => (this.#states.get(parent) ?? 'done') === 'done'))
      .map(([shardId]) => shardId)
      .sort();
    for (const shardId of ready) this.#states.set(shardId, 'reading');
    return ready;
  }

  /** Shards known, by state. */
  count(state: ShardState): number {
    return [...this.#states.values()].filter((s) => s === state).length;
  }
}
