import type { OperationHandler } from '../operation-handler.js';
import type { RegisterStreamConsumerInput, RegisterStreamConsumerOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { toConsumer } from '../streams/consumer-shapes.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

export const registerStreamConsumer: OperationHandler<RegisterStreamConsumerInput, RegisterStreamConsumerOutput> = async (
  input,
  { engine },
) => {
  const stream = resolveStreamName(engine, { StreamARN: input.StreamARN });
  const consumer = await withEngineErrors(engine, () => engine.registerConsumer(stream, input.ConsumerName, input.Tags));
  return { Consumer: toConsumer(consumer) };
};
