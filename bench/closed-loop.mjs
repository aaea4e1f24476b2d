// Closed-loop load: `concurrency` workers each issue one operation, wait for it, issue the next,
// until the operation count or the time budget runs out (or too many errors show the server is broken).
import { LatencySamples } from './stats.mjs';

const MAX_ERRORS = 20;

/**
 * @param {{ concurrency: number, durationMs: number, maxOperations: number, operation: (index: number) => Promise<void> }} options
 * @returns {Promise<{ completed: number, elapsedMs: number, latencies: LatencySamples, errorCount: number, firstError?: Error }>}
 */
export async function runClosedLoop({ concurrency, durationMs, maxOperations, operation }) {
  const latencies = new LatencySamples();
  let issued = 0;
  let completed = 0;
  let errorCount = 0;
  let firstError;
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  let lastCompletionAt = startedAt;

  const worker = async () => {
    while (issued < maxOperations && performance.now() < deadline && errorCount < MAX_ERRORS) {
      const index = issued++;
      const sentAt = performance.now();
      try {
        await operation(index);
        lastCompletionAt = performance.now();
        latencies.add(lastCompletionAt - sentAt);
        completed += 1;
      } catch (error) {
        errorCount += 1;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { completed, elapsedMs: lastCompletionAt - startedAt, latencies, errorCount, firstError };
}
