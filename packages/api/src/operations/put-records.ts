import type { OperationHandler } from '../operation-handler.js';
import type { PutRecordsInput, PutRecordsOutput, PutRecordsResultEntry } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';
import { internalServiceFailure, writeThroughputExceeded } from '../errors/messages.js';

/** One result per entry, in request order; failures carry ErrorCode/ErrorMessage and count in FailedRecordCount. */
export const putRecords: OperationHandler<PutRecordsInput, PutRecordsOutput> = async (input, { engine }) => {
  const name = resolveStreamName(engine, input);
  const entries = input.Records.map((r) => ({ data: r.Data, partitionKey: r.PartitionKey, explicitHashKey: r.ExplicitHashKey }));
  const results = await withEngineErrors(engine, () => engine.putRecords(name, entries));
  let failed = 0;
  const records: PutRecordsResultEntry[] = results.map((result) => {
    if ('errorCode' in result) {
      failed++;
      const message =
        'errorMessage' in result
          ? result.errorMessage
          : 'shardId' in result
            ? writeThroughputExceeded(result.shardId, name, engine.config.accountId)
            : internalServiceFailure();
      return { ErrorCode: result.errorCode, ErrorMessage: message };
    }
    return { SequenceNumber: result.sequenceNumber, ShardId: result.shardId };
  });
  // AWS sends 0 when nothing failed, although the model says min 1 (shared/reference/kinesis-api.md §2.5).
  return { FailedRecordCount: failed, Records: records, EncryptionType: 'NONE' };
};
