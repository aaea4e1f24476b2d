import type { OperationHandler } from '../operation-handler.js';
import type { GetShardIteratorInput, GetShardIteratorOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const getShardIterator: OperationHandler<GetShardIteratorInput, GetShardIteratorOutput> = async (input, { engine }) => {
  const iterator = await withEngineErrors(engine, () =>
    engine.getShardIterator(resolveStreamName(engine, input), input.ShardId, input.ShardIteratorType, {
      startingSequenceNumber: input.StartingSequenceNumber,
      timestamp: input.Timestamp?.getTime(),
      dryRun: input.DryRun === true,
    }),
  );
  return { ShardIterator: iterator };
};
