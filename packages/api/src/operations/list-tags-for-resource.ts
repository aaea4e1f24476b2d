import type { OperationHandler } from '../operation-handler.js';
import type { ListTagsForResourceInput, ListTagsForResourceOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveResource } from '../streams/resolve-resource.js';

export const listTagsForResource: OperationHandler<ListTagsForResourceInput, ListTagsForResourceOutput> = async (input, { engine }) => {
  const { stream, consumer } = resolveResource(engine, input.ResourceARN);
  const tags = await withEngineErrors(engine, () =>
    consumer === undefined ? engine.listTags(stream) : engine.listConsumerTags(stream, consumer.name, consumer.createdAtSeconds),
  );
  return { Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) };
};
