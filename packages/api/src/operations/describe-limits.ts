import type { OperationHandler } from '../operation-handler.js';
import type { DescribeLimitsOutput } from '../generated/kinesis/types.js';

export const describeLimits: OperationHandler<unknown, DescribeLimitsOutput> = async (_input, { engine }) => {
  const limits = engine.describeLimits();
  return {
    ShardLimit: limits.shardLimit,
    OpenShardCount: limits.openShardCount,
    OnDemandStreamCount: limits.onDemandStreamCount,
    OnDemandStreamCountLimit: limits.onDemandStreamCountLimit,
    ChannelCount: engine.channels.count(),
    ChannelCountLimit: engine.channels.countLimit(),
  };
};
