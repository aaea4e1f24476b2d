/** Calls per second an operation allows, per account or per stream. */
export interface ControlPlaneRate {
  readonly perSecond: number;
  readonly per: 'account' | 'stream';
}

/**
 * AWS's published per-call limits of the control-plane operations: each operation's documentation in the model
 * (botocore 1.43.11), or the 2023 quota table where the model gives none; shared/reference/kinesis-api.md §2.1, §2.2.
 * Operations AWS publishes no rate for (the resource-policy and TagResource families, UpdateMaxRecordSize,
 * UpdateStreamRecordDistributionStrategy) are not limited; neither are the rolling-24-hour rules
 * (StartStreamEncryption, UpdateStreamMode, UpdateShardCount's ten a day), which are the operations' own checks.
 * The data plane (PutRecord(s), GetRecords, GetShardIterator, SubscribeToShard) is the engine's.
 */
export const controlPlaneRates: Readonly<Record<string, ControlPlaneRate>> = {
  AddTagsToStream: { perSecond: 5, per: 'account' },
  CreateStream: { perSecond: 5, per: 'account' },
  DecreaseStreamRetentionPeriod: { perSecond: 5, per: 'account' },
  DeleteStream: { perSecond: 5, per: 'account' },
  DeregisterStreamConsumer: { perSecond: 5, per: 'stream' },
  DescribeAccountSettings: { perSecond: 5, per: 'account' },
  DescribeLimits: { perSecond: 1, per: 'account' },
  DescribeStream: { perSecond: 10, per: 'account' },
  DescribeStreamConsumer: { perSecond: 20, per: 'stream' },
  DescribeStreamSummary: { perSecond: 20, per: 'account' },
  DisableEnhancedMonitoring: { perSecond: 5, per: 'account' },
  EnableEnhancedMonitoring: { perSecond: 5, per: 'account' },
  IncreaseStreamRetentionPeriod: { perSecond: 5, per: 'account' },
  ListShards: { perSecond: 1000, per: 'stream' },
  ListStreamConsumers: { perSecond: 5, per: 'stream' },
  ListStreams: { perSecond: 5, per: 'account' },
  ListTagsForStream: { perSecond: 5, per: 'account' },
  MergeShards: { perSecond: 5, per: 'account' },
  RegisterStreamConsumer: { perSecond: 5, per: 'account' },
  RemoveTagsFromStream: { perSecond: 5, per: 'account' },
  SplitShard: { perSecond: 5, per: 'account' },
  UpdateAccountSettings: { perSecond: 5, per: 'account' },
  UpdateShardCount: { perSecond: 10, per: 'account' },
  UpdateStreamWarmThroughput: { perSecond: 5, per: 'account' },
  CreateChannel: { perSecond: 5, per: 'account' },
  DescribeChannel: { perSecond: 5, per: 'account' },
  ListChannels: { perSecond: 5, per: 'account' },
  UpdateChannel: { perSecond: 5, per: 'account' },
  DeleteChannel: { perSecond: 5, per: 'account' },
};
