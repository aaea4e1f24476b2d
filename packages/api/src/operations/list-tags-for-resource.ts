import type { OperationHandler } from '../operation-handler.js';
import type { ListTagsForResourceInput, ListTagsForResourceOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveTaggableStream } from '../streams/resolve-resource.js';

export const listTagsForResource: OperationHandler<ListTagsForResourceInput, ListTagsForResourceOutput> = async (input, { engine }) => {
  const tags = await withEngineErrors(engine, () => engine.listTags(resolveTaggableStream(engine, input.ResourceARN)));
  return { Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) };
};
