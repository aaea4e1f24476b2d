import type { OperationHandler } from '../operation-handler.js';
import type { DecreaseStreamRetentionPeriodInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const decreaseStreamRetentionPeriod: OperationHandler<DecreaseStreamRetentionPeriodInput> = async (input, { engine }) => {
  await withEngineErrors(engine, () => engine.decreaseRetention(resolveStreamName(engine, input), input.RetentionPeriodHours));
  return undefined;
};
