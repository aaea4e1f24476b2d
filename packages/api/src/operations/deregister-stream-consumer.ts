import type { OperationHandler } from '../operation-handler.js';
import type { DeregisterStreamConsumerInput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { resolveConsumer } from '../streams/resolve-consumer.js';

export const deregisterStreamConsumer: OperationHandler<DeregisterStreamConsumerInput> = async (input, { engine }) => {
  const { stream, consumer, createdAtSeconds } = resolveConsumer(engine, input);
  await withEngineErrors(engine, () => engine.deregisterConsumer(stream, consumer, createdAtSeconds));
  return undefined;
};
