import type { ConsumerSnapshot } from '@riffle/engine';
import type { Consumer, ConsumerDescription } from '../generated/kinesis/types.js';

export function toConsumer(consumer: ConsumerSnapshot): Consumer {
  return {
    ConsumerName: consumer.name,
    ConsumerARN: consumer.arn,
    ConsumerStatus: consumer.status,
    ConsumerCreationTimestamp: new Date(consumer.createdAt),
  };
}

export function toConsumerDescription(consumer: ConsumerSnapshot): ConsumerDescription {
  return { ...toConsumer(consumer), StreamARN: consumer.streamArn };
}
