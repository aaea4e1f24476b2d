import { DescribeStreamSummaryCommand, type KinesisClient, type Shard, type StreamDescriptionSummary } from '@aws-sdk/client-kinesis';
import { awsCall } from '../aws-error.js';
import { listAllShards } from '../list-all-shards.js';
import type { StreamRef } from '../stream-ref.js';
import { textTable } from './text-table.js';

/** `riffle streams describe`: DescribeStreamSummary and every shard of ListShards. */
export interface StreamDescription {
  readonly StreamDescriptionSummary: StreamDescriptionSummary;
  readonly Shards: readonly Shard[];
}

export async function describeStream(client: KinesisClient, stream: StreamRef): Promise<StreamDescription> {
  const name = stream.StreamName ?? stream.StreamARN;
  const { StreamDescriptionSummary: summary } = await awsCall(`describe ${name}`, () => client.send(new DescribeStreamSummaryCommand({ ...stream })));
  const shards = await listAllShards(client, stream, `list the shards of ${name}`);
  return { StreamDescriptionSummary: summary!, Shards: shards };
}

const isOpen = (shard: Shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined;

/** The description as people read it: the stream's settings, then one row a shard. */
export function streamDescriptionText({ StreamDescriptionSummary: s, Shards: shards }: StreamDescription): string[] {
  const encryption = s.EncryptionType === 'KMS' ? `KMS (${s.KeyId ?? 'no key id'})` : (s.EncryptionType ?? 'NONE');
  const settings: [string, string][] = [
    ['Stream', s.StreamName ?? '-'],
    ['ARN', s.StreamARN ?? '-'],
    ['Status', s.StreamStatus ?? '-'],
    ['Mode', s.StreamModeDetails?.StreamMode ?? '-'],
    ['Retention', `${s.RetentionPeriodHours ?? '-'} hours`],
    ['Encryption', encryption],
    ['Consumers', String(s.ConsumerCount ?? 0)],
    ['Max record size', `${s.MaxRecordSizeInKiB ?? 1024} KiB`],
    ['Created', s.StreamCreationTimestamp?.toISOString() ?? '-'],
    ['Shards', `${shards.filter(isOpen).length} open, ${shards.filter((shard) => !isOpen(shard)).length} closed`],
  ];
  const width = Math.max(...settings.map(([label]) => label.length));
  const rows = shards.map((shard) => [
    shard.ShardId ?? '-',
    isOpen(shard) ? 'open' : 'closed',
    `${shard.HashKeyRange?.StartingHashKey ?? '?'}-${shard.HashKeyRange?.EndingHashKey ?? '?'}`,
    `${shard.SequenceNumberRange?.StartingSequenceNumber ?? '?'}-${shard.SequenceNumberRange?.EndingSequenceNumber ?? ''}`,
    shard.ParentShardId ?? '-',
    shard.AdjacentParentShardId ?? '-',
  ]);
  return [
    ...settings.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}`),
    '',
    ...textTable(['SHARD', 'STATE', 'HASH KEY RANGE', 'SEQUENCE NUMBER RANGE', 'PARENT', 'ADJACENT PARENT'], rows),
  ];
}
