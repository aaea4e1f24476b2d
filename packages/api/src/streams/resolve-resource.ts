import type { ConsumerAddress, Engine } from '@riffle/engine';
import { isConsumerArn, parseConsumerArn } from './resolve-consumer.js';
import { resolveStreamName } from './resolve-stream.js';

/** What a ResourceARN names: a stream, or a consumer registered with it. */
export interface ResourceAddress {
  readonly stream: string;
  readonly consumer?: ConsumerAddress;
}

/** TagResource, UntagResource, ListTagsForResource and the resource-policy operations take a stream or consumer ARN. */
export function resolveResource(engine: Engine, resourceArn: string): ResourceAddress {
  if (isConsumerArn(resourceArn)) {
    const { stream, consumer, createdAtSeconds } = parseConsumerArn(engine, resourceArn);
    return { stream, consumer: { name: consumer, createdAtSeconds } };
  }
  return { stream: resolveStreamName(engine, { StreamARN: resourceArn }) };
}
