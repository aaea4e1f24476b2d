// Scenario 1: PutRecord, closed loop at several concurrencies, 1 KiB records, random partition keys.
import { runClosedLoop } from '../closed-loop.mjs';
import { putRecordBody, randomPartitionKey } from '../payloads.mjs';
import { megabytesPerSecond, metric, perSecond } from '../stats.mjs';
import { createActiveStream, deleteStreamQuietly, streamNameFor } from '../stream-fixture.mjs';
import { verifyAcknowledgedRecordsStored } from '../verify-stored.mjs';
import { loopProblems } from './loop-problems.mjs';

export const putRecordScenario = {
  id: 'put-record',
  name: 'PutRecord',
  cases: (profile) => profile.putRecord.concurrencies.map((concurrency) => ({
    label: `PutRecord c=${concurrency}`,
    run: (context) => runPutRecord(context, concurrency),
  })),
};

/** Also used untimed as the warm-up. */
export async function runPutRecord({ client, profile, payloads }, concurrency, settings = profile.putRecord) {
  const streamName = streamNameFor(`put-record-c${concurrency}`);
  const shardIds = new Set(await createActiveStream(client, streamName, settings.shards));
  try {
    const distinct = new Set();
    const acknowledgedByShard = new Map();
    const loop = await runClosedLoop({
      concurrency,
      durationMs: settings.durationMs,
      maxOperations: settings.maxOperations,
      operation: async () => {
        const data = payloads.next();
        const response = await client.call('PutRecord', putRecordBody(streamName, randomPartitionKey(), data));
        if (!shardIds.has(response.ShardId) || typeof response.SequenceNumber !== 'string') {
          throw new Error(`malformed PutRecord response ${JSON.stringify(response).slice(0, 200)}`);
        }
        distinct.add(`${response.ShardId}/${response.SequenceNumber}`);
        acknowledgedByShard.set(response.ShardId, { sequenceNumber: response.SequenceNumber, data });
      },
    });
    const problems = loopProblems(loop);
    if (distinct.size !== loop.completed) {
      problems.push(`${loop.completed} acknowledged records but only ${distinct.size} distinct sequence numbers`);
    }
    problems.push(...await verifyAcknowledgedRecordsStored(client, streamName, acknowledgedByShard));
    return {
      metrics: {
        'records/s': metric.throughput(perSecond(loop.completed, loop.elapsedMs)),
        'MB/s': metric.bandwidth(megabytesPerSecond(loop.completed * profile.recordBytes, loop.elapsedMs)),
        'p50 ms': metric.latency(loop.latencies.percentile(50)),
        'p99 ms': metric.latency(loop.latencies.percentile(99)),
      },
      problems,
      notes: [`${loop.completed} records in ${(loop.elapsedMs / 1000).toFixed(1)} s`],
    };
  } finally {
    await deleteStreamQuietly(client, streamName);
  }
}
