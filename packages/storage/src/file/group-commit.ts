/** Something with written-but-unsynced data: a shard log, or the metadata journal. */
export interface Syncable {
  /**
   * Notes what is written now (`work`) and starts making it durable (`done`). `inline`: the round is small
   * enough for its files to be synced one after another on the calling thread.
   */
  beginSync(inline: boolean): { readonly work: unknown; readonly done: Promise<void> };
  /** Called once `done` settles, with its error (undefined on success). */
  finishSync(work: unknown, error: unknown): void;
}

export type FsyncMode = 'always' | 'interval';

/**
 * A round of this many logs (one: a lone writer) syncs on the event loop's own thread (~0.2 ms a file here):
 * handing the file to libuv's pool and waking up for the answer cost more than that on a 2-core VM (PutRecord
 * at concurrency 1 went from ~900 to ~1,300 a second). Larger rounds sync in parallel on the pool; syncing four
 * files one after another on the loop measured no better than that.
 */
const INLINE_SYNC_MAX_TARGETS = 1;
/**
 * ...but only while rounds are quick: a sync on the loop's thread stalls every request, reads included, so once
 * a round takes longer than this (a busy or slow disk) syncs go to the pool until rounds are quick again.
 */
const INLINE_SYNC_MAX_MS = 1;

/**
 * Group commit for the whole store. In `always` mode, whatever is written while a round of syncs runs is
 * synced by the next round, all dirty files at once: a PutRecords over 32 shards and every request that came
 * in beside it share one round. In `interval` mode rounds run on a timer.
 */
export class GroupCommit {
  #dirty = new Set<Syncable>();
  #round: Promise<void> | undefined;
  #scheduled = false;
  /** Recent round durations, smoothed (ms). */
  #roundMs = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Since the store opened: rounds run, files synced, and the seconds the rounds took (`/metrics`). */
  rounds = 0;
  syncedFiles = 0;
  syncSeconds = 0;

  constructor(
    readonly mode: FsyncMode,
    intervalMs: number,
  ) {
    if (mode === 'interval') {
      this.#timer = setInterval(() => void this.flush(), Math.max(1, intervalMs));
      this.#timer.unref();
    }
  }

  /** `target` has new data; in always mode a round will sync it. */
  markDirty(target: Syncable): void {
    this.#dirty.add(target);
    if (this.mode !== 'always' || this.#round || this.#scheduled) return;
    this.#scheduled = true;
    // One turn of the event loop lets every write from the same burst of requests join this round.
    setImmediate(() => {
      this.#scheduled = false;
      void this.flush();
    });
  }

  /** Runs rounds until nothing is dirty; resolves when the last one is done. */
  flush(): Promise<void> {
    if (this.#round) return this.#round;
    if (this.#dirty.size === 0) return Promise.resolve();
    this.#round = this.#runRounds();
    return this.#round;
  }

  async #runRounds(): Promise<void> {
    while (this.#dirty.size > 0) {
      const targets = [...this.#dirty];
      this.#dirty.clear();
      const inline = targets.length <= INLINE_SYNC_MAX_TARGETS && this.#roundMs < INLINE_SYNC_MAX_MS;
      const startedAt = performance.now();
      const started = targets.map((target) => target.beginSync(inline));
      const errors = await Promise.all(
        started.map(({ done }) =>
          done.then(
            () => undefined,
            (error: unknown) => error ?? new Error('sync failed'),
          ),
        ),
      );
      const roundMs = performance.now() - startedAt;
      this.#roundMs = 0.8 * this.#roundMs + 0.2 * roundMs;
      this.rounds += 1;
      this.syncedFiles += targets.length;
      this.syncSeconds += roundMs / 1000;
      targets.forEach((target, i) => target.finishSync(started[i]!.work, errors[i]));
    }
    // Cleared in the same step as the last check, so that a write the last round's waiters make next (they run
    // after this) starts a new round rather than finding this one still marked as running.
    this.#round = undefined;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
  }
}
