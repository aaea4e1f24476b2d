import { TokenBucket } from './token-bucket.js';

/**
 * Bytes and records per second, admitted together: a record gets through only if both budgets allow it, and then
 * it is charged to both. Each bucket holds one second's worth, which is the burst allowed (see README, limits).
 */
export class WriteBudget {
  readonly #bytes: TokenBucket;
  readonly #records: TokenBucket;

  constructor(bytesPerSecond: number, recordsPerSecond: number, now: number) {
    this.#bytes = new TokenBucket(bytesPerSecond, bytesPerSecond, now);
    this.#records = new TokenBucket(recordsPerSecond, recordsPerSecond, now);
  }

  canAdmit(size: number, now: number): boolean {
    return this.#bytes.canTake(size, now) && this.#records.canTake(1, now);
  }

  charge(size: number, now: number): void {
    this.#bytes.take(size, now);
    this.#records.take(1, now);
  }

  /** `records` records of `bytes` in all, admitted elsewhere (another node). */
  chargeMany(records: number, bytes: number, now: number): void {
    this.#bytes.take(bytes, now);
    this.#records.take(records, now);
  }
}
