import { DeregisterStreamConsumerCommand, DescribeStreamConsumerCommand, RegisterStreamConsumerCommand, type ConsumerDescription } from '@aws-sdk/client-kinesis';
import { AlreadyExistsError, errorName, type HostedResourceType, type ResourceContext, type ResourceRecord } from './hosted-resource.js';
import { tagsSchema } from './kinesis-stream-resource.js';
import { tagMap, type TagProperty } from './resource-tags.js';
import type { TemplateValue } from './template-value.js';

/** A consumer by stream and name (unique per stream), so that one is found even without the ARN a lost state held. */
const identity = (record: ResourceRecord): { StreamARN: string; ConsumerName: string } => ({ StreamARN: record.properties.StreamARN as string, ConsumerName: record.properties.ConsumerName as string });

async function describe(context: ResourceContext, consumer: { StreamARN: string; ConsumerName: string } | { ConsumerARN: string }): Promise<ConsumerDescription | undefined> {
  try {
    return (await context.client.send(new DescribeStreamConsumerCommand(consumer))).ConsumerDescription;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

const attributesOf = (consumer: ConsumerDescription): Record<string, TemplateValue> => ({
  ConsumerARN: consumer.ConsumerARN!,
  ConsumerCreationTimestamp: consumer.ConsumerCreationTimestamp?.toISOString() ?? '',
  ConsumerName: consumer.ConsumerName!,
  ConsumerStatus: consumer.ConsumerStatus!,
  StreamARN: consumer.StreamARN!,
});

/**
 * AWS::Kinesis::StreamConsumer: RegisterStreamConsumer, then ACTIVE. Every property is create-only in its schema
 * (ConsumerName, StreamARN, Tags), so any change replaces it. Ref is the consumer ARN.
 */
export const streamConsumerResource: HostedResourceType = {
  type: 'AWS::Kinesis::StreamConsumer',
  schema: {
    type: 'object',
    required: ['ConsumerName', 'StreamARN'],
    properties: {
      ConsumerName: { type: 'string', minLength: 1, maxLength: 128, pattern: /^[a-zA-Z0-9_.-]+$/ },
      StreamARN: { type: 'string', minLength: 1, maxLength: 2048, pattern: /^arn:aws.*:kinesis:.*:\d{12}:stream\/\S+$/ },
      Tags: tagsSchema,
    },
  },
  attributes: ['ConsumerARN', 'ConsumerCreationTimestamp', 'ConsumerName', 'ConsumerStatus', 'StreamARN'],
  createOnly: ['ConsumerName', 'StreamARN', 'Tags'],
  ref: (record) => record.physicalId,

  predict(properties, _where, previous) {
    if (previous !== undefined && previous.properties.StreamARN === properties.StreamARN && previous.properties.ConsumerName === properties.ConsumerName) {
      return { physicalId: previous.physicalId, attributes: { ...previous.attributes } };
    }
    const [streamArn, name] = [properties.StreamARN as string, properties.ConsumerName as string];
    const arn = `${streamArn}/consumer/${name}:0`;
    return { physicalId: arn, attributes: { ConsumerARN: arn, ConsumerCreationTimestamp: '', ConsumerName: name, ConsumerStatus: 'CREATING', StreamARN: streamArn } };
  },

  async create(context, properties) {
    const { ConsumerName, StreamARN, Tags } = properties as unknown as { ConsumerName: string; StreamARN: string; Tags?: TagProperty[] };
    let consumerArn: string;
    try {
      const answer = await context.client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName, ...(Tags?.length ? { Tags: tagMap(Tags) } : {}) }));
      consumerArn = answer.Consumer!.ConsumerARN!;
    } catch (error) {
      if (errorName(error) === 'ResourceInUseException') throw new AlreadyExistsError('AWS::Kinesis::StreamConsumer', ConsumerName);
      throw error;
    }
    let consumer: ConsumerDescription | undefined;
    await context.waiter.until(`consumer ${ConsumerName} to become ACTIVE`, async () => {
      consumer = await describe(context, { ConsumerARN: consumerArn });
      return consumer?.ConsumerStatus === 'ACTIVE';
    });
    return { physicalId: consumerArn, attributes: attributesOf(consumer!) };
  },

  async update(context, record) {
    const consumer = await describe(context, identity(record));
    return consumer ? attributesOf(consumer) : { ...record.attributes };
  },

  async delete(context, record) {
    try {
      await context.client.send(new DeregisterStreamConsumerCommand(identity(record)));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return;
      throw error;
    }
    await context.waiter.until(`consumer ${record.attributes.ConsumerName ?? record.physicalId} to be deregistered`, async () => (await describe(context, identity(record))) === undefined);
  },

  async exists(context, record) {
    const consumer = await describe(context, identity(record));
    return consumer !== undefined && consumer.ConsumerStatus !== 'DELETING';
  },
};
