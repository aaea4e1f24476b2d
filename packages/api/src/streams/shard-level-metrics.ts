import type { Engine } from '@riffle/engine';
import type { EnhancedMonitoringOutput, MetricsName } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from './resolve-stream.js';

/** Enable/DisableEnhancedMonitoring: Current is the list before the call, Desired the list after it. */
export async function updateShardLevelMetrics(
  input: { StreamName?: string; StreamARN?: string; ShardLevelMetrics: MetricsName[] },
  engine: Engine,
  enable: boolean,
): Promise<EnhancedMonitoringOutput> {
  const name = resolveStreamName(engine, input);
  const change = await withEngineErrors(engine, () => engine.updateShardLevelMetrics(name, input.ShardLevelMetrics, enable));
  return {
    StreamName: name,
    CurrentShardLevelMetrics: change.current,
    DesiredShardLevelMetrics: change.desired,
    StreamARN: engine.streamArn(name),
  };
}
