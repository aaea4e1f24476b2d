import type { OperationHandler } from '../operation-handler.js';
import type { UntagResourceInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveResource } from '../streams/resolve-resource.js';

export const untagResource: OperationHandler<UntagResourceInput> = async (input, { engine }) => {
  const { stream, consumer } = resolveResource(engine, input.ResourceARN);
  await withEngineErrors(engine, () =>
    consumer === undefined
      ? engine.removeTags(stream, input.TagKeys)
      : engine.removeConsumerTags(stream, consumer.name, input.TagKeys, consumer.createdAtSeconds),
  );
  return undefined;
};
