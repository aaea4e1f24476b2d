import type { OperationHandler } from '../operation-handler.js';
import type { ListTagsForStreamInput, ListTagsForStreamOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

/** A stream holds at most 50 tags, the model's Limit maximum, so the default page returns them all. */
const defaultTagsPerPage = 50;

export const listTagsForStream: OperationHandler<ListTagsForStreamInput, ListTagsForStreamOutput> = async (input, { engine }) => {
  const tags = await withEngineErrors(engine, () => engine.listTags(resolveStreamName(engine, input)));
  const after = input.ExclusiveStartTagKey;
  const candidates = after === undefined ? tags : tags.filter((t) => t.key > after);
  const page = candidates.slice(0, input.Limit ?? defaultTagsPerPage);
  return { Tags: page.map((t) => ({ Key: t.key, Value: t.value })), HasMoreTags: candidates.length > page.length };
};
