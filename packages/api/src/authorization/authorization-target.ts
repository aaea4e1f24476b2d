import type { KinesisOperationName } from '../generated/kinesis/operations.js';
import type * as T from '../generated/kinesis/types.js';
import { channelArn, consumerArn, parseKinesisArn, streamArn, type ArnScope } from './kinesis-resource-arn.js';

/**
 * What a Kinesis request must be authorized for: the IAM action of the operation, the resource(s) it acts on
 * and the account owning each, from the Service Authorization Reference's actions table
 * ("Actions, resources, and condition keys for Amazon Kinesis Data Streams"). Sources and confidence:
 * packages/api/src/errors/sources/authorization.md.
 */

export type ResourceType = 'stream' | 'consumer' | 'channel' | 'kmsKey' | 'iamRole' | 'none';

/** One action on one resource; a request is allowed only if every check of its target is. */
export interface AuthorizationCheck {
  readonly action: string;
  /** An ARN, or `*` for actions that take no resource. */
  readonly resource: string;
  readonly resourceType: ResourceType;
  /** The account owning the resource: from its ARN, else the caller's. */
  readonly resourceAccount: string;
}

export interface AuthorizationTarget {
  /** The operation's own action, `kinesis:PutRecord`. */
  readonly action: string;
  /** The operation's own check first, then what it also needs (CreateStream with Tags also needs AddTagsToStream). */
  readonly checks: readonly AuthorizationCheck[];
  /**
   * Whether AWS lets another account do this through a resource policy. A check whose resourceAccount is not
   * the caller's, on a target where this is false, is to be refused (as "no resource-based policy allows").
   */
  readonly crossAccount: boolean;
  /** aws:RequestTag/<key> values and aws:TagKeys of a tagging request. */
  readonly requestTags?: Readonly<Record<string, string>>;
  readonly tagKeys?: readonly string[];
  /**
   * False when the request does not say which resource it is about (a GetRecords iterator or ListShards token
   * that could not be read): the handler rejects such requests itself, so authorization can let them through.
   */
  readonly determined: boolean;
}

export interface TargetContext {
  readonly region: string;
  readonly callerAccount: string;
  /** `aws` unless told otherwise. */
  readonly partition?: string;
  /** GetRecords without StreamARN: the ARN of the stream the shard iterator was issued for. */
  readonly streamArnOfShardIterator?: (shardIterator: string) => string | undefined;
  /** ListShards with only a NextToken: the name of the stream the token pages through (the caller's account). */
  readonly streamNameOfNextToken?: (nextToken: string) => string | undefined;
}

/**
 * The actions AWS shares across accounts through stream and consumer resource policies (Kinesis Data Streams
 * Developer Guide, "Share your data stream with another account"; the KCL's cross-account integration test).
 * Everything else, the resource policy operations included, works only in the resource's own account.
 */
export const crossAccountActions: ReadonlySet<string> = new Set([
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:ListShards',
  'kinesis:PutRecord',
  'kinesis:PutRecords',
  'kinesis:DescribeStreamConsumer',
  'kinesis:SubscribeToShard',
]);

