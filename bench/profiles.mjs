// Workload sizes. `full` keeps a four-target run under ~10 minutes on 2 cores; `quick` is a ~1-minute smoke run.
// Every loop in the harness is bounded by both a count and a time taken from here.

export const profiles = {
  full: {
    name: 'full',
    recordBytes: 1024,
    warmUp: { durationMs: 2_000, maxOperations: 5_000 },
    putRecord: { shards: 4, concurrencies: [1, 16, 64], durationMs: 8_000, maxOperations: 1_000_000 },
    putRecords: { shards: 32, batchSize: 500, concurrency: 4, durationMs: 10_000, maxOperations: 10_000 },
    getRecords: { shards: 4, records: 200_000, loadConcurrency: 4, loadTimeoutMs: 90_000, limit: 10_000, readTimeoutMs: 90_000 },
    latency: { ratePerSecond: 200, durationMs: 10_000, drainMs: 5_000, emptyPollSleepMs: 1 },
    fanOut: {
      consumers: [1, 5, 20], ratePerSecond: 1_000, durationMs: 5_000, maxInFlight: 8,
      setupTimeoutMs: 15_000, primeTimeoutMs: 5_000, drainMs: 3_000, emptyPollSleepMs: 1,
    },
    stopTimeoutMs: 5_000,
    readyTimeoutMs: 30_000,
  },
  quick: {
    name: 'quick',
    recordBytes: 1024,
    warmUp: { durationMs: 300, maxOperations: 500 },
    putRecord: { shards: 4, concurrencies: [1, 16, 64], durationMs: 1_000, maxOperations: 100_000 },
    putRecords: { shards: 32, batchSize: 500, concurrency: 4, durationMs: 1_500, maxOperations: 1_000 },
    getRecords: { shards: 4, records: 10_000, loadConcurrency: 4, loadTimeoutMs: 8_000, limit: 10_000, readTimeoutMs: 10_000 },
    latency: { ratePerSecond: 100, durationMs: 2_000, drainMs: 2_000, emptyPollSleepMs: 1 },
    fanOut: {
      consumers: [1, 5, 20], ratePerSecond: 500, durationMs: 1_000, maxInFlight: 8,
      setupTimeoutMs: 10_000, primeTimeoutMs: 5_000, drainMs: 2_000, emptyPollSleepMs: 1,
    },
    stopTimeoutMs: 5_000,
    readyTimeoutMs: 30_000,
  },
};
