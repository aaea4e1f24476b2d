import { ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import { awsCall } from './aws-error.js';
import type { StreamRef } from './stream-ref.js';

/** Every shard of a stream (open and closed, within retention), following NextToken to the last page. */
export async function listAllShards(client: KinesisClient, stream: StreamRef, what: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    // A NextToken carries the stream: AWS refuses StreamName beside it.
    const page = await awsCall(what, () => client.send(new ListShardsCommand(nextToken === undefined ? { ...stream } : { NextToken: nextToken })));
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return shards;
}
