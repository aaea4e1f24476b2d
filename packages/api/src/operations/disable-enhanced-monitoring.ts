import type { OperationHandler } from '../operation-handler.js';
import type { DisableEnhancedMonitoringInput, EnhancedMonitoringOutput } from '../generated/kinesis/types.js';
import { updateShardLevelMetrics } from '../streams/shard-level-metrics.js';

export const disableEnhancedMonitoring: OperationHandler<DisableEnhancedMonitoringInput, EnhancedMonitoringOutput> = (
  input,
  context,
) => updateShardLevelMetrics(input, context.engine, false);
