import type { OperationHandler } from '../operation-handler.js';
import type { PutResourcePolicyInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveResource } from '../streams/resolve-resource.js';

/** Stored and returned, for a stream or a consumer ARN; evaluating it against callers is the security work's. */
export const putResourcePolicy: OperationHandler<PutResourcePolicyInput> = async (input, { engine }) => {
  const { stream, consumer } = resolveResource(engine, input.ResourceARN);
  await withEngineErrors(engine, () => engine.putResourcePolicy(stream, input.Policy, consumer));
  return undefined;
};
