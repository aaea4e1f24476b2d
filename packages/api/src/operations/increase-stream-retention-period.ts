import type { OperationHandler } from '../operation-handler.js';
import type { IncreaseStreamRetentionPeriodInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const increaseStreamRetentionPeriod: OperationHandler<IncreaseStreamRetentionPeriodInput> = async (input, { engine }) => {
  await withEngineErrors(engine, () => engine.increaseRetention(resolveStreamName(engine, input), input.RetentionPeriodHours));
  return undefined;
};
