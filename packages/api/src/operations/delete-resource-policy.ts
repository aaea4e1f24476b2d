import type { OperationHandler } from '../operation-handler.js';
import type { DeleteResourcePolicyInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolvePolicyStream } from '../streams/resolve-resource.js';

export const deleteResourcePolicy: OperationHandler<DeleteResourcePolicyInput> = async (input, { engine }) => {
  const name = resolvePolicyStream(engine, input.ResourceARN);
  await withEngineErrors(engine, () => engine.deleteResourcePolicy(name));
  return undefined;
};
