// Creating, waiting for and deleting the streams a scenario runs on.
import { setTimeout as sleep } from 'node:timers/promises';

const ACTIVE_TIMEOUT_MS = 30_000;
const ACTIVE_POLL_MS = 20;

let streamCounter = 0;

/** Unique per harness run so that a scenario never sees a previous scenario's data. */
export function streamNameFor(label) {
  streamCounter += 1;
  return `bench-${label}-${process.pid}-${streamCounter}`;
}

/**
 * Creates a provisioned stream, waits until every endpoint of the client (every node of a cluster target) answers
 * ACTIVE, opens each shard on every endpoint, and returns the shard ids. Other nodes learn of the stream from
 * JetStream a moment later, so until then they answer ResourceNotFoundException. Opening is one GetShardIterator
 * (LATEST) per shard and node, untimed: Riffle's JetStream store creates a shard's JetStream stream on its first
 * use (a few hundred ms for R3), a one-time cost that would otherwise land in a scenario's first seconds.
 */
export async function createActiveStream(client, streamName, shardCount) {
  await client.call('CreateStream', JSON.stringify({ StreamName: streamName, ShardCount: shardCount }));
  const deadline = performance.now() + ACTIVE_TIMEOUT_MS;
  let shardIds;
  for (const endpoint of client.endpoints ?? [client]) {
    shardIds = await waitUntilActive(endpoint, streamName, shardCount, deadline);
  }
  for (const endpoint of client.endpoints ?? [client]) {
    await Promise.all(shardIds.map((shardId) => endpoint.call('GetShardIterator', JSON.stringify({
      StreamName: streamName, ShardId: shardId, ShardIteratorType: 'LATEST',
    }))));
  }
  return shardIds;
}

async function waitUntilActive(client, streamName, shardCount, deadline) {
  while (performance.now() < deadline) {
    let description;
    try {
      ({ StreamDescription: description } = await client.call('DescribeStream', JSON.stringify({ StreamName: streamName })));
    } catch (error) {
      if (error.type !== 'ResourceNotFoundException') throw error;
    }
    if (description?.StreamStatus === 'ACTIVE') {
      const shardIds = description.Shards.map((shard) => shard.ShardId);
      if (shardIds.length !== shardCount) {
        throw new Error(`stream ${streamName} has ${shardIds.length} shards, expected ${shardCount}`);
      }
      return shardIds;
    }
    await sleep(ACTIVE_POLL_MS);
  }
  throw new Error(`stream ${streamName} not ACTIVE within ${ACTIVE_TIMEOUT_MS} ms`);
}

/**
 * Best effort: frees the server's memory between scenarios; failures do not matter to the results.
 * `extra` adds request fields, e.g. { EnforceConsumerDeletion: true } for a stream with registered consumers.
 */
export async function deleteStreamQuietly(client, streamName, extra = {}) {
  try {
    await client.call('DeleteStream', JSON.stringify({ StreamName: streamName, ...extra }));
  } catch {
    // the stream may already be gone, or the server may be down; either way the scenario's result stands
  }
}
