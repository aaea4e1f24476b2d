import type { OperationHandler } from '../operation-handler.js';
import type { PutResourcePolicyInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolvePolicyStream } from '../streams/resolve-resource.js';

/** Stored and returned; evaluating it against callers is the security work's. */
export const putResourcePolicy: OperationHandler<PutResourcePolicyInput> = async (input, { engine }) => {
  const name = resolvePolicyStream(engine, input.ResourceARN);
  await withEngineErrors(engine, () => engine.putResourcePolicy(name, input.Policy));
  return undefined;
};
