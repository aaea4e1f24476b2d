import { isEngineError, type Engine, type SubscriptionEvent } from '@riffle/engine';
import type { EventStreamMessage } from '@riffle/wire';
import type { OperationHandler } from '../operation-handler.js';
import type { SubscribeToShardInput } from '../generated/kinesis/types.js';
import { engineErrorToServiceError, withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';
import { eventStreamResult } from '../runtime/event-stream-result.js';
import { parseConsumerArn } from '../streams/resolve-consumer.js';
import { toChildShard, toRecord } from '../streams/stream-shapes.js';

/**
 * Errors found before streaming starts are ordinary 400 answers; once the 200 is sent, they travel as
 * exception events (ResourceInUseException for a subscription taken over, ResourceNotFoundException when the
 * shard or consumer goes away).
 */
export const subscribeToShard: OperationHandler<SubscribeToShardInput> = async (input, { engine }) => {
  const { stream, consumer, createdAtSeconds } = parseConsumerArn(engine, input.ConsumerARN);
  const position = input.StartingPosition;
  const events = await withEngineErrors(engine, () =>
    engine.subscribeToShard(stream, { name: consumer, createdAtSeconds }, input.ShardId, position.Type, {
      startingSequenceNumber: position.SequenceNumber,
      timestamp: position.Timestamp?.getTime(),
      dryRun: input.DryRun === true,
    }),
  );
  return eventStreamResult(subscriptionMessages(engine, events));
};

async function* subscriptionMessages(engine: Engine, events: AsyncIterable<SubscriptionEvent>): AsyncIterable<EventStreamMessage> {
  // RPC event streams carry the output's other members in an initial-response event; SubscribeToShard has none.
  yield { messageType: 'event', type: 'initial-response', payload: {} };
  try {
    for await (const event of events) {
      yield {
        messageType: 'event',
        type: 'SubscribeToShardEvent',
        payload: {
          Records: event.records.map(toRecord),
          ContinuationSequenceNumber: event.continuationSequenceNumber,
          MillisBehindLatest: event.millisBehindLatest,
          ChildShards: event.childShards?.map(toChildShard),
        },
      };
    }
  } catch (error) {
    if (isEngineError(error)) throw engineErrorToServiceError(error, engine);
    // A storage fault after the 200: AWS's InternalFailureException event with its text (amazon-kinesis-client#529).
    throw kinesisError('InternalFailureException', messages.subscriptionInternalFailure());
  }
}
