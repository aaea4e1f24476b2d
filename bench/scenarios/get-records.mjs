// Scenario 3: read a whole stream back. Load it with PutRecords (untimed), then, shard by shard,
// GetShardIterator TRIM_HORIZON and GetRecords loops until every stored record has been read.
import { runClosedLoop } from '../closed-loop.mjs';
import { putRecordsBatch } from '../put-records-batch.mjs';
import { LatencySamples, megabytesPerSecond, metric, perSecond } from '../stats.mjs';
import { createActiveStream, deleteStreamQuietly, streamNameFor } from '../stream-fixture.mjs';
import { loopProblems } from './loop-problems.mjs';

const LOAD_BATCH = 500;
const MAX_EMPTY_READS_PER_SHARD = 20;

export const getRecordsScenario = {
  id: 'get-records',
  name: 'GetRecords',
  cases: (profile) => [{ label: `GetRecords Limit ${profile.getRecords.limit}`, run: runGetRecords }],
};

async function runGetRecords({ client, profile, payloads }) {
  const settings = profile.getRecords;
  const streamName = streamNameFor('get-records');
  const shardIdList = await createActiveStream(client, streamName, settings.shards);
  try {
    const stored = await load(client, streamName, new Set(shardIdList), payloads, settings);
    const read = await readAll(client, streamName, shardIdList, stored.byShard, payloads.base64Length, settings);
    const problems = [...stored.problems, ...read.problems];
    if (read.total !== stored.total) problems.push(`read ${read.total} records back, ${stored.total} were stored`);
    const notes = [`read ${read.total} records in ${read.calls} GetRecords calls, ${(read.elapsedMs / 1000).toFixed(1)} s`];
    const warnings = stored.total < settings.records
      ? [`stored only ${stored.total} of ${settings.records} records within the ${settings.loadTimeoutMs} ms load budget; read over those`]
      : [];
    return {
      metrics: {
        'records stored': metric.count(stored.total),
        'records/s': metric.throughput(perSecond(read.total, read.elapsedMs)),
        'MB/s': metric.bandwidth(megabytesPerSecond(read.total * profile.recordBytes, read.elapsedMs)),
        'p50 ms/call': metric.latency(read.latencies.percentile(50)),
        'p99 ms/call': metric.latency(read.latencies.percentile(99)),
      },
      problems,
      warnings,
      notes,
    };
  } finally {
    await deleteStreamQuietly(client, streamName);
  }
}

async function load(client, streamName, shardIds, payloads, settings) {
  const byShard = new Map();
  const loop = await runClosedLoop({
    concurrency: settings.loadConcurrency,
    durationMs: settings.loadTimeoutMs,
    maxOperations: Math.ceil(settings.records / LOAD_BATCH),
    operation: async () => {
      const batch = await putRecordsBatch(client, streamName, shardIds, payloads, LOAD_BATCH);
      for (const [shardId, count] of batch.storedByShard) byShard.set(shardId, (byShard.get(shardId) ?? 0) + count);
    },
  });
  const total = [...byShard.values()].reduce((sum, count) => sum + count, 0);
  return { byShard, total, problems: loopProblems(loop).map((problem) => `load: ${problem}`) };
}

async function readAll(client, streamName, shardIds, storedByShard, base64Length, settings) {
  const latencies = new LatencySamples();
  const problems = [];
  const deadline = performance.now() + settings.readTimeoutMs;
  const startedAt = performance.now();
  let total = 0;
  let calls = 0;
  for (const shardId of shardIds) {
    const expected = storedByShard.get(shardId) ?? 0;
    let { ShardIterator: iterator } = await client.call('GetShardIterator', JSON.stringify({
      StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON',
    }));
    let read = 0;
    let emptyReads = 0;
    let previous = -1n;
    while (read < expected && iterator && emptyReads < MAX_EMPTY_READS_PER_SHARD && performance.now() < deadline) {
      const sentAt = performance.now();
      const response = await client.call('GetRecords', `{"ShardIterator":"${iterator}","Limit":${settings.limit}}`);
      latencies.add(performance.now() - sentAt);
      calls += 1;
      const records = response.Records ?? [];
      emptyReads = records.length === 0 ? emptyReads + 1 : 0;
      for (const record of records) {
        const sequence = BigInt(record.SequenceNumber);
        if (sequence <= previous) problems.push(`${shardId}: sequence ${record.SequenceNumber} not after ${previous}`);
        if (record.Data?.length !== base64Length) problems.push(`${shardId}: record ${record.SequenceNumber} has wrong size`);
        previous = sequence;
        if (problems.length > 10) return { total, calls, elapsedMs: performance.now() - startedAt, latencies, problems };
      }
      read += records.length;
      iterator = response.NextShardIterator;
    }
    if (read !== expected) problems.push(`${shardId}: read ${read} of ${expected} stored records`);
    total += read;
  }
  return { total, calls, elapsedMs: performance.now() - startedAt, latencies, problems };
}
