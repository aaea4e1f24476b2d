import type { OperationHandler } from '../operation-handler.js';
import type { UpdateStreamModeInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const updateStreamMode: OperationHandler<UpdateStreamModeInput> = async (input, { engine }) => {
  const name = resolveStreamName(engine, input);
  const mode = input.StreamModeDetails.StreamMode;
  await withEngineErrors(engine, () => engine.updateStreamMode(name, mode, input.WarmThroughputMiBps));
  return undefined;
};
