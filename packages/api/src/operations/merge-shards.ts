import type { OperationHandler } from '../operation-handler.js';
import type { MergeShardsInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const mergeShards: OperationHandler<MergeShardsInput> = async (input, { engine }) => {
  const name = resolveStreamName(engine, input);
  await withEngineErrors(engine, () => engine.mergeShards(name, input.ShardToMerge, input.AdjacentShardToMerge));
  return undefined;
};
