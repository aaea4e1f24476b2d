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

/** Creates a provisioned stream, waits until ACTIVE and returns its shard ids. */
export async function createActiveStream(client, streamName, shardCount) {
  await client.call('CreateStream', JSON.stringify({ StreamName: streamName, ShardCount: shardCount }));
  const deadline = performance.now() + ACTIVE_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const { StreamDescription: description } = await client.call('DescribeStream', JSON.stringify({ StreamName: streamName }));
    if (description.StreamStatus === 'ACTIVE') {
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