/** Each operation's input, as the generated shapes type it. */
export interface KinesisOperationInputs {
  AddTagsToStream: T.AddTagsToStreamInput;
  CreateChannel: T.CreateChannelInput;
  CreateStream: T.CreateStreamInput;
  DecreaseStreamRetentionPeriod: T.DecreaseStreamRetentionPeriodInput;
  DeleteChannel: T.DeleteChannelInput;
  DeleteResourcePolicy: T.DeleteResourcePolicyInput;
  DeleteStream: T.DeleteStreamInput;
  DeregisterStreamConsumer: T.DeregisterStreamConsumerInput;
  DescribeAccountSettings: T.DescribeAccountSettingsInput;
  DescribeChannel: T.DescribeChannelInput;
  DescribeLimits: T.DescribeLimitsInput;
  DescribeStream: T.DescribeStreamInput;
  DescribeStreamConsumer: T.DescribeStreamConsumerInput;
  DescribeStreamSummary: T.DescribeStreamSummaryInput;
  DisableEnhancedMonitoring: T.DisableEnhancedMonitoringInput;
  EnableEnhancedMonitoring: T.EnableEnhancedMonitoringInput;
  GetRecords: T.GetRecordsInput;
  GetResourcePolicy: T.GetResourcePolicyInput;
  GetShardIterator: T.GetShardIteratorInput;
  IncreaseStreamRetentionPeriod: T.IncreaseStreamRetentionPeriodInput;
  ListChannels: T.ListChannelsInput;
  ListShards: T.ListShardsInput;
  ListStreamConsumers: T.ListStreamConsumersInput;
  ListStreams: T.ListStreamsInput;
  ListTagsForResource: T.ListTagsForResourceInput;
  ListTagsForStream: T.ListTagsForStreamInput;
  MergeShards: T.MergeShardsInput;
  PutRecord: T.PutRecordInput;
  PutRecords: T.PutRecordsInput;
  PutResourcePolicy: T.PutResourcePolicyInput;
  RegisterStreamConsumer: T.RegisterStreamConsumerInput;
  RemoveTagsFromStream: T.RemoveTagsFromStreamInput;
  SplitShard: T.SplitShardInput;
  StartStreamEncryption: T.StartStreamEncryptionInput;
  StopStreamEncryption: T.StopStreamEncryptionInput;
  SubscribeToShard: T.SubscribeToShardInput;
  TagResource: T.TagResourceInput;
  UntagResource: T.UntagResourceInput;
  UpdateAccountSettings: T.UpdateAccountSettingsInput;
  UpdateChannel: T.UpdateChannelInput;
  UpdateMaxRecordSize: T.UpdateMaxRecordSizeInput;
  UpdateShardCount: T.UpdateShardCountInput;
  UpdateStreamMode: T.UpdateStreamModeInput;
  UpdateStreamRecordDistributionStrategy: T.UpdateStreamRecordDistributionStrategyInput;
  UpdateStreamWarmThroughput: T.UpdateStreamWarmThroughputInput;
}

/** A resource an operation names, before it becomes a check of some action. */
interface Named {
  readonly resource: string;
  readonly resourceType: ResourceType;
  readonly resourceAccount: string;
}

/** What a rule returns: the operation's resources, and any further (action, resource) pairs it needs. */
interface Resolution {
  readonly resources: readonly Named[];
  readonly also?: readonly (Named & { readonly action: string })[];
  readonly determined?: boolean;
}

type Rule<O extends KinesisOperationName> = (input: KinesisOperationInputs[O], scope: Scope) => Resolution;

