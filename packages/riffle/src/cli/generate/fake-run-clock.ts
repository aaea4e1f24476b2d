import type { RunClock } from './run-clock.js';

/** A clock for unit tests: sleeping advances it at once, and every sleep is recorded. */
export class FakeRunClock implements RunClock {
  readonly sleeps: number[] = [];

  constructor(public time = Date.UTC(2024, 0, 1)) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
  }
}
