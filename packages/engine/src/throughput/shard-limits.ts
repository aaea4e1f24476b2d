const MiB = 1024 * 1024;

/**
 * AWS's per-shard data-plane limits: the model's documentation of PutRecords, GetRecords and GetShardIterator,
 * summarised in shared/reference/kinesis-api.md §3.4-3.6.
 */
export const SHARD_LIMITS = {
  /** Data plus partition key bytes written per second. */
  writeBytesPerSecond: MiB,
  writeRecordsPerSecond: 1000,
  /** Shared by every caller of the shard. */
  getRecordsCallsPerSecond: 5,
  readBytesPerSecond: 2 * MiB,
  getShardIteratorCallsPerSecond: 5,
  /** Reads refused after a GetRecords call that returned the per-call maximum (10 MiB). */
  fullReadPenaltyMs: 5000,
  /** Reads refused after a call that took the shard above its read bandwidth. */
  readRatePenaltyMs: 1000,
} as const;
