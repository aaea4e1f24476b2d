import type { RateShape } from './rate-shape.js';
import type { RunClock } from './run-clock.js';

/** Longest single wait, so that a stop (Ctrl-C, --duration) and the progress line are never held up by a slow rate. */
const MAX_WAIT_MS = 1000;

/**
 * Releases records at a rate shape's pace on an injected clock: record n (from 0) is due when dueBy(t) reaches n, so the
 * first goes at once. Records not sent on time (a slow stream) are released together at the next grant, up to its
 * maximum: the run catches up instead of drifting.
 */
export class RatePacer {
  private startMs: number | undefined;
  private released = 0;

  constructor(
    private readonly shape: RateShape,
    private readonly clock: RunClock,
  ) {}

  /**
   * Waits until at least one record is due and returns how many are (at most `max`); 0 when the signal aborted or the
   * deadline (epoch ms) came first.
   */
  async grant(max: number, deadlineMs = Number.POSITIVE_INFINITY, signal?: AbortSignal): Promise<number> {
    this.startMs ??= this.clock.now();
    for (;;) {
      if (signal?.aborted) return 0;
      const now = this.clock.now();
      if (now >= deadlineMs) return 0;
      const elapsed = (now - this.startMs) / 1000;
      const due = Math.floor(this.shape.dueBy(elapsed) + 1e-9) + 1;
      if (due > this.released) {
        const count = Math.min(max, due - this.released);
        this.released += count;
        return count;
      }
      const wait = Math.min(MAX_WAIT_MS, (this.secondsUntilDue(this.released, elapsed) - elapsed) * 1000, deadlineMs - now);
      await this.clock.sleep(Math.max(1, Math.ceil(wait)), signal);
    }
  }

  /** When dueBy first reaches `count`: found by doubling then bisection (dueBy may stay flat where the rate is 0). */
  private secondsUntilDue(count: number, from: number): number {
    let low = from;
    let high = from + 0.001;
    for (let i = 0; i < 60 && this.shape.dueBy(high) < count; i++) high = from + (high - from) * 2;
    for (let i = 0; i < 50; i++) {
      const middle = (low + high) / 2;
      if (this.shape.dueBy(middle) >= count) high = middle;
      else low = middle;
    }
    return high;
  }
}
