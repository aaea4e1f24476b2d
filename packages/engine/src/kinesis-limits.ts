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
  /** Registered consumers per stream: 20, or 50 for On-demand Advantage streams (developer guide, quotas). */
  consumersPerStream: 20,
  consumersPerAdvantageStream: 50,
  /** RegisterStreamConsumer: at most 5 consumers CREATING at once. */
  consumersCreatingAtOnce: 5,
  /** UpdateShardCount cannot go past it (nor scale a bigger stream unless the result is smaller). */
  maxShardsPerStream: 10_000,
  /** Per stream per rolling 24 hours (UpdateShardCount, UpdateStreamMode, Start/StopStreamEncryption API references). */
  scalingOperationsPerDay: 10,
  modeSwitchesPerDay: 2,
  encryptionChangesPerDay: 25,
  /** A MinimumThroughputBillingCommitment lasts at least 24 hours. */
  billingCommitmentMinimumMs: 24 * 3_600_000,
  /** 10 GiB/s (UpdateStreamWarmThroughput API reference). */
  maxWarmThroughputMiBps: 10_240,
} as const;
