import type { OperationHandler } from '../operation-handler.js';
import type { DescribeStreamConsumerInput, DescribeStreamConsumerOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { toConsumerDescription } from '../streams/consumer-shapes.js';
import { resolveConsumer } from '../streams/resolve-consumer.js';

export const describeStreamConsumer: OperationHandler<DescribeStreamConsumerInput, DescribeStreamConsumerOutput> = async (
  input,
  { engine },
) => {
  const { stream, consumer, createdAtSeconds } = resolveConsumer(engine, input);
  const description = await withEngineErrors(engine, () => engine.describeConsumer(stream, consumer, createdAtSeconds));
  return { ConsumerDescription: toConsumerDescription(description) };
};
