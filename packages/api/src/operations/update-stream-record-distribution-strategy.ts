import type { OperationHandler } from '../operation-handler.js';
import type { UpdateStreamRecordDistributionStrategyInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const updateStreamRecordDistributionStrategy: OperationHandler<UpdateStreamRecordDistributionStrategyInput> = async (
  input,
  { engine },
) => {
  const name = resolveStreamName(engine, input);
  await withEngineErrors(engine, () => engine.updateRecordDistribution(name, input.RecordDistributionStrategy));
  return undefined;
};
