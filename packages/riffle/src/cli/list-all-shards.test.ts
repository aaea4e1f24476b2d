import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KinesisClient, ListShardsCommandInput } from '@aws-sdk/client-kinesis';
import { listAllShards } from './list-all-shards.js';

/** A client whose ListShards answers pages of two shards, as a stream of five shards would with MaxResults 2. */
function pagingClient(inputs: ListShardsCommandInput[]): KinesisClient {
  const ids = [0, 1, 2, 3, 4].map((n) => `shardId-00000000000${n}`);
  return {
    send: async (command: { input: ListShardsCommandInput }) => {
      inputs.push(command.input);
      const from = command.input.NextToken === undefined ? 0 : Number(command.input.NextToken);
      const next = from + 2;
      return { Shards: ids.slice(from, next).map((ShardId) => ({ ShardId })), NextToken: next < ids.length ? String(next) : undefined };
    },
  } as unknown as KinesisClient;
}

describe('listAllShards', () => {
  it('follows NextToken to the last page, naming the stream only on the first call (AWS refuses both)', async () => {
    const inputs: ListShardsCommandInput[] = [];
    const shards = await listAllShards(pagingClient(inputs), { StreamName: 's' }, 'list');
    assert.deepEqual(shards.map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003', 'shardId-000000000004']);
    assert.deepEqual(inputs, [{ StreamName: 's' }, { NextToken: '2' }, { NextToken: '4' }]);
  });
});
