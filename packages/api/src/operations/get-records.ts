import type { OperationHandler } from '../operation-handler.js';
import type { GetRecordsInput, GetRecordsOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { parseStreamArn } from '../streams/resolve-stream.js';

/** Default and most records a call (the model's documentation of Limit). */
const maxRecordsPerCall = 10_000;

export const getRecords: OperationHandler<GetRecordsInput, GetRecordsOutput> = async (input, { engine }) => {
  const streamName = input.StreamARN === undefined ? undefined : parseStreamArn(input.StreamARN)?.name;
  const result = await withEngineErrors(engine, () =>
    engine.getRecords(input.ShardIterator, { limit: input.Limit ?? maxRecordsPerCall, streamName, dryRun: input.DryRun === true }),
  );
  return {
    Records: result.records.map((r) => ({
      SequenceNumber: r.sequenceNumber,
      ApproximateArrivalTimestamp: new Date(r.arrivalTime),
      Data: r.data,
      // A record written to an AUTO stream without a partition key has none (the SDK's Record documentation).
      PartitionKey: r.partitionKey === '' ? undefined : r.partitionKey,
      // Shown for encrypted records only, as AWS's answers for unencrypted streams carry none.
      EncryptionType: r.encryptionType === 'KMS' ? r.encryptionType : undefined,
    })),
    NextShardIterator: result.nextShardIterator,
    MillisBehindLatest: result.millisBehindLatest,
    ChildShards: result.childShards?.map((c) => ({
      ShardId: c.shardId,
      ParentShards: [...c.parentShards],
      HashKeyRange: { StartingHashKey: c.hashKeyRange.start.toString(), EndingHashKey: c.hashKeyRange.end.toString() },
    })),
  };
};
