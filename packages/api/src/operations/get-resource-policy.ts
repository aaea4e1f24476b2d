import type { OperationHandler } from '../operation-handler.js';
import type { GetResourcePolicyInput, GetResourcePolicyOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveResource } from '../streams/resolve-resource.js';

/** A resource without a policy answers `{}` (a LocalStack fork snapshot-tested against AWS: packages/api/src/errors/sources/resharding-and-settings.md §6). */
export const getResourcePolicy: OperationHandler<GetResourcePolicyInput, GetResourcePolicyOutput> = async (input, { engine }) => {
  const { stream, consumer } = resolveResource(engine, input.ResourceARN);
  const policy = await withEngineErrors(engine, () => engine.getResourcePolicy(stream, consumer));
  return { Policy: policy ?? '{}' };
};
