import { sleep as signalSleep } from '../sleep.js';

/** Polls until a condition holds, a bounded number of times: streams and consumers become ACTIVE asynchronously. */
export interface Waiter {
  until(what: string, done: () => Promise<boolean>): Promise<void>;
}

export interface WaiterOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly sleep?: (ms: number) => Promise<unknown>;
  readonly signal?: AbortSignal | undefined;
}

export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

export function pollingWaiter(options: WaiterOptions): Waiter {
  // The shared sleep ends early on Ctrl-C, which the loop then reports.
  const sleep = options.sleep ?? ((ms: number) => signalSleep(ms, options.signal));
  const attempts = Math.max(1, Math.ceil(options.timeoutMs / options.intervalMs));
  return {
    async until(what, done) {
      for (let attempt = 0; attempt < attempts; attempt++) {
        if (options.signal?.aborted) throw new WaitTimeoutError(`interrupted while waiting for ${what}`);
        if (await done()) return;
        await sleep(options.intervalMs);
      }
      throw new WaitTimeoutError(`gave up waiting for ${what} after ${Math.round(options.timeoutMs / 1000)} s`);
    },
  };
}
