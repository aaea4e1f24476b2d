import type { OperationHandler } from '../operation-handler.js';
import type { CreateStreamInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';

/**
 * With neither ShardCount nor StreamModeDetails the stream is created on-demand, as kinesis-mock and
 * LocalStack do (what AWS does is an open question: shared/reference/kinesis-api.md §6 q1).
 */
export const createStream: OperationHandler<CreateStreamInput> = async (input, { engine }) => {
  const mode = input.StreamModeDetails?.StreamMode ?? (input.ShardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
  await withEngineErrors(engine, () =>
    engine.createStream({
      name: input.StreamName,
      shardCount: input.ShardCount,
      mode,
      tags: input.Tags,
      maxRecordSizeKiB: input.MaxRecordSizeInKiB,
      warmThroughputMiBps: input.WarmThroughputMiBps,
      recordDistribution: input.RecordDistributionStrategy,
    }),
  );
  return undefined;
};
