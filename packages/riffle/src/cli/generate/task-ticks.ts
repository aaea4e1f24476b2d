import type { TaskTimer } from './metrics-task.js';
import type { RunClock } from './run-clock.js';

/**
 * The ticks of a task's timer, each with the time to stamp on its records. `realtime`: tick i is due at start + i *
 * rateMillis of the clock (a late tick fires at once, the next ones keep the schedule) and is stamped with the clock
 * when it fires; the task's startTime is not used (the lab's own sample output is stamped with the wall clock, not with
 * its task's startTime). `synthetic`: no waiting, tick i is stamped startTime + i * stepMillis.
 */
export async function* taskTicks(timer: TaskTimer, iterations: number, clock: RunClock, signal?: AbortSignal): AsyncGenerator<{ index: number; timestampMs: number }> {
  const start = clock.now();
  for (let index = 0; index < iterations; index++) {
    if (signal?.aborted) return;
    if (timer.type === 'synthetic') {
      yield { index, timestampMs: timer.startTime + index * timer.stepMillis };
      continue;
    }
    const due = start + index * timer.rateMillis;
    const wait = due - clock.now();
    if (wait > 0) await clock.sleep(wait, signal);
    if (signal?.aborted) return;
    yield { index, timestampMs: clock.now() };
  }
}
