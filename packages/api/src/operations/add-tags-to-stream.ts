import type { OperationHandler } from '../operation-handler.js';
import type { AddTagsToStreamInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const addTagsToStream: OperationHandler<AddTagsToStreamInput> = async (input, { engine }) => {
  await withEngineErrors(engine, () => engine.addTags(resolveStreamName(engine, input), input.Tags));
  return undefined;
};
