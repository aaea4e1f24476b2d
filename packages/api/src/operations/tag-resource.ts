import type { OperationHandler } from '../operation-handler.js';
import type { TagResourceInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveTaggableStream } from '../streams/resolve-resource.js';

export const tagResource: OperationHandler<TagResourceInput> = async (input, { engine }) => {
  await withEngineErrors(engine, () => engine.addTags(resolveTaggableStream(engine, input.ResourceARN), input.Tags));
  return undefined;
};
