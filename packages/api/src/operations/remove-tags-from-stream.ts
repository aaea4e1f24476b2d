import type { OperationHandler } from '../operation-handler.js';
import type { RemoveTagsFromStreamInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const removeTagsFromStream: OperationHandler<RemoveTagsFromStreamInput> = async (input, { engine }) => {
  await withEngineErrors(engine, () => engine.removeTags(resolveStreamName(engine, input), input.TagKeys));
  return undefined;
};
