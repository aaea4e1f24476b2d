import type { OperationHandler } from '../operation-handler.js';
import { addTagsToStream } from './add-tags-to-stream.js';
import { createChannel } from './create-channel.js';
import { createStream } from './create-stream.js';
import { decreaseStreamRetentionPeriod } from './decrease-stream-retention-period.js';
import { deleteChannel } from './delete-channel.js';
import { deleteStream } from './delete-stream.js';
import { describeChannel } from './describe-channel.js';
import { describeLimits } from './describe-limits.js';
import { describeStream } from './describe-stream.js';
import { describeStreamSummary } from './describe-stream-summary.js';
import { getRecords } from './get-records.js';
import { getShardIterator } from './get-shard-iterator.js';
import { increaseStreamRetentionPeriod } from './increase-stream-retention-period.js';
import { listChannels } from './list-channels.js';
import { listShards } from './list-shards.js';
import { listStreams } from './list-streams.js';
import { listTagsForResource } from './list-tags-for-resource.js';
import { listTagsForStream } from './list-tags-for-stream.js';
import { putRecord } from './put-record.js';
import { putRecords } from './put-records.js';
import { removeTagsFromStream } from './remove-tags-from-stream.js';
import { tagResource } from './tag-resource.js';
import { untagResource } from './untag-resource.js';
import { updateChannel } from './update-channel.js';

/** The implemented operations by model name; the rest of the model answers UnknownOperationException. */
export const operationHandlers: Readonly<Record<string, OperationHandler>> = {
  AddTagsToStream: addTagsToStream,
  CreateChannel: createChannel,
  CreateStream: createStream,
  DecreaseStreamRetentionPeriod: decreaseStreamRetentionPeriod,
  DeleteChannel: deleteChannel,
  DeleteStream: deleteStream,
  DescribeChannel: describeChannel,
  DescribeLimits: describeLimits,
  DescribeStream: describeStream,
  DescribeStreamSummary: describeStreamSummary,
  GetRecords: getRecords,
  GetShardIterator: getShardIterator,
  IncreaseStreamRetentionPeriod: increaseStreamRetentionPeriod,
  ListChannels: listChannels,
  ListShards: listShards,
  ListStreams: listStreams,
  ListTagsForResource: listTagsForResource,
  ListTagsForStream: listTagsForStream,
  PutRecord: putRecord,
  PutRecords: putRecords,
  RemoveTagsFromStream: removeTagsFromStream,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateChannel: updateChannel,
};
