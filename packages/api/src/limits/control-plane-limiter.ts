import { TokenBucket, type Clock } from '@riffle/engine';
import type { ControlPlaneRate } from './control-plane-rates.js';

/** Buckets kept before idle (full) ones are dropped, so that many stream names cannot grow the map without bound. */
const PRUNE_ABOVE = 10_000;

/**
 * AWS's per-call rates of the control plane: one token bucket per operation (and per stream for the operations
 * limited per stream), holding one second's calls and refilled at the rate.
 */
export class ControlPlaneLimiter {
  readonly #clock: Clock;
  readonly #rates: Readonly<Record<string, ControlPlaneRate>>;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(clock: Clock, rates: Readonly<Record<string, ControlPlaneRate>>) {
    this.#clock = clock;
    this.#rates = rates;
  }

  /** Takes one call of `operation` (about `stream`, if it names one); false when over the rate. */
  admit(operation: string, stream: string | undefined): boolean {
    const rate = Object.hasOwn(this.#rates, operation) ? this.#rates[operation] : undefined;
    if (rate === undefined) return true;
    const now = this.#clock.now();
    const key = rate.per === 'stream' && stream !== undefined ? `${operation}\0${stream}` : operation;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= PRUNE_ABOVE) this.#prune(now);
      this.#buckets.set(key, (bucket = new TokenBucket(rate.perSecond, rate.perSecond, now)));
    }
    return bucket.tryTake(1, now);
  }

  /** Budgets held, for tests of pruning. */
  get trackedBuckets(): number {
    return this.#buckets.size;
  }

  #prune(now: number): void {
    for (const [key, bucket] of this.#buckets) if (bucket.available(now) >= bucket.capacity) this.#buckets.delete(key);
  }
}
