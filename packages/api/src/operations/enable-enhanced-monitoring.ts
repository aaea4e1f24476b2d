import type { OperationHandler } from '../operation-handler.js';
import type { EnableEnhancedMonitoringInput, EnhancedMonitoringOutput } from '../generated/kinesis/types.js';
import { updateShardLevelMetrics } from '../streams/shard-level-metrics.js';

export const enableEnhancedMonitoring: OperationHandler<EnableEnhancedMonitoringInput, EnhancedMonitoringOutput> = (
  input,
  context,
) => updateShardLevelMetrics(input, context.engine, true);
