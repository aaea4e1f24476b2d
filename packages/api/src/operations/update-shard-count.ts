import type { OperationHandler } from '../operation-handler.js';
import type { UpdateShardCountInput, UpdateShardCountOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

/** ScalingType has one value, UNIFORM_SCALING; the model's enum check has already refused any other. */
export const updateShardCount: OperationHandler<UpdateShardCountInput, UpdateShardCountOutput> = async (input, { engine }) => {
  const name = resolveStreamName(engine, input);
  const { current, target } = await withEngineErrors(engine, () => engine.updateShardCount(name, input.TargetShardCount));
  return { StreamName: name, CurrentShardCount: current, TargetShardCount: target, StreamARN: engine.streamArn(name) };
};
