// Scenario 4: producer-to-consumer latency. One producer puts 1 KiB records carrying their send time at a steady
// rate; one consumer polls GetRecords from a LATEST iterator, sleeping briefly only when a poll comes back empty.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { putRecordBody, randomPartitionKey } from '../payloads.mjs';
import { LatencySamples, metric } from '../stats.mjs';
import { createActiveStream, deleteStreamQuietly, streamNameFor } from '../stream-fixture.mjs';

const MAX_ERRORS = 20;
const THROTTLE_BACKOFF_MS = 10;
const CONSUMER_LIMIT = 1000;
// Payload layout: float64 send time (performance.now(), same process as the consumer), uint32 record index.
const HEADER_BASE64_CHARS = 16; // 12 bytes of header -> 16 base64 characters

export const endToEndLatencyScenario = {
  id: 'latency',
  name: 'Put-to-Get latency',
  cases: (profile) => [{ label: `Put-to-Get latency ${profile.latency.ratePerSecond}/s`, run: runEndToEndLatency }],
};

async function runEndToEndLatency({ client, profile }) {
  const settings = profile.latency;
  const streamName = streamNameFor('latency');
  const [shardId] = await createActiveStream(client, streamName, 1);
  try {
    const { ShardIterator: iterator } = await client.call('GetShardIterator', JSON.stringify({
      StreamName: streamName, ShardId: shardId, ShardIteratorType: 'LATEST',
    }));
    const total = Math.round((settings.ratePerSecond * settings.durationMs) / 1000);
    const producer = { sent: 0, errors: 0, firstError: undefined, done: false };
    const producing = produce(client, streamName, profile.recordBytes, total, settings, producer);
    const consumed = await consume(client, iterator, total, settings, producer);
    await producing;

    const problems = [];
    if (producer.errors > 0) problems.push(`producer: ${producer.errors} PutRecord calls failed; first: ${producer.firstError?.message}`);
    if (consumed.errors > 0) problems.push(`consumer: ${consumed.errors} GetRecords calls failed; first: ${consumed.firstError?.message}`);
    if (consumed.duplicates > 0) problems.push(`consumer saw ${consumed.duplicates} records twice`);
    if (consumed.latencies.count !== producer.sent) problems.push(`consumer received ${consumed.latencies.count} of ${producer.sent} records`);
    const notes = [`${producer.sent} records, ${consumed.polls} GetRecords polls`];
    if (consumed.throttled > 0) notes.push(`consumer throttled ${consumed.throttled} times`);
    return {
      metrics: {
        'records delivered': metric.count(consumed.latencies.count),
        'p50 ms': metric.latency(consumed.latencies.percentile(50)),
        'p99 ms': metric.latency(consumed.latencies.percentile(99)),
      },
      problems,
      notes,
    };
  } finally {
    await deleteStreamQuietly(client, streamName);
  }
}

async function produce(client, streamName, recordBytes, total, settings, state) {
  const filler = randomBytes(recordBytes);
  const intervalMs = 1000 / settings.ratePerSecond;
  const startedAt = performance.now();
  try {
    for (let index = 0; index < total && state.errors < MAX_ERRORS; index++) {
      const wait = startedAt + index * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      const payload = Buffer.from(filler);
      payload.writeDoubleLE(performance.now(), 0);
      payload.writeUInt32LE(index, 8);
      try {
        await client.call('PutRecord', putRecordBody(streamName, randomPartitionKey(), payload.toString('base64')));
        state.sent += 1;
      } catch (error) {
        state.errors += 1;
        state.firstError ??= error;
      }
    }
  } finally {
    state.done = true;
  }
}

async function consume(client, firstIterator, total, settings, producer) {
  const latencies = new LatencySamples();
  const seen = new Uint8Array(total);
  const result = { latencies, duplicates: 0, errors: 0, firstError: undefined, throttled: 0, polls: 0 };
  // Bounded: the producer needs about durationMs; the consumer may lag it by drainMs at most.
  const deadline = performance.now() + settings.durationMs * 2 + settings.drainMs;
  let iterator = firstIterator;
  let drainDeadline;
  while (iterator && result.errors < MAX_ERRORS && performance.now() < deadline) {
    if (producer.done) {
      if (latencies.count >= producer.sent) break;
      drainDeadline ??= performance.now() + settings.drainMs;
      if (performance.now() > drainDeadline) break;
    }
    let response;
    try {
      response = await client.call('GetRecords', `{"ShardIterator":"${iterator}","Limit":${CONSUMER_LIMIT}}`);
    } catch (error) {
      if (error.type === 'ProvisionedThroughputExceededException') {
        result.throttled += 1;
        await sleep(THROTTLE_BACKOFF_MS);
      } else {
        result.errors += 1;
        result.firstError ??= error;
      }
      continue;
    }
    const arrivedAt = performance.now();
    result.polls += 1;
    const records = response.Records ?? [];
    for (const record of records) {
      const header = Buffer.from(record.Data.slice(0, HEADER_BASE64_CHARS), 'base64');
      const index = header.readUInt32LE(8);
      if (index >= total || seen[index]) {
        result.duplicates += 1;
        continue;
      }
      seen[index] = 1;
      latencies.add(arrivedAt - header.readDoubleLE(0));
    }
    iterator = response.NextShardIterator;
    if (records.length === 0) await sleep(settings.emptyPollSleepMs);
  }
  return result;
}
