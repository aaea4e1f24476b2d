import type { OperationHandler } from '../operation-handler.js';
import type { DescribeStreamSummaryInput, DescribeStreamSummaryOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveStreamName } from '../streams/resolve-stream.js';
import { toStreamDescriptionSummary } from '../streams/stream-shapes.js';

export const describeStreamSummary: OperationHandler<DescribeStreamSummaryInput, DescribeStreamSummaryOutput> = async (
  input,
  { engine },
) => {
  const stream = await withEngineErrors(engine, () => engine.describeStream(resolveStreamName(engine, input)));
  return { StreamDescriptionSummary: { ...toStreamDescriptionSummary(stream), ChannelCount: engine.channels.countForStream(stream.name) } };
};
