/** How the commands wait: injected, so that unit tests never wait for real. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Waits ms, or less when the signal aborts (Ctrl-C): it resolves then, and the caller checks `signal.aborted`. */
export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
