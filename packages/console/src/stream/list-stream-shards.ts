import { ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis';
import type { Api } from '../app/api-context.js';

const MAX_PAGES = 20;

/** Every shard ListShards knows of (open and closed ones within retention), following NextToken (bounded). */
export async function listStreamShards(api: Api, streamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api.run(({ kinesis }) => kinesis.send(new ListShardsCommand(token ? { NextToken: token } : { StreamARN: streamArn })));
    shards.push(...(answer.Shards ?? []));
    token = answer.NextToken;
    if (!token) break;
  }
  return shards;
}