class Scope implements ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;

  constructor(readonly context: TargetContext) {
    this.partition = context.partition ?? 'aws';
    this.region = context.region;
    this.account = context.callerAccount;
  }

  /** The account an ARN names, or the caller's when it is not a Kinesis ARN (validation rejects it later). */
  accountOf(arn: string): string {
    return parseKinesisArn(arn)?.account ?? this.account;
  }

  any(): Named {
    return { resource: '*', resourceType: 'none', resourceAccount: this.account };
  }

  /** StreamARN as given, else the caller's stream of that name. */
  stream(input: { StreamName?: string; StreamARN?: string }): Named | undefined {
    if (input.StreamARN !== undefined) {
      return { resource: input.StreamARN, resourceType: 'stream', resourceAccount: this.accountOf(input.StreamARN) };
    }
    if (input.StreamName !== undefined) {
      return { resource: streamArn(this, input.StreamName), resourceType: 'stream', resourceAccount: this.account };
    }
    return undefined;
  }

  /**
   * ConsumerARN as given; else StreamARN/consumer/ConsumerName without a creation time, the resource AWS
   * reports for that form (aws/aws-cdk#22184).
   */
  consumer(input: { StreamARN?: string; ConsumerName?: string; ConsumerARN?: string }): Named | undefined {
    const arn =
      input.ConsumerARN ??
      (input.StreamARN !== undefined && input.ConsumerName !== undefined ? consumerArn(input.StreamARN, input.ConsumerName) : undefined);
    return arn === undefined ? undefined : { resource: arn, resourceType: 'consumer', resourceAccount: this.accountOf(arn) };
  }

  /** A ResourceARN: a stream, a consumer or a channel. */
  resource(arn: string): Named {
    const parsed = parseKinesisArn(arn);
    return { resource: arn, resourceType: parsed?.type ?? 'stream', resourceAccount: parsed?.account ?? this.account };
  }

  channel(arn: string): Named {
    return { resource: arn, resourceType: 'channel', resourceAccount: this.accountOf(arn) };
  }

  /** KeyId may be a key ARN, an alias ARN, `alias/<name>` or a key id; the key is the stream account's. */
  kmsKey(keyId: string, owner: string): Named {
    const arn = keyId.startsWith('arn:')
      ? keyId
      : `arn:${this.partition}:kms:${this.region}:${owner}:${keyId.startsWith('alias/') ? keyId : `key/${keyId}`}`;
    const account = /^arn:[^:]*:kms:[^:]*:(\d{12}):/.exec(arn)?.[1] ?? owner;
    return { resource: arn, resourceType: 'kmsKey', resourceAccount: account };
  }
}

const one = (named: Named | undefined): Resolution =>
  named === undefined ? { resources: [], determined: false } : { resources: [named] };
const onStream: Rule<any> = (input, scope) => one(scope.stream(input));
const onConsumer: Rule<any> = (input, scope) => one(scope.consumer(input));
const onResourceArn: Rule<any> = (input: { ResourceARN: string }, scope) => ({ resources: [scope.resource(input.ResourceARN)] });
const onChannel: Rule<any> = (input: { ChannelARN: string }, scope) => ({ resources: [scope.channel(input.ChannelARN)] });
const onNothing: Rule<any> = (_input, scope) => ({ resources: [scope.any()] });

const hasTags = (tags: Readonly<Record<string, string>> | undefined): boolean => tags !== undefined && Object.keys(tags).length > 0;

const encryption: Rule<'StartStreamEncryption' | 'StopStreamEncryption'> = (input, scope) => {
  const stream = scope.stream(input);
  if (stream === undefined) return { resources: [], determined: false };
  return { resources: [stream, scope.kmsKey(input.KeyId, stream.resourceAccount)] };
};

