import type { OperationHandler } from '../operation-handler.js';
import type { SplitShardInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const splitShard: OperationHandler<SplitShardInput> = async (input, { engine }) => {
  const name = resolveStreamName(engine, input);
  await withEngineErrors(engine, () => engine.splitShard(name, input.ShardToSplit, input.NewStartingHashKey));
  return undefined;
};
