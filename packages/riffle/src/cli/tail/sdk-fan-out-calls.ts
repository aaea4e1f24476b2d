import {
  DeregisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
  type KinesisClient,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import type { ConsumerCalls, ConsumerState } from './fan-out-consumer.js';
import type { IteratorPosition } from './shard-poller.js';
import { childShardInfos, tailRecords } from './sdk-shard-records.js';
import type { SubscribeCalls, SubscriptionEvent } from './shard-subscriber.js';

const consumerState = (consumer: { ConsumerARN?: string; ConsumerStatus?: string } | undefined): ConsumerState => ({ arn: consumer?.ConsumerARN ?? '', status: consumer?.ConsumerStatus ?? 'CREATING' });

/** The consumer calls on the stream STREAM_ARN through the SDK; errors are the SDK's. */
export function sdkConsumerCalls(client: KinesisClient, streamArn: string): ConsumerCalls {
  return {
    async describe(name) {
      try {
        const { ConsumerDescription } = await client.send(new DescribeStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: name }));
        return consumerState(ConsumerDescription);
      } catch (error) {
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    },
    async register(name) {
      const { Consumer } = await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: name }));
      return consumerState(Consumer);
    },
    async deregister(arn) {
      await client.send(new DeregisterStreamConsumerCommand({ ConsumerARN: arn }));
    },
  };
}

async function* subscriptionEvents(shardId: string, stream: AsyncIterable<SubscribeToShardEventStream>): AsyncGenerator<SubscriptionEvent> {
  // Exception events (ResourceInUseException, ResourceNotFoundException, …) are thrown by the SDK's iterator.
  for await (const message of stream) {
    const event = message.SubscribeToShardEvent;
    if (event === undefined) continue;
    yield {
      records: tailRecords(shardId, event.Records),
      continuationSequenceNumber: event.ContinuationSequenceNumber ?? undefined,
      millisBehindLatest: event.MillisBehindLatest,
      childShards: childShardInfos(event.ChildShards),
    };
  }
}

/** SubscribeToShard for the consumer CONSUMER_ARN through the SDK (an HTTP/2 event stream); the signal aborts it. */
export function sdkSubscribeCalls(client: KinesisClient, consumerArn: string): SubscribeCalls {
  return {
    async subscribe(shardId, position: IteratorPosition, signal) {
      const { EventStream } = await client.send(
        new SubscribeToShardCommand({
          ConsumerARN: consumerArn,
          ShardId: shardId,
          StartingPosition: {
            Type: position.kind,
            ...(position.kind === 'AT_TIMESTAMP' ? { Timestamp: position.timestamp } : {}),
            ...(position.kind === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: position.sequenceNumber } : {}),
          },
        }),
        { abortSignal: signal },
      );
      if (EventStream === undefined) throw new Error(`SubscribeToShard answered no event stream for ${shardId}`);
      return subscriptionEvents(shardId, EventStream);
    },
  };
}
