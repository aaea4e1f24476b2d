import type { OperationHandler } from '../operation-handler.js';
import type { TagResourceInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveResource } from '../streams/resolve-resource.js';

export const tagResource: OperationHandler<TagResourceInput> = async (input, { engine }) => {
  const { stream, consumer } = resolveResource(engine, input.ResourceARN);
  await withEngineErrors(engine, () =>
    consumer === undefined
      ? engine.addTags(stream, input.Tags)
      : engine.addConsumerTags(stream, consumer.name, input.Tags, consumer.createdAtSeconds),
  );
  return undefined;
};
