import type { OperationHandler } from '../operation-handler.js';
import type { DeleteStreamInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const deleteStream: OperationHandler<DeleteStreamInput> = async (input, { engine }) => {
  await withEngineErrors(engine, () =>
    engine.deleteStream(resolveStreamName(engine, input), { enforceConsumerDeletion: input.EnforceConsumerDeletion === true }),
  );
  return undefined;
};
