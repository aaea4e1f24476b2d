import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';

export interface ReadShardOptions {
  /** GetRecords calls allowed before giving up (a bound, so a server that never catches up fails the test). */
  maxCalls?: number;
  limit?: number;
  /** Start from this iterator (one handed out earlier, even before a restart) instead of TRIM_HORIZON. */
  iterator?: string;
}

/** Every record of a shard from TRIM_HORIZON (or a given iterator), in the order GetRecords returns them, until caught up. */
export async function readShard(
  client: KinesisClient,
  streamName: string,
  shardId: string,
  options: ReadShardOptions = {},
): Promise<_Record[]> {
  const maxCalls = options.maxCalls ?? 1000;
  let iterator =
    options.iterator ??
    (await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' })))
      .ShardIterator;
  const records: _Record[] = [];
  for (let call = 0; call < maxCalls; call++) {
    if (iterator === undefined) return records;
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: options.limit ?? 10000 }));
    records.push(...(page.Records ?? []));
    // Caught up: nothing returned and nothing behind (a page can be empty without being at the end).
    if ((page.Records ?? []).length === 0 && page.MillisBehindLatest === 0) return records;
    iterator = page.NextShardIterator;
  }
  throw new Error(`${streamName}/${shardId}: not caught up after ${maxCalls} GetRecords calls (${records.length} records read)`);
}
