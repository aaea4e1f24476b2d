import type { OperationHandler } from '../operation-handler.js';
import type { StartStreamEncryptionInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

/** Records written once the stream is ACTIVE again are stored encrypted and carry EncryptionType KMS (engine, encryption/). */
export const startStreamEncryption: OperationHandler<StartStreamEncryptionInput> = async (input, { engine }) => {
  const name = resolveStreamName(engine, input);
  await withEngineErrors(engine, () => engine.startStreamEncryption(name, input.EncryptionType, input.KeyId));
  return undefined;
};
