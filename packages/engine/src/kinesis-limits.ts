/** Fixed Kinesis limits (reference §3.5-3.11); account quotas that vary are in EngineConfig. */
export const KINESIS_LIMITS = {
  minRetentionHours: 24,
  maxRetentionHours: 8760,
  defaultRetentionHours: 24,
  defaultMaxRecordSizeKiB: 1024,
  tagsPerStream: 50,
  streamsCreatingAtOnce: 5,
  onDemandInitialShards: 4,
  getRecordsMaxRecords: 10_000,
  getRecordsMaxBytes: 10 * 1024 * 1024,
} as const;
