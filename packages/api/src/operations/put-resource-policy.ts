import type { OperationHandler } from '../operation-handler.js';
import type { PutResourcePolicyInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';
import { policyDocumentProblem } from '../authorization/policy-document.js';
import { resolveResource } from '../streams/resolve-resource.js';

/** For a stream or a consumer ARN; strict mode evaluates it (authorization/), so it must be a policy IAM would take. */
export const putResourcePolicy: OperationHandler<PutResourcePolicyInput> = async (input, { engine }) => {
  const { stream, consumer } = resolveResource(engine, input.ResourceARN);
  if (policyDocumentProblem(input.Policy, 'resource') !== undefined) throw kinesisError('InvalidArgumentException', messages.invalidResourcePolicy());
  await withEngineErrors(engine, () => engine.putResourcePolicy(stream, input.Policy, consumer));
  return undefined;
};
