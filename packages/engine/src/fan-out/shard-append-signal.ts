/**
 * Wakes the subscriptions of a shard when records are appended to it, so that SubscribeToShard pushes them at
 * once instead of polling. Costs one map lookup per append when nobody listens.
 */
export class ShardAppendSignal {
  readonly #waiters = new Map<string, Set<() => void>>();

  static key(streamKey: string, shardIndex: number): string {
    return `${streamKey}\u0000${shardIndex}`;
  }

  notify(key: string): void {
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
