import type { OperationHandler } from '../operation-handler.js';
import type { UpdateMaxRecordSizeInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

/** The model's range (1024..10240 KiB) has been checked already. */
export const updateMaxRecordSize: OperationHandler<UpdateMaxRecordSizeInput> = async (input, { engine }) => {
  const name = resolveStreamName(engine, input);
  await withEngineErrors(engine, () => engine.updateMaxRecordSize(name, input.MaxRecordSizeInKiB));
  return undefined;
};
