import type { OperationHandler } from '../operation-handler.js';
import type { ListChannelsInput, ListChannelsOutput } from '../generated/kinesis/types.js';
import { toChannelSummary } from '../channels/channel-shapes.js';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';
import { decodePageToken, encodePageToken } from '../streams/page-token.js';

/** "The default value is 100. If you specify a value greater than 100, at most 100 results are returned." */
const maxChannelsPerPage = 100;

/** What a NextToken carries: the name of the last channel listed. The filter comes with every call, as SDK paginators send it. */
interface ListChannelsToken extends Record<string, unknown> {
  after: string;
}

export const listChannels: OperationHandler<ListChannelsInput, ListChannelsOutput> = async (input, { engine }) => {
  const now = engine.clock.now();
  let after: string | undefined;
  if (input.NextToken !== undefined) {
    const token = decodePageToken<ListChannelsToken>(input.NextToken, now);
    if (typeof token.after !== 'string') throw kinesisError('InvalidArgumentException', messages.invalidNextToken());
    after = token.after;
  }
  const filters = input.StreamFilter;
  const candidates = engine.channels.list().filter(
    (channel) =>
      (after === undefined || channel.name > after) &&
      (filters === undefined ||
        filters.some(
          (filter) =>
            filter.StreamARN === channel.stream.arn &&
            // A stream re-created under the same name is another stream (the member's purpose, as in ListShards).
            (filter.StreamCreationTimestamp === undefined ||
              Math.floor(filter.StreamCreationTimestamp.getTime() / 1000) === Math.floor(channel.stream.createdAt / 1000)),
        )),
  );
  const page = candidates.slice(0, Math.min(input.MaxResults ?? maxChannelsPerPage, maxChannelsPerPage));
  return {
    ChannelSummaries: page.map(toChannelSummary),
    NextToken: candidates.length > page.length ? encodePageToken({ after: page[page.length - 1]!.name }, now) : undefined,
  };
};
