import type { ChildShard, _Record } from '@aws-sdk/client-kinesis';
import type { TailRecord } from './record-formats.js';
import type { ChildShardInfo } from './shard-poller.js';

// What GetRecords pages and SubscribeToShard events carry, as tail uses it: the two readers share these.

export const tailRecords = (shardId: string, records: readonly _Record[] | undefined): TailRecord[] =>
  (records ?? []).map((record) => ({
    shardId,
    sequenceNumber: record.SequenceNumber ?? '',
    partitionKey: record.PartitionKey,
    approximateArrivalTimestamp: record.ApproximateArrivalTimestamp,
    data: record.Data ?? new Uint8Array(),
  }));

export const childShardInfos = (children: readonly ChildShard[] | undefined): ChildShardInfo[] =>
  (children ?? []).map((child) => ({ shardId: child.ShardId!, parents: child.ParentShards ?? [] }));
