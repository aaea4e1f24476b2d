import type { OperationHandler } from '../operation-handler.js';
import type { ListStreamsInput, ListStreamsOutput } from '../generated/kinesis/types.js';
import { decodePageToken, encodePageToken } from '../streams/page-token.js';
import { toStreamSummary } from '../streams/stream-shapes.js';

/** Default and cap of 100 streams a page (shared/reference/kinesis-api.md §1.9). */
const maxStreamsPerPage = 100;

export const listStreams: OperationHandler<ListStreamsInput, ListStreamsOutput> = async (input, { engine }) => {
  const now = engine.clock.now();
  const after = input.NextToken !== undefined
    ? decodePageToken<{ after: string }>(input.NextToken, now).after
    : input.ExclusiveStartStreamName;
  const limit = Math.min(input.Limit ?? maxStreamsPerPage, maxStreamsPerPage);
  const all = engine.listStreams();
  const candidates = after === undefined ? all : all.filter((s) => s.name > after);
  const page = candidates.slice(0, limit);
  const hasMore = candidates.length > page.length;
  return {
    StreamNames: page.map((s) => s.name),
    HasMoreStreams: hasMore,
    NextToken: hasMore ? encodePageToken({ after: page[page.length - 1]!.name }, now) : undefined,
    StreamSummaries: page.map(toStreamSummary),
  };
};
