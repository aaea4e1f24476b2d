import type { OperationHandler } from '../operation-handler.js';
import type { GetResourcePolicyInput, GetResourcePolicyOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolvePolicyStream } from '../streams/resolve-resource.js';

/** A resource without a policy answers an empty policy document (see messages: noResourcePolicy). */
export const getResourcePolicy: OperationHandler<GetResourcePolicyInput, GetResourcePolicyOutput> = async (input, { engine }) => {
  const name = resolvePolicyStream(engine, input.ResourceARN);
  const policy = await withEngineErrors(engine, () => engine.getResourcePolicy(name));
  return { Policy: policy ?? '{}' };
};
