import type { OperationHandler } from '../operation-handler.js';
import type { GetRecordsInput, GetRecordsOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { parseStreamArn } from '../streams/resolve-stream.js';
import { toChildShard, toRecord } from '../streams/stream-shapes.js';

/** Default and most records a call (the model's documentation of Limit). */
const maxRecordsPerCall = 10_000;

export const getRecords: OperationHandler<GetRecordsInput, GetRecordsOutput> = async (input, { engine }) => {
  const streamName = input.StreamARN === undefined ? undefined : parseStreamArn(input.StreamARN)?.name;
  const result = await withEngineErrors(engine, () =>
    engine.getRecords(input.ShardIterator, { limit: input.Limit ?? maxRecordsPerCall, streamName, dryRun: input.DryRun === true }),
  );
  return {
    Records: result.records.map(toRecord),
    NextShardIterator: result.nextShardIterator,
    MillisBehindLatest: result.millisBehindLatest,
    ChildShards: result.childShards?.map(toChildShard),
  };
};
