import type { OperationHandler } from '../operation-handler.js';
import type { ListStreamConsumersInput, ListStreamConsumersOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';
import { toConsumer } from '../streams/consumer-shapes.js';
import { decodePageToken, encodePageToken } from '../streams/page-token.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

/** Default and cap of 100 consumers a page (reference §3.12). */
const maxConsumersPerPage = 100;

/** A NextToken carries the position after the last consumer listed, and the stream it belongs to. */
interface ListConsumersToken extends Record<string, unknown> {
  stream: string;
  createdAt: number;
  after: number;
}

export const listStreamConsumers: OperationHandler<ListStreamConsumersInput, ListStreamConsumersOutput> = async (input, { engine }) => {
  const now = engine.clock.now();
  const name = resolveStreamName(engine, { StreamARN: input.StreamARN });
  const stream = await withEngineErrors(engine, () => engine.describeStream(name));
  // A stream re-created under the same name is another stream (StreamCreationTimestamp's purpose, as in ListShards).
  const createdAt = input.StreamCreationTimestamp?.getTime();
  if (createdAt !== undefined && Math.floor(createdAt / 1000) !== Math.floor(stream.createdAt / 1000)) {
    throw kinesisError('ResourceNotFoundException', messages.streamNotFound(name, engine.config.accountId));
  }
  let after = 0;
  if (input.NextToken !== undefined) {
    const token = decodePageToken<ListConsumersToken>(input.NextToken, now);
    if (token.stream !== name || token.createdAt !== stream.createdAt || typeof token.after !== 'number') {
      throw kinesisError('InvalidArgumentException', messages.invalidNextToken());
    }
    after = token.after;
  }
  const consumers = engine.listConsumers(name);
  const limit = Math.min(input.MaxResults ?? maxConsumersPerPage, maxConsumersPerPage);
  const page = consumers.slice(after, after + limit);
  const next = after + page.length;
  return {
    Consumers: page.map(toConsumer),
    NextToken: next < consumers.length ? encodePageToken({ stream: name, createdAt: stream.createdAt, after: next }, now) : undefined,
  };
};
