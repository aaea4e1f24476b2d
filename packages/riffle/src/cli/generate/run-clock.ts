import { sleep } from '../sleep.js';

/** Time as a run sees it: injected, so that schedules and rates are unit-tested without waiting. */
export interface RunClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`, or early (never rejecting) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: RunClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => (ms <= 0 ? Promise.resolve() : sleep(ms, signal)),
};
