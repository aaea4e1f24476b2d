import type { OperationHandler } from '../operation-handler.js';
import type { DescribeStreamInput, DescribeStreamOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';
import { enhancedMonitoring, toShard } from '../streams/stream-shapes.js';

/** AWS returns at most 100 shards a call, whatever Limit says (the model's documentation). */
const maxShardsPerCall = 100;

export const describeStream: OperationHandler<DescribeStreamInput, DescribeStreamOutput> = async (input, { engine }) => {
  const stream = await withEngineErrors(engine, () => engine.describeStream(resolveStreamName(engine, input)));
  const limit = Math.min(input.Limit ?? maxShardsPerCall, maxShardsPerCall);
  const after = input.ExclusiveStartShardId;
  // A CREATING stream lists no shards yet (kinesalite test/createStream.js, run against AWS).
  const shards = stream.status === 'CREATING' ? [] : stream.shards;
  const candidates = after === undefined ? shards : shards.filter((s) => s.shardId > after);
  const page = candidates.slice(0, limit);
  return {
    StreamDescription: {
      StreamName: stream.name,
      StreamARN: stream.arn,
      StreamStatus: stream.status,
      StreamModeDetails: { StreamMode: stream.mode },
      Shards: page.map(toShard),
      HasMoreShards: candidates.length > page.length,
      RetentionPeriodHours: stream.retentionHours,
      StreamCreationTimestamp: new Date(stream.createdAt),
      EnhancedMonitoring: enhancedMonitoring(stream),
      EncryptionType: stream.encryptionType,
      KeyId: stream.keyId,
    },
  };
};
