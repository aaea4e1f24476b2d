/** Whatever a clock's setTimeout returns; only its own clearTimeout understands it. */
export type TimerHandle = unknown;

/** Time, injected so that expiry, retention and lifecycle delays are testable without waiting. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls fn once after ms; a returned promise is awaited by clocks that can (FakeClock). */
  setTimeout(fn: () => void | Promise<void>, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(() => void fn(), ms);
    // Lifecycle timers must never keep a process alive on their own.
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
