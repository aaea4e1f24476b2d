import type { ConsumerSnapshot } from '@riffle/engine';
import type { Consumer, ConsumerDescription } from '../generated/kinesis/types.js';

export function toConsumer(consumer: ConsumerSnapshot): Consumer {
  return {
    ConsumerName: consumer.name,
    ConsumerARN: consumer.arn,
    ConsumerStatus: consumer.status,
    // Whole seconds, as the ARN's suffix (AWS CLI examples).
    ConsumerCreationTimestamp: new Date(Math.floor(consumer.createdAt / 1000) * 1000),
  };
}

export function toConsumerDescription(consumer: ConsumerSnapshot): ConsumerDescription {
  return { ...toConsumer(consumer), StreamARN: consumer.streamArn };
}
