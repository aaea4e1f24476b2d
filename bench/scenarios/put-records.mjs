// Scenario 2: PutRecords of 500 x 1 KiB over a 32-shard stream, a few requests in flight.
import { runClosedLoop } from '../closed-loop.mjs';
import { putRecordsBatch } from '../put-records-batch.mjs';
import { megabytesPerSecond, metric, perSecond } from '../stats.mjs';
import { createActiveStream, deleteStreamQuietly, streamNameFor } from '../stream-fixture.mjs';
import { verifyAcknowledgedRecordsStored } from '../verify-stored.mjs';
import { loopProblems } from './loop-problems.mjs';

export const putRecordsScenario = {
  id: 'put-records',
  name: 'PutRecords',
  cases: (profile) => [{
    label: `PutRecords ${profile.putRecords.batchSize}x${profile.recordBytes / 1024}KiB c=${profile.putRecords.concurrency}`,
    run: runPutRecords,
  }],
};

async function runPutRecords({ client, profile, payloads }) {
  const settings = profile.putRecords;
  const streamName = streamNameFor('put-records');
  const shardIds = new Set(await createActiveStream(client, streamName, settings.shards));
  try {
    const distinct = new Set();
    const acknowledgedByShard = new Map();
    const loop = await runClosedLoop({
      concurrency: settings.concurrency,
      durationMs: settings.durationMs,
      maxOperations: settings.maxOperations,
      operation: async () => {
        const batch = await putRecordsBatch(client, streamName, shardIds, payloads, settings.batchSize);
        for (const key of batch.sequenceNumbers) distinct.add(key);
        for (const [shardId, record] of batch.acknowledged) acknowledgedByShard.set(shardId, record);
      },
    });
    const records = loop.completed * settings.batchSize;
    const problems = loopProblems(loop);
    if (distinct.size !== records) {
      problems.push(`${records} acknowledged records but only ${distinct.size} distinct sequence numbers`);
    }
    problems.push(...await verifyAcknowledgedRecordsStored(client, streamName, acknowledgedByShard));
    return {
      metrics: {
        'records/s': metric.throughput(perSecond(records, loop.elapsedMs)),
        'MB/s': metric.bandwidth(megabytesPerSecond(records * profile.recordBytes, loop.elapsedMs)),
        'p50 ms/request': metric.latency(loop.latencies.percentile(50)),
        'p99 ms/request': metric.latency(loop.latencies.percentile(99)),
      },
      problems,
      notes: [`${records} records in ${loop.completed} requests, ${(loop.elapsedMs / 1000).toFixed(1)} s`],
    };
  } finally {
    await deleteStreamQuietly(client, streamName);
  }
}
