import { DeleteResourcePolicyCommand, GetResourcePolicyCommand, PutResourcePolicyCommand } from '@aws-sdk/client-kinesis';
import { AlreadyExistsError, errorName, type HostedResourceType, type ResourceContext } from './hosted-resource.js';

/** The resource's policy document, or undefined when it has none (`{}`, as AWS answers) or is gone. */
async function currentPolicy(context: ResourceContext, resourceArn: string): Promise<string | undefined> {
  try {
    const policy = (await context.client.send(new GetResourcePolicyCommand({ ResourceARN: resourceArn }))).Policy;
    return policy === undefined || policy.trim() === '' || policy.trim() === '{}' ? undefined : policy;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** AWS::Kinesis::ResourcePolicy: PutResourcePolicy of a stream's or consumer's ARN; ResourceArn is create-only. Ref is the ResourceArn. */
export const resourcePolicyResource: HostedResourceType = {
  type: 'AWS::Kinesis::ResourcePolicy',
  schema: {
    type: 'object',
    required: ['ResourceArn', 'ResourcePolicy'],
    properties: {
      ResourceArn: { type: 'string', minLength: 1, maxLength: 2048, pattern: /^arn:aws.*:kinesis:.*:\d{12}:.*stream\/\S+$/ },
      ResourcePolicy: { type: 'json' },
    },
  },
  attributes: [],
  createOnly: ['ResourceArn'],
  ref: (record) => record.physicalId,
  predict: (properties) => ({ physicalId: properties.ResourceArn as string, attributes: {} }),

  async create(context, properties) {
    const resourceArn = properties.ResourceArn as string;
    if ((await currentPolicy(context, resourceArn)) !== undefined) throw new AlreadyExistsError('AWS::Kinesis::ResourcePolicy', resourceArn);
    await context.client.send(new PutResourcePolicyCommand({ ResourceARN: resourceArn, Policy: JSON.stringify(properties.ResourcePolicy) }));
    return { physicalId: resourceArn, attributes: {} };
  },

  async update(context, record, properties) {
    await context.client.send(new PutResourcePolicyCommand({ ResourceARN: record.physicalId, Policy: JSON.stringify(properties.ResourcePolicy) }));
    return {};
  },

  async delete(context, record) {
    try {
      await context.client.send(new DeleteResourcePolicyCommand({ ResourceARN: record.physicalId }));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return;
      throw error;
    }
  },

  async exists(context, record) {
    return (await currentPolicy(context, record.physicalId)) !== undefined;
  },
};