const rules: { readonly [O in KinesisOperationName]: Rule<O> } = {
  AddTagsToStream: onStream,
  CreateChannel: (input, scope) => {
    // The channel's id is made by the call, so the channel is any of the caller's (its ARN's last part).
    const channel: Named = { resource: channelArn(scope, '*'), resourceType: 'channel', resourceAccount: scope.account };
    const streams = (input.StreamConfigurationList ?? []).map((entry) => scope.stream({ StreamARN: entry.StreamARN })!);
    return {
      resources: [channel],
      also: [
        ...[channel, ...streams].map((named) => ({ ...named, action: 'kinesis:AssociateStreamsWithChannel' })),
        ...(hasTags(input.Tags) ? [{ ...channel, action: 'kinesis:TagResource' }] : []),
        { resource: input.ServiceExecutionRoleARN, resourceType: 'iamRole' as const, resourceAccount: scope.account, action: 'iam:PassRole' },
      ],
    };
  },
  CreateStream: (input, scope) => {
    const stream = scope.stream(input)!;
    return { resources: [stream], also: hasTags(input.Tags) ? [{ ...stream, action: 'kinesis:AddTagsToStream' }] : [] };
  },
  DecreaseStreamRetentionPeriod: onStream,
  DeleteChannel: onChannel,
  DeleteResourcePolicy: onResourceArn,
  DeleteStream: onStream,
  DeregisterStreamConsumer: onConsumer,
  DescribeAccountSettings: onNothing,
  DescribeChannel: onChannel,
  DescribeLimits: onNothing,
  DescribeStream: onStream,
  DescribeStreamConsumer: onConsumer,
  DescribeStreamSummary: onStream,
  // The reference lists no resource type for these four; Riffle checks the stream, which a `*` policy still covers.
  DisableEnhancedMonitoring: onStream,
  EnableEnhancedMonitoring: onStream,
  GetRecords: (input, scope) => {
    const arn = input.StreamARN ?? scope.context.streamArnOfShardIterator?.(input.ShardIterator);
    return one(arn === undefined ? undefined : scope.stream({ StreamARN: arn }));
  },
  GetResourcePolicy: onResourceArn,
  GetShardIterator: onStream,
  IncreaseStreamRetentionPeriod: onStream,
  ListChannels: onNothing,
  ListShards: (input, scope) => {
    const byName = input.NextToken === undefined ? undefined : scope.context.streamNameOfNextToken?.(input.NextToken);
    return one(scope.stream({ StreamARN: input.StreamARN, StreamName: input.StreamName ?? byName }));
  },
  ListStreamConsumers: onStream,
  ListStreams: onNothing,
  ListTagsForResource: onResourceArn,
  ListTagsForStream: onStream,
  MergeShards: onStream,
  PutRecord: onStream,
  PutRecords: onStream,
  PutResourcePolicy: onResourceArn,
  RegisterStreamConsumer: (input, scope) => {
    const stream = scope.stream(input)!;
    const consumer = scope.consumer({ StreamARN: input.StreamARN, ConsumerName: input.ConsumerName })!;
    return { resources: [stream], also: hasTags(input.Tags) ? [{ ...consumer, action: 'kinesis:TagResource' }] : [] };
  },
  RemoveTagsFromStream: onStream,
  SplitShard: onStream,
  StartStreamEncryption: encryption,
  StopStreamEncryption: encryption,
  SubscribeToShard: onConsumer,
  TagResource: onResourceArn,
  UntagResource: onResourceArn,
  UpdateAccountSettings: onNothing,
  UpdateChannel: onChannel,
  UpdateMaxRecordSize: onStream,
  UpdateShardCount: onStream,
  UpdateStreamMode: onStream,
  // Newer than the reference (aws-sdk-js-v3's command); a stream operation like UpdateStreamMode.
  UpdateStreamRecordDistributionStrategy: onStream,
  UpdateStreamWarmThroughput: onStream,
};

/** The target of one request; the input is the validated, typed input of that operation. */
export function authorizationTarget<O extends KinesisOperationName>(
  operation: O,
  input: KinesisOperationInputs[O],
  context: TargetContext,
): AuthorizationTarget {
  const action = `kinesis:${operation}`;
  const resolution = (rules[operation] as Rule<O>)(input ?? ({} as KinesisOperationInputs[O]), new Scope(context));
  const checks: AuthorizationCheck[] = [
    ...resolution.resources.map((named) => ({ action, ...named })),
    ...(resolution.also ?? []).map(({ action: extra, ...named }) => ({ action: extra, ...named })),
  ];
  const fields = (input ?? {}) as { Tags?: Record<string, string>; TagKeys?: string[]; ConsumerARN?: string };
  const tagging = fields.Tags !== undefined && hasTags(fields.Tags);
  return {
    action,
    checks,
    // Cross-account DescribeStreamConsumer must name the consumer by its ARN (the Developer Guide).
    crossAccount: crossAccountActions.has(action) && !(operation === 'DescribeStreamConsumer' && fields.ConsumerARN === undefined),
    requestTags: tagging ? fields.Tags : undefined,
    tagKeys: tagging ? Object.keys(fields.Tags!) : fields.TagKeys,
    determined: resolution.determined ?? true,
  };
}
