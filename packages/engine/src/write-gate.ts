/**
 * Lets a reshard close shards at a clean cut: appends run concurrently, while `exclusive` waits for those in
 * flight to finish and holds new ones back until it is done, so no record lands behind a shard's end.
 */
export class WriteGate {
  #inFlight = 0;
  #closed: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  /** Undefined when a write may start now; otherwise wait for it and ask again. */
  blocked(): Promise<void> | undefined {
    return this.#closed;
  }

  enter(): void {
    this.#inFlight++;
  }

  leave(): void {
    if (--this.#inFlight === 0) this.#drained?.();
  }

  /** One at a time: callers run inside the engine's control queue. */
  async exclusive<T>(task: () => Promise<T>): Promise<T> {
    let reopen!: () => void;
    this.#closed = new Promise<void>((resolve) => (reopen = resolve));
    try {
      if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
      this.#drained = undefined;
      return await task();
    } finally {
      this.#closed = undefined;
      reopen();
    }
  }
}
