import type { OperationHandler } from '../operation-handler.js';
import type { UpdateStreamWarmThroughputInput, UpdateStreamWarmThroughputOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const updateStreamWarmThroughput: OperationHandler<UpdateStreamWarmThroughputInput, UpdateStreamWarmThroughputOutput> = async (
  input,
  { engine },
) => {
  const name = resolveStreamName(engine, input);
  const warm = await withEngineErrors(engine, () => engine.updateWarmThroughput(name, input.WarmThroughputMiBps));
  return {
    StreamARN: engine.streamArn(name),
    StreamName: name,
    WarmThroughput: { TargetMiBps: warm.targetMiBps, CurrentMiBps: warm.currentMiBps },
  };
};
