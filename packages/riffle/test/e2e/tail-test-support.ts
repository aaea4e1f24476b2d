import assert from 'node:assert/strict';
import { CreateStreamCommand, DescribeStreamSummaryCommand, ListShardsCommand, SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

// What the tests of `riffle tail` (polling, and through enhanced fan-out) both need.

export async function untilActive(client: KinesisClient, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${name} did not become ACTIVE`);
}

export async function createActiveStream(client: KinesisClient, name: string, shards: number): Promise<string> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await untilActive(client, name);
  return name;
}

/** Splits the shard at the middle of its hash key range and waits for the stream to be ACTIVE again. */
export async function splitInHalf(client: KinesisClient, stream: string, shardId: string): Promise<void> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const shard = Shards.find((s) => s.ShardId === shardId)!;
  const middle = (BigInt(shard.HashKeyRange!.StartingHashKey!) + BigInt(shard.HashKeyRange!.EndingHashKey!)) / 2n;
  await client.send(new SplitShardCommand({ StreamName: stream, ShardToSplit: shardId, NewStartingHashKey: middle.toString() }));
  await untilActive(client, stream);
}

/** One line of `riffle tail --format json`. */
export interface TailJson {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string | null;
  approximateArrivalTimestamp: string;
  data: string;
  encoding: string;
}
export const jsonLines = (stdout: string) => stdout.trimEnd().split('\n').filter(Boolean).map((line) => JSON.parse(line) as TailJson);

/** Records put as `${phase}-${key}-${n}`: every key's records must come out phase after phase, in put order. */
export function assertOrderPerKey(records: readonly { partitionKey: string | null; data: string }[], phases: readonly string[]): void {
  const byKey = new Map<string, string[]>();
  for (const r of records) byKey.set(r.partitionKey!, [...(byKey.get(r.partitionKey!) ?? []), r.data]);
  for (const [key, data] of byKey) {
    const rank = (d: string) => phases.indexOf(d.split('-')[0]!) * 1000 + Number(d.split('-')[2]);
    assert.deepEqual(data, [...data].sort((a, b) => rank(a) - rank(b)), `${key}: parents' records before children's, in put order`);
  }
}
