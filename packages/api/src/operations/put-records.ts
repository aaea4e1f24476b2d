import type { OperationHandler } from '../operation-handler.js';
import type { PutRecordsInput, PutRecordsOutput, PutRecordsResultEntry } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';
import { kinesisError } from '../errors/kinesis-error.js';
import { internalServiceFailure, putRecordsTooLarge, writeThroughputExceeded } from '../errors/messages.js';

/** A PutRecords request carries at most 10 MiB of data and partition keys (the model's PutRecords documentation). */
const maxRequestBytes = 10 * 1024 * 1024;

/** One result per entry, in request order; failures carry ErrorCode/ErrorMessage and count in FailedRecordCount. */
export const putRecords: OperationHandler<PutRecordsInput, PutRecordsOutput> = async (input, { engine }) => {
  const name = resolveStreamName(engine, input);
  let size = 0;
  for (const record of input.Records) size += record.Data.byteLength + (record.PartitionKey === undefined ? 0 : Buffer.byteLength(record.PartitionKey));
  if (size > maxRequestBytes) throw kinesisError('InvalidArgumentException', putRecordsTooLarge());
  const entries = input.Records.map((r) => ({ data: r.Data, partitionKey: r.PartitionKey, explicitHashKey: r.ExplicitHashKey }));
  const results = await withEngineErrors(engine, () => engine.putRecords(name, entries, { dryRun: input.DryRun === true }));
  let failed = 0;
  let encryptionType: PutRecordsOutput['EncryptionType'] = 'NONE';
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
    encryptionType = result.encryptionType;
    return { SequenceNumber: result.sequenceNumber, ShardId: result.shardId };
  });
  // AWS sends 0 when nothing failed, although the model says min 1 (shared/reference/kinesis-api.md §2.5).
  return { FailedRecordCount: failed, Records: records, EncryptionType: encryptionType };
};
