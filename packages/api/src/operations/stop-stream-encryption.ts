import type { OperationHandler } from '../operation-handler.js';
import type { StopStreamEncryptionInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const stopStreamEncryption: OperationHandler<StopStreamEncryptionInput> = async (input, { engine }) => {
  const name = resolveStreamName(engine, input);
  await withEngineErrors(engine, () => engine.stopStreamEncryption(name, input.EncryptionType, input.KeyId));
  return undefined;
};
