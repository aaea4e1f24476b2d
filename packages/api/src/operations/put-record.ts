import type { OperationHandler } from '../operation-handler.js';
import type { PutRecordInput, PutRecordOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const putRecord: OperationHandler<PutRecordInput, PutRecordOutput> = async (input, { engine }) => {
  const result = await withEngineErrors(engine, () =>
    engine.putRecord(
      resolveStreamName(engine, input),
      { data: input.Data, partitionKey: input.PartitionKey, explicitHashKey: input.ExplicitHashKey },
      input.SequenceNumberForOrdering,
      { dryRun: input.DryRun === true },
    ),
  );
  return { ShardId: result.shardId, SequenceNumber: result.sequenceNumber, EncryptionType: result.encryptionType };
};
