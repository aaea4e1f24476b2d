import type { Engine } from '@riffle/engine';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';
import { parseStreamArn, resolveStreamName } from './resolve-stream.js';

/** `arn:<partition>:kinesis:<region>:<account>:stream/<stream>/consumer/<name>:<epoch seconds>` (the model's ConsumerARN). */
const consumerArnPattern = /^arn:(aws[a-z-]*):kinesis:([^:]*):(\d{12}):stream\/([^/\s]+)\/consumer\/([^:/\s]+):(\d+)$/;

export interface ConsumerAddress {
  readonly stream: string;
  readonly consumer: string;
  /** From a ConsumerARN: the registration it names. */
  readonly createdAtSeconds?: number;
}

export function isConsumerArn(arn: string): boolean {
  return /:stream\/[^/]+\/consumer\//.test(arn);
}

/** A ConsumerARN of this server's account and region, or ResourceNotFoundException. */
export function parseConsumerArn(engine: Engine, arn: string): ConsumerAddress {
  const match = consumerArnPattern.exec(arn);
  if (!match) throw kinesisError('ResourceNotFoundException', messages.arnNotFound(arn));
  const [, , region, account, stream, consumer, seconds] = match;
  if (account !== engine.config.accountId || region !== engine.config.region) {
    throw kinesisError('ResourceNotFoundException', messages.consumerArnNotFound(arn));
  }
  return { stream: stream!, consumer: consumer!, createdAtSeconds: Number(seconds) };
}

/**
 * DescribeStreamConsumer and DeregisterStreamConsumer name a consumer by its ARN, or by StreamARN and
 * ConsumerName, or by all three when they agree (the operations' documentation).
 */
export function resolveConsumer(
  engine: Engine,
  input: { StreamARN?: string; ConsumerName?: string; ConsumerARN?: string },
): ConsumerAddress {
  const { StreamARN: streamArn, ConsumerName: name, ConsumerARN: consumerArn } = input;
  if (consumerArn !== undefined) {
    const address = parseConsumerArn(engine, consumerArn);
    const streamName = streamArn === undefined ? undefined : parseStreamArn(streamArn)?.name;
    if ((streamArn !== undefined && streamName !== address.stream) || (name !== undefined && name !== address.consumer)) {
      throw kinesisError('InvalidArgumentException', messages.consumerArnMismatch());
    }
    return address;
  }
  if (streamArn === undefined || name === undefined) throw kinesisError('InvalidArgumentException', messages.consumerAddressRequired());
  return { stream: resolveStreamName(engine, { StreamARN: streamArn }), consumer: name };
}
