/** One SubscribeToShard of a consumer on a shard, while it lives and for the 5 s after it started. */
export class Subscription {
  #replaced = false;
  #wake: (() => void) | undefined;

  constructor(readonly startedAt: number) {}

  get replaced(): boolean {
    return this.#replaced;
  }

  /** A newer subscription took over: this one ends with ResourceInUseException at its next step. */
  replace(): void {
    this.#replaced = true;
    this.#wake?.();
  }

  /** What ends the subscription's current wait early (an append, a timer, a replacement). */
  set wake(wake: (() => void) | undefined) {
    this.#wake = wake;
  }
}

/** A subscription lives at most 5 minutes (SubscribeToShard API reference). */
export const SUBSCRIPTION_LIFETIME_MS = 300_000;
/** A second subscription within 5 s of a successful one is refused; a later one takes over. */
export const SUBSCRIPTION_TAKEOVER_MS = 5_000;
/** An idle subscription still gets an event every 5 s, with its ContinuationSequenceNumber (LocalStack's observation of AWS). */
export const SUBSCRIPTION_HEARTBEAT_MS = 5_000;
/** Each consumer reads 2 MiB/s per shard. */
export const SUBSCRIPTION_BYTES_PER_SECOND = 2 * 1024 * 1024;
/** Records per event at most: the budget of a second, like a GetRecords call. */
export const SUBSCRIPTION_EVENT_MAX_BYTES = 2 * 1024 * 1024;
