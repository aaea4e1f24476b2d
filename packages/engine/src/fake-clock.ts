import type { Clock, TimerHandle } from './clock.js';

interface PendingTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly fn: () => void | Promise<void>;
}

/** Timers run by one advance() before it gives up, so a timer that reschedules itself cannot spin forever. */
const MAX_TIMERS_PER_ADVANCE = 100_000;

/** A clock that moves only when told to; advance() runs due timers in order and awaits what they return. */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: PendingTimer[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void | Promise<void>, ms: number): TimerHandle {
    const timer = { id: this.#nextId++, dueAt: this.#now + Math.max(0, ms), fn };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Timers not yet run. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by ms (0 runs timers already due), running each timer at its due time. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + Math.max(0, ms);
    for (let ran = 0; ran < MAX_TIMERS_PER_ADVANCE; ran++) {
      const next = this.#nextDue(target);
      if (!next) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      this.#now = Math.max(this.#now, next.dueAt);
      await next.fn();
    }
    this.#now = target;
  }

  #nextDue(target: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.dueAt > target) continue;
      if (!best || timer.dueAt < best.dueAt || (timer.dueAt === best.dueAt && timer.id < best.id)) best = timer;
    }
    return best;
  }
}
