/**
 * Wakes the subscriptions of a shard when records are appended to it, so that SubscribeToShard pushes them at
 * once instead of polling. Costs one map lookup per append when nobody listens.
 */
export class ShardAppendSignal {
  readonly #waiters = new Map<string, Set<() => void>>();
  /** Appends counted per shard that a subscription observes (see observe). */
  readonly #generations = new Map<string, number>();

  static key(streamKey: string, shardIndex: number): string {
    return `${streamKey}\u0000${shardIndex}`;
  }

  /**
   * How many appends the shard has had since it was first observed. A subscription takes it before it reads and
   * compares it before it waits: an append signalled in between (another node's, whose records its log learns
   * only at the next read) is never slept through.
   */
  observe(key: string): number {
    const generation = this.#generations.get(key);
    if (generation !== undefined) return generation;
    this.#generations.set(key, 0);
    return 0;
  }

  notify(key: string): void {
    const generation = this.#generations.get(key);
    if (generation !== undefined) this.#generations.set(key, generation + 1);
    const waiters = this.#waiters.get(key);
    if (!waiters) return;
    this.#waiters.delete(key);
    for (const wake of waiters) wake();
  }

  /** Wakes every waiter of the stream's shards: its shards, consumers or existence changed. */
  notifyStream(streamKey: string): void {
    const prefix = `${streamKey}\u0000`;
    for (const key of [...this.#waiters.keys()]) if (key.startsWith(prefix)) this.notify(key);
  }

  /** Calls `wake` at the next append to the shard; returns how to stop waiting. */
  listen(key: string, wake: () => void): () => void {
    let waiters = this.#waiters.get(key);
    if (!waiters) this.#waiters.set(key, (waiters = new Set()));
    waiters.add(wake);
    return () => {
      const current = this.#waiters.get(key);
      current?.delete(wake);
      if (current?.size === 0) this.#waiters.delete(key);
    };
  }
}
