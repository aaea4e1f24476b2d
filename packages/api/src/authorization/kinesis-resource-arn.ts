/**
 * The ARNs of the Kinesis resource types IAM knows (Service Authorization Reference, "Resource types defined by
 * Amazon Kinesis Data Streams"):
 *   stream    arn:${Partition}:kinesis:${Region}:${Account}:stream/${StreamName}
 *   consumer  arn:${Partition}:kinesis:${Region}:${Account}:stream/${StreamName}/consumer/${ConsumerName}:${CreationTimestamp}
 *   channel   arn:${Partition}:kinesis:${Region}:${Account}:channel/${ChannelId}
 */

export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export type KinesisArn =
  | (ArnScope & { readonly type: 'stream'; readonly stream: string })
  | (ArnScope & { readonly type: 'consumer'; readonly stream: string; readonly consumer: string; readonly createdAtSeconds?: number })
  | (ArnScope & { readonly type: 'channel'; readonly channelId: string });

const kinesisArn = /^arn:(aws[a-z-]*):kinesis:([^:]*):(\d{12}):(.+)$/s;

export function streamArn(scope: ArnScope, stream: string): string {
  return `arn:${scope.partition}:kinesis:${scope.region}:${scope.account}:stream/${stream}`;
}

/** Without a creation time, the form IAM checks when a consumer is named by StreamARN and ConsumerName. */
export function consumerArn(streamArnText: string, consumer: string, createdAtSeconds?: number): string {
  return `${streamArnText}/consumer/${consumer}${createdAtSeconds === undefined ? '' : `:${createdAtSeconds}`}`;
}

export function channelArn(scope: ArnScope, channelId: string): string {
  return `arn:${scope.partition}:kinesis:${scope.region}:${scope.account}:channel/${channelId}`;
}

/** The partition, region and account of any Kinesis ARN, and the resource part after them. */
export function kinesisArnScope(arn: string): (ArnScope & { readonly resource: string }) | undefined {
  const match = kinesisArn.exec(arn);
  return match ? { partition: match[1]!, region: match[2]!, account: match[3]!, resource: match[4]! } : undefined;
}

/** What a Kinesis ARN names, or undefined when it is not one. */
export function parseKinesisArn(arn: string): KinesisArn | undefined {
  const parsed = kinesisArnScope(arn);
  if (!parsed) return undefined;
  const { resource, ...scope } = parsed;
  const consumer = /^stream\/([^/\s]+)\/consumer\/([^:/\s]+)(?::(\d+))?$/.exec(resource);
  if (consumer) {
    const created = consumer[3] === undefined ? undefined : Number(consumer[3]);
    return { ...scope, type: 'consumer', stream: consumer[1]!, consumer: consumer[2]!, createdAtSeconds: created };
  }
  const stream = /^stream\/([^/\s]+)$/.exec(resource);
  if (stream) return { ...scope, type: 'stream', stream: stream[1]! };
  const channel = /^channel\/(\S+)$/.exec(resource);
  if (channel) return { ...scope, type: 'channel', channelId: channel[1]! };
  return undefined;
}
