import { SHARD_LIMITS } from './shard-limits.js';
import { TokenBucket } from './token-bucket.js';
import { WriteBudget } from './write-budget.js';

/**
 * One shard's data-plane budgets: writes (1 MiB/s and 1,000 records/s), GetRecords (5 calls/s and 2 MiB/s, with
 * the penalties the model documents) and GetShardIterator (5 calls/s).
 */
export class ShardThroughput {
  readonly writes: WriteBudget;
  readonly #readCalls: TokenBucket;
  readonly #readBytes: TokenBucket;
  readonly #iteratorCalls: TokenBucket;
  #readsRefusedUntil = Number.NEGATIVE_INFINITY;

  constructor(now: number) {
    this.writes = new WriteBudget(SHARD_LIMITS.writeBytesPerSecond, SHARD_LIMITS.writeRecordsPerSecond, now);
    const calls = SHARD_LIMITS.getRecordsCallsPerSecond;
    this.#readCalls = new TokenBucket(calls, calls, now);
    this.#readBytes = new TokenBucket(SHARD_LIMITS.readBytesPerSecond, SHARD_LIMITS.readBytesPerSecond, now);
    const iterators = SHARD_LIMITS.getShardIteratorCallsPerSecond;
    this.#iteratorCalls = new TokenBucket(iterators, iterators, now);
  }

  /**
   * A GetRecords call is admitted outside a penalty, while the read bandwidth is not overdrawn, and within 5 calls a
   * second; an admitted call uses one call of the budget.
   */
  admitGetRecords(now: number): boolean {
    if (now < this.#readsRefusedUntil) return false;
    if (this.#readBytes.available(now) < 0) return false;
    return this.#readCalls.tryTake(1, now);
  }

  /**
   * Charges what an admitted call returned. A call is never cut short by the bandwidth (AWS returns up to 10 MiB);
   * instead the calls after it are refused: for 5 s after one that returned the per-call maximum, for 1 s after one
   * that overdrew 2 MiB/s, and then until the overdraft is paid back.
   */
  chargeRead(bytes: number, reachedCallMaximum: boolean, now: number): void {
    this.#readBytes.take(bytes, now);
    if (reachedCallMaximum) this.#refuseReadsUntil(now + SHARD_LIMITS.fullReadPenaltyMs);
    else if (this.#readBytes.available(now) < 0) this.#refuseReadsUntil(now + SHARD_LIMITS.readRatePenaltyMs);
  }

  /**
   * Calls another node admitted: they use this shard's 5 calls a second too, and their bytes its 2 MiB/s (an
   * overdraft refuses the next calls here as it does there).
   */
  chargePeerReads(calls: number, bytes: number, now: number): void {
    this.#readCalls.take(calls, now);
    this.#readBytes.take(bytes, now);
  }

  admitGetShardIterator(now: number): boolean {
    return this.#iteratorCalls.tryTake(1, now);
  }

  #refuseReadsUntil(until: number): void {
    this.#readsRefusedUntil = Math.max(this.#readsRefusedUntil, until);
  }
}
