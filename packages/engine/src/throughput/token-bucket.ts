/**
 * A token bucket: at most `capacity` tokens, refilled continuously at `perSecond`, full when made. Time is passed
 * in (epoch ms from the engine's Clock), so that tests move it with a FakeClock instead of waiting.
 *
 * An amount larger than the whole bucket can still be taken when the bucket is full: the balance goes negative
 * and later takes wait until the debt is refilled. That is how a record bigger than a second's budget gets
 * through without raising the sustained rate.
 */
export class TokenBucket {
  readonly capacity: number;
  readonly perSecond: number;
  #tokens: number;
  #updatedAt: number;

  constructor(capacity: number, perSecond: number, now: number) {
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.#tokens = capacity;
    this.#updatedAt = now;
  }

  /** Tokens now; negative while a debt is being refilled. */
  available(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /** Whether `amount` could be taken now: enough tokens, or a full bucket for an amount the bucket cannot hold. */
  canTake(amount: number, now: number): boolean {
    const tokens = this.available(now);
    return tokens >= amount || tokens >= this.capacity;
  }

  /** Takes `amount` whatever the balance (callers that must not overdraw ask canTake first). */
  take(amount: number, now: number): void {
    this.#refill(now);
    this.#tokens -= amount;
  }

  /** canTake, then take. */
  tryTake(amount: number, now: number): boolean {
    if (!this.canTake(amount, now)) return false;
    this.#tokens -= amount;
    return true;
  }

  #refill(now: number): void {
    // A clock stepped backwards refills nothing, and refilling resumes from the new time (never a stall).
    const elapsed = Math.max(0, now - this.#updatedAt);
    if (elapsed > 0) this.#tokens = Math.min(this.capacity, this.#tokens + (elapsed * this.perSecond) / 1000);
    this.#updatedAt = now;
  }
}
