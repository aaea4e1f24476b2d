import type { OperationHandler } from '../operation-handler.js';
import type { UntagResourceInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveTaggableStream } from '../streams/resolve-resource.js';

export const untagResource: OperationHandler<UntagResourceInput> = async (input, { engine }) => {
  await withEngineErrors(engine, () => engine.removeTags(resolveTaggableStream(engine, input.ResourceARN), input.TagKeys));
  return undefined;
};
