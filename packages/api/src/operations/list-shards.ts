import type { ShardSnapshot, StreamSnapshot } from '@riffle/engine';
import type { OperationHandler } from '../operation-handler.js';
import type { ListShardsInput, ListShardsOutput, ShardFilterType } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';
import { decodePageToken, encodePageToken } from '../streams/page-token.js';
import { resolveStreamName } from '../streams/resolve-stream.js';
import { toShard } from '../streams/stream-shapes.js';

/** Default and cap of 1000 shards a page (the model's documentation of MaxResults). */
const maxShardsPerPage = 1000;

interface Filter {
  type: ShardFilterType;
  shardId?: string;
  timestamp?: number;
}

/** What a NextToken carries: everything the first call said about which shards to list. */
interface ListShardsToken extends Record<string, unknown> {
  stream: string;
  createdAt: number;
  after?: string;
  filter?: Filter;
}

export const listShards: OperationHandler<ListShardsInput, ListShardsOutput> = async (input, { engine }) => {
  const now = engine.clock.now();
  const state = input.NextToken !== undefined ? fromToken(input, now) : fromRequest(input, engine);
  const stream = await withEngineErrors(engine, () => engine.describeStream(state.stream));
  // A stream re-created under the same name is another stream (StreamCreationTimestamp's purpose).
  if (stream.createdAt !== state.createdAt && Math.floor(stream.createdAt / 1000) !== Math.floor(state.createdAt / 1000)) {
    throw kinesisError('ResourceNotFoundException', messages.streamNotFound(state.stream, engine.config.accountId));
  }
  const after = state.after;
  const candidates = stream.shards.filter(
    (shard) => (after === undefined || shard.shardId > after) && matchesFilter(shard, stream, state.filter, now),
  );
  const limit = Math.min(input.MaxResults ?? maxShardsPerPage, maxShardsPerPage);
  const page = candidates.slice(0, limit);
  const hasMore = candidates.length > page.length;
  return {
    Shards: page.map(toShard),
    NextToken: hasMore ? encodePageToken({ ...state, after: page[page.length - 1]!.shardId }, now) : undefined,
  };
};

function fromToken(input: ListShardsInput, now: number): ListShardsToken {
  if (input.StreamName !== undefined) throw kinesisError('InvalidArgumentException', messages.listShardsTokenWithStream());
  if (input.ShardFilter !== undefined) throw kinesisError('InvalidArgumentException', messages.listShardsTokenWithFilter());
  if (input.ExclusiveStartShardId !== undefined) {
    throw kinesisError('InvalidArgumentException', messages.listShardsTokenWithOther('ExclusiveStartShardId'));
  }
  if (input.StreamCreationTimestamp !== undefined) {
    throw kinesisError('InvalidArgumentException', messages.listShardsTokenWithOther('StreamCreationTimestamp'));
  }
  const token = decodePageToken<ListShardsToken>(input.NextToken!, now);
  if (typeof token.stream !== 'string' || typeof token.createdAt !== 'number') {
    throw kinesisError('InvalidArgumentException', messages.invalidNextToken());
  }
  return token;
}

function fromRequest(input: ListShardsInput, engine: Parameters<OperationHandler>[1]['engine']): ListShardsToken {
  if (input.StreamName === undefined && input.StreamARN === undefined) {
    throw kinesisError('InvalidArgumentException', messages.listShardsNeedsStreamOrToken());
  }
  const name = resolveStreamName(engine, input);
  const filter = input.ShardFilter === undefined ? undefined : toFilter(input.ShardFilter);
  const stream = engine.listStreams().find((s) => s.name === name);
  const createdAt = input.StreamCreationTimestamp?.getTime() ?? stream?.createdAt ?? 0;
  return { stream: name, createdAt, after: input.ExclusiveStartShardId, filter };
}

function toFilter(filter: NonNullable<ListShardsInput['ShardFilter']>): Filter {
  const type = filter.Type;
  if (type === 'AFTER_SHARD_ID' && filter.ShardId === undefined) {
    throw kinesisError('InvalidArgumentException', messages.shardFilterNeedsShardId());
  }
  if ((type === 'AT_TIMESTAMP' || type === 'FROM_TIMESTAMP') && filter.Timestamp === undefined) {
    throw kinesisError('InvalidArgumentException', messages.shardFilterNeedsTimestamp(type));
  }
  return { type, shardId: filter.ShardId, timestamp: filter.Timestamp?.getTime() };
}

/**
 * ShardFilter semantics (the model's ShardFilter documentation): AT_LATEST = open shards; AT_TRIM_HORIZON = shards
 * open at the trim horizon; FROM_TRIM_HORIZON = every unexpired shard; AT_TIMESTAMP = shards open at T;
 * FROM_TIMESTAMP = shards open at or after T; AFTER_SHARD_ID = shards whose id follows ShardId.
 */
function matchesFilter(shard: ShardSnapshot, stream: StreamSnapshot, filter: Filter | undefined, now: number): boolean {
  if (filter === undefined) return true;
  const isOpen = shard.endingSequenceNumber === undefined;
  switch (filter.type) {
    case 'AT_LATEST':
      return isOpen;
    case 'FROM_TRIM_HORIZON':
      return true;
    case 'AT_TRIM_HORIZON':
      return openAt(shard, Math.max(now - stream.retentionHours * 3_600_000, stream.createdAt));
    case 'AT_TIMESTAMP':
      return openAt(shard, Math.max(filter.timestamp!, stream.createdAt));
    case 'FROM_TIMESTAMP':
      return shard.closedAt === undefined || shard.closedAt >= filter.timestamp!;
    case 'AFTER_SHARD_ID':
      return shard.shardId > filter.shardId!;
  }
}

function openAt(shard: ShardSnapshot, time: number): boolean {
  return shard.openedAt <= time && (shard.closedAt === undefined || shard.closedAt > time);
}
