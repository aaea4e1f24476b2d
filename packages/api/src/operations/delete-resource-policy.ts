import type { OperationHandler } from '../operation-handler.js';
import type { DeleteResourcePolicyInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveResource } from '../streams/resolve-resource.js';

export const deleteResourcePolicy: OperationHandler<DeleteResourcePolicyInput> = async (input, { engine }) => {
  const { stream, consumer } = resolveResource(engine, input.ResourceARN);
  await withEngineErrors(engine, () => engine.deleteResourcePolicy(stream, consumer));
  return undefined;
};
