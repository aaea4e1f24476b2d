// Scenario 5: fan-out. One producer puts 1 KiB records at a steady rate on a 1-shard stream while N consumers read
// them, either each through its own registered consumer and SubscribeToShard (enhanced fan-out, records pushed) or
// each by polling GetRecords (the baseline). Latency is a consumer's delivery time minus the producer's PutRecord
// acknowledgement time (and minus its send time), over every consumer's copy of every acknowledged record.
//
// SubscribeToShard goes through @aws-sdk/client-kinesis (SubscribeToShardCommand's event stream), over the target's
// transport: HTTP/2 (the SDK's default NodeHttp2Handler, one session per subscription) for `riffle-h2`, HTTP/1.1
// (NodeHttpHandler) for `riffle` and `kinesis-local`. The producer, the control plane and the pollers use the harness
// client. A server without RegisterStreamConsumer (kinesalite) gets '-' in the SubscribeToShard rows.
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { KinesisClient, SubscribeToShardCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { BENCH_CREDENTIALS } from '../sigv4-sign.mjs';
import {
  DeliveryLog,
  indexFromBase64,
  indexFromBytes,
  PRIMING_INDEX,
  summariseDeliveries,
  writeHeader,
} from '../fan-out-samples.mjs';
import { putRecordBody, randomPartitionKey } from '../payloads.mjs';
import { readCurrentRss, readProcessesCpuMs } from '../server-process.mjs';
import { LatencySamples, metric } from '../stats.mjs';
import { createActiveStream, deleteStreamQuietly, streamNameFor } from '../stream-fixture.mjs';

const MAX_ERRORS = 20;
const CONSUMER_ACTIVE_POLL_MS = 20;
const PRIMING_INTERVAL_MS = 50;
const DRAIN_CHECK_MS = 5;
const READER_STOP_MS = 2_000;
const POLL_LIMIT = 10_000;
const THROTTLE_BACKOFF_MS = 10;
const UNSUPPORTED = /UnknownOperation|InvalidAction|NotImplemented/i;

// The SDK's notice that releases after January 2027 need Node 22 is not about the servers; keep it off the progress log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;

export const fanOutScenario = {
  id: 'fan-out',
  name: 'Fan-out',
  cases: (profile) => {
    const { ratePerSecond, consumers } = profile.fanOut;
    return [
      ...consumers.map((count) => ({
        label: `Fan-out ${ratePerSecond}/s SubscribeToShard, ${plural(count, 'consumer')}`,
        run: (context) => runFanOut(context, count, subscriptionReaders),
      })),
      ...consumers.map((count) => ({
        label: `Fan-out ${ratePerSecond}/s GetRecords polling, ${plural(count, 'poller')}`,
        run: (context) => runFanOut(context, count, pollingReaders),
      })),
    ];
  },
};

/**
 * One case: a fresh 1-shard stream, `count` readers started by `readers`, priming until every reader has seen a
 * record, the timed producer, a bounded drain, then every reader stopped and the stream deleted.
 */
async function runFanOut(context, count, readers) {
  const { client, profile } = context;
  const settings = profile.fanOut;
  const streamName = streamNameFor(`fan-out-${readers.kind}-${count}`);
  const [shardId] = await createActiveStream(client, streamName, 1);
  const total = Math.round((settings.ratePerSecond * settings.durationMs) / 1000);
  const logs = Array.from({ length: count }, () => new DeliveryLog(total));
  let started;
  try {
    started = await readers.start({ ...context, settings, streamName, shardId, logs });
    if (started.unsupported) {
      return {
        metrics: emptyMetrics(),
        problems: [],
        warnings: [`no SubscribeToShard (${started.unsupported}); shown as -`],
        notes: [],
      };
    }
    const live = started.live;
    const problems = [...started.problems];
    if (live.length === 0) throw new Error(problems[0] ?? 'no reader started');

    const priming = await prime(client, streamName, profile.recordBytes, live.map((index) => logs[index]), settings);
    if (priming.unprimed > 0) problems.push(`${priming.unprimed} of ${live.length} readers saw no priming record within ${settings.primeTimeoutMs} ms`);
    if (priming.errors > 0) problems.push(`priming: ${priming.errors} PutRecord calls failed; first: ${priming.firstError?.message}`);

    // The bench client shares the machine and its event loop with every reader: how late it ran is part of the
    // measured latency, so the notes say how late (p99 of its event-loop delay over the timed phase).
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const clientCpuBefore = process.cpuUsage();
    const serverCpuBefore = await readProcessesCpuMs(context.server.pids);
    const producer = await produce(client, streamName, shardId, profile.recordBytes, total, settings);
    const drainMs = await drain(live.map((index) => logs[index]), producer, settings, started.stillReading);
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const serverCpuAfter = await readProcessesCpuMs(context.server.pids);
    loopDelay.disable();
    const timedMs = producer.elapsedMs + drainMs;
    await started.stop();

    const summary = summariseDeliveries({ sentAt: producer.sentAt, ackedAt: producer.ackedAt, logs: live.map((index) => logs[index]) });
    problems.push(...started.failures(), ...producerProblems(producer));
    const measured = `p50/p99 after ack ${formatMs(summary.afterAck.percentile(50))}/${formatMs(summary.afterAck.percentile(99))} ms over what arrived`;
    if (summary.deliveries !== summary.expected) {
      problems.push(`received ${summary.deliveries} of ${summary.expected} deliveries (${summary.acknowledged} acknowledged records x ${live.length} readers; the fewest ${summary.fewest}); ${measured}`);
    }
    if (live.length < count) problems.push(`only ${live.length} of ${count} readers ran; ${measured}`);
    if (summary.duplicates > 0) problems.push(`${summary.duplicates} records delivered twice to the same reader`);
    if (summary.outOfOrder > 0) problems.push(`${summary.outOfOrder} records out of sequence order`);
    if (summary.unknown > 0) problems.push(`${summary.unknown} records not put by this case`);

    const putRate = producer.elapsedMs > 0 ? (producer.acked * 1000) / producer.elapsedMs : 0;
    const warnings = putRate < settings.ratePerSecond * 0.9
      ? [`the producer managed ${Math.round(putRate)} of ${settings.ratePerSecond} records/s (PutRecord too slow or failing)`]
      : [];
    const percent = (cpuMs) => `${Math.round((100 * cpuMs) / timedMs)}%`;
    const notes = [
      `${producer.acked} of ${total} records acknowledged in ${(producer.elapsedMs / 1000).toFixed(1)} s (${Math.round(putRate)}/s), drain ${Math.round(drainMs)} ms`,
      `${summary.deliveries} deliveries to ${live.length} readers; ${summary.beforeAck} arrived before their PutRecord acknowledgement`,
      `PutRecord p50/p99 ${formatMs(producer.putLatencies.percentile(50))}/${formatMs(producer.putLatencies.percentile(99))} ms`,
      `readers ready in ${Math.round(started.readyMs)} ms, primed in ${Math.round(priming.elapsedMs)} ms`,
      `CPU while timed: bench client ${percent((clientCpu.user + clientCpu.system) / 1000)}` +
        (serverCpuBefore !== undefined && serverCpuAfter !== undefined ? `, server ${percent(serverCpuAfter - serverCpuBefore)} of one core` : '') +
        `; bench client event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
      ...started.notes(),
    ];
    const rss = await Promise.all(context.server.pids.map(readCurrentRss));
    if (!rss.includes(undefined)) notes.push(`server RSS ${rss.map((bytes) => Math.round(bytes / 1048576)).join(' + ')} MiB after the timed phase`);
    return {
      metrics: {
        deliveries: metric.count(summary.deliveries),
        'p50 ms after ack': metric.latencyDifference(summary.afterAck.percentile(50)),
        'p99 ms after ack': metric.latencyDifference(summary.afterAck.percentile(99)),
        'p50 ms after send': metric.latency(summary.afterSend.percentile(50)),
        'p99 ms after send': metric.latency(summary.afterSend.percentile(99)),
      },
      problems,
      warnings,
      notes,
    };
  } finally {
    await started?.stop?.();
    await deleteStreamQuietly(client, streamName, { EnforceConsumerDeletion: true });
  }
}

function emptyMetrics() {
  return {
    deliveries: metric.count(undefined),
    'p50 ms after ack': metric.latencyDifference(undefined),
    'p99 ms after ack': metric.latencyDifference(undefined),
    'p50 ms after send': metric.latency(undefined),
    'p99 ms after send': metric.latency(undefined),
  };
}

const formatMs = (value) => (value === undefined ? '-' : value.toFixed(2));

/** Readers that subscribe: one registered consumer and one SubscribeToShard (LATEST) each. */
const subscriptionReaders = {
  kind: 'subscribe',
  async start({ client, target, server, settings, streamName, shardId, logs }) {
    const startedAt = performance.now();
    const { StreamDescription: description } = await client.call('DescribeStream', JSON.stringify({ StreamName: streamName }));
    const consumerArns = [];
    for (let index = 0; index < logs.length; index++) {
      let registered;
      try {
        registered = await client.call('RegisterStreamConsumer', JSON.stringify({
          StreamARN: description.StreamARN, ConsumerName: `bench-consumer-${index}`,
        }));
      } catch (error) {
        if (index === 0 && UNSUPPORTED.test(error.type ?? '')) return { unsupported: `RegisterStreamConsumer: ${error.type}` };
        throw error;
      }
      consumerArns.push(await waitUntilConsumerActive(client, registered.Consumer.ConsumerARN, settings.setupTimeoutMs));
    }

    // One SDK client per Riffle node of a cluster target, subscription i on node i mod nodes: records put through
    // one node are pushed to subscribers on the other.
    const sdks = server.ports.map((port) => new KinesisClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      // The bench's key: a server verifying signatures (riffle-strict) knows it, the others take any.
      credentials: { accessKeyId: BENCH_CREDENTIALS.accessKeyId, secretAccessKey: BENCH_CREDENTIALS.secretAccessKey },
      maxAttempts: 1,
      // The SDK's default for Kinesis is NodeHttp2Handler; HTTP/1.1 targets get the same event stream over NodeHttpHandler.
      ...(target.transport === 'h2' ? {} : { requestHandler: new NodeHttpHandler({ httpAgent: { maxSockets: logs.length + 8 } }) }),
    }));
    const controllers = logs.map(() => new AbortController());
    const states = logs.map(() => ({ error: undefined, exception: undefined, ended: false, events: 0 }));
    let stopping = false;
    const subscribed = await Promise.all(consumerArns.map(async (consumerArn, index) => {
      const timer = setTimeout(() => controllers[index].abort(), settings.setupTimeoutMs);
      try {
        const response = await sdks[index % sdks.length].send(new SubscribeToShardCommand({
          ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: { Type: 'LATEST' },
        }), { abortSignal: controllers[index].signal });
        return { index, stream: response.EventStream };
      } catch (error) {
        return { index, error };
      } finally {
        clearTimeout(timer);
      }
    }));
    const problems = subscribed.filter((s) => s.error).map((s) => `consumer ${s.index}: SubscribeToShard failed: ${describeError(s.error)}`);
    const live = subscribed.filter((s) => s.stream).map((s) => s.index);
    const reading = subscribed.filter((s) => s.stream).map(({ index, stream }) => (async () => {
      const log = logs[index];
      const state = states[index];
      try {
        for await (const message of stream) {
          const event = message.SubscribeToShardEvent;
          if (!event) {
            state.exception ??= Object.keys(message).join(',');
            continue;
          }
          const at = performance.now();
          state.events += 1;
          for (const record of event.Records ?? []) log.record(indexFromBytes(record.Data), at, record.SequenceNumber);
        }
        state.ended = !stopping;
      } catch (error) {
        if (!stopping) state.error = error;
      }
    })());
    let stopped;
    return {
      live,
      problems,
      readyMs: performance.now() - startedAt,
      stillReading: () => live.some((index) => !states[index].ended && !states[index].error),
      stop: () => (stopped ??= (async () => {
        stopping = true;
        for (const controller of controllers) controller.abort();
        await Promise.race([Promise.allSettled(reading), sleep(READER_STOP_MS)]);
        for (const sdk of sdks) sdk.destroy();
      })()),
      failures: () => live.flatMap((index) => {
        const state = states[index];
        if (state.error) return [`consumer ${index}: subscription failed: ${describeError(state.error)}`];
        if (state.exception) return [`consumer ${index}: exception event ${state.exception}`];
        return [];
      }),
      notes: () => {
        const events = live.reduce((sum, index) => sum + states[index].events, 0);
        const ended = live.filter((index) => states[index].ended).length;
        return [`${events} SubscribeToShard events${ended > 0 ? `; ${ended} subscriptions ended before the case did` : ''}`];
      },
    };
  },
};

/** Readers that poll: each its own LATEST iterator, GetRecords in a loop, 1 ms of sleep only after an empty poll. */
const pollingReaders = {
  kind: 'poll',
  async start({ client, settings, streamName, shardId, logs }) {
    const startedAt = performance.now();
    const iterators = [];
    for (let index = 0; index < logs.length; index++) {
      const { ShardIterator: iterator } = await client.call('GetShardIterator', JSON.stringify({
        StreamName: streamName, ShardId: shardId, ShardIteratorType: 'LATEST',
      }));
      iterators.push(iterator);
    }
    const states = logs.map(() => ({ errors: 0, firstError: undefined, throttled: 0, polls: 0, ended: false }));
    let stopping = false;
    // Bounded even if stop() is never reached: the longest a case can take.
    const deadline = performance.now() + settings.setupTimeoutMs + settings.primeTimeoutMs + settings.durationMs * 2 + settings.drainMs;
    const reading = iterators.map(async (firstIterator, index) => {
      const log = logs[index];
      const state = states[index];
      let iterator = firstIterator;
      while (!stopping && iterator && state.errors < MAX_ERRORS && performance.now() < deadline) {
        let response;
        try {
          response = await client.call('GetRecords', `{"ShardIterator":"${iterator}","Limit":${POLL_LIMIT}}`);
        } catch (error) {
          if (error.type === 'ProvisionedThroughputExceededException') {
            state.throttled += 1;
            await sleep(THROTTLE_BACKOFF_MS);
          } else {
            state.errors += 1;
            state.firstError ??= error;
          }
          continue;
        }
        const at = performance.now();
        state.polls += 1;
        const records = response.Records ?? [];
        for (const record of records) log.record(indexFromBase64(record.Data), at, record.SequenceNumber);
        iterator = response.NextShardIterator;
        if (records.length === 0) await sleep(settings.emptyPollSleepMs);
      }
      state.ended = !stopping;
    });
    let stopped;
    return {
      live: logs.map((_, index) => index),
      problems: [],
      readyMs: performance.now() - startedAt,
      stillReading: () => states.some((state) => !state.ended),
      stop: () => (stopped ??= (async () => {
        stopping = true;
        await Promise.race([Promise.allSettled(reading), sleep(READER_STOP_MS)]);
      })()),
      failures: () => states.flatMap((state, index) => (state.errors > 0
        ? [`poller ${index}: ${state.errors} GetRecords calls failed; first: ${state.firstError?.message}`]
        : [])),
      notes: () => {
        const polls = states.reduce((sum, state) => sum + state.polls, 0);
        const throttled = states.reduce((sum, state) => sum + state.throttled, 0);
        return [`${polls} GetRecords polls${throttled > 0 ? `, ${throttled} throttled` : ''}`];
      },
    };
  },
};

/** ACTIVE on every endpoint of the client: another node of a cluster learns of the consumer a moment later. */
async function waitUntilConsumerActive(client, consumerArn, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  for (const endpoint of client.endpoints ?? [client]) {
    for (let active = false; !active;) {
      if (performance.now() >= deadline) throw new Error(`consumer ${consumerArn} not ACTIVE within ${timeoutMs} ms`);
      try {
        const { ConsumerDescription: description } = await endpoint.call('DescribeStreamConsumer', JSON.stringify({ ConsumerARN: consumerArn }));
        active = description.ConsumerStatus === 'ACTIVE';
      } catch (error) {
        if (error.type !== 'ResourceNotFoundException') throw error;
      }
      if (!active) await sleep(CONSUMER_ACTIVE_POLL_MS);
    }
  }
  return consumerArn;
}

/**
 * Puts a priming record every 50 ms until every reader has received one (or the time is up): the subscriptions and
 * iterators are then known to be live and positioned before the first timed record, whatever LATEST resolves to.
 */
async function prime(client, streamName, recordBytes, logs, settings) {
  const startedAt = performance.now();
  const deadline = startedAt + settings.primeTimeoutMs;
  const payload = writeHeader(randomBytes(recordBytes), 0, PRIMING_INDEX).toString('base64');
  const result = { errors: 0, firstError: undefined, unprimed: 0, elapsedMs: 0 };
  while (performance.now() < deadline && result.errors < MAX_ERRORS) {
    try {
      await client.call('PutRecord', putRecordBody(streamName, randomPartitionKey(), payload));
    } catch (error) {
      result.errors += 1;
      result.firstError ??= error;
    }
    const waitUntil = Math.min(deadline, performance.now() + PRIMING_INTERVAL_MS);
    while (performance.now() < waitUntil && !logs.every((log) => log.primed)) await sleep(DRAIN_CHECK_MS);
    if (logs.every((log) => log.primed)) break;
  }
  result.unprimed = logs.filter((log) => !log.primed).length;
  result.elapsedMs = performance.now() - startedAt;
  return result;
}

/**
 * Open loop: record i is due at start + i / rate, whatever happened to the earlier ones, with at most maxInFlight
 * PutRecord calls outstanding, so a slow acknowledgement delays no later send (until the cap is reached).
 */
async function produce(client, streamName, shardId, recordBytes, total, settings) {
  const sentAt = new Float64Array(total).fill(Number.NaN);
  const ackedAt = new Float64Array(total).fill(Number.NaN);
  const putLatencies = new LatencySamples();
  const state = { acked: 0, sent: 0, errors: 0, firstError: undefined, malformed: 0, sequenceNumbers: new Set() };
  const filler = randomBytes(recordBytes);
  const intervalMs = 1000 / settings.ratePerSecond;
  const startedAt = performance.now();
  const deadline = startedAt + settings.durationMs * 2;
  let inFlight = 0;
  let slotFreed;
  const settled = () => {
    inFlight -= 1;
    slotFreed?.();
  };
  for (let index = 0; index < total && state.errors < MAX_ERRORS && performance.now() < deadline; index++) {
    const wait = startedAt + index * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight >= settings.maxInFlight && performance.now() < deadline) {
      await new Promise((resolve) => { slotFreed = resolve; });
      slotFreed = undefined;
    }
    const sendAt = performance.now();
    const body = putRecordBody(streamName, randomPartitionKey(), writeHeader(Buffer.from(filler), sendAt, index).toString('base64'));
    sentAt[index] = sendAt;
    state.sent += 1;
    inFlight += 1;
    client.call('PutRecord', body).then((response) => {
      const at = performance.now();
      if (response.ShardId !== shardId || typeof response.SequenceNumber !== 'string') {
        state.malformed += 1;
        return;
      }
      ackedAt[index] = at;
      putLatencies.add(at - sendAt);
      state.sequenceNumbers.add(response.SequenceNumber);
      state.acked += 1;
    }, (error) => {
      state.errors += 1;
      state.firstError ??= error;
    }).finally(settled);
  }
  const lastSendAt = performance.now();
  while (inFlight > 0 && performance.now() < deadline + settings.drainMs) await sleep(1);
  return {
    ...state,
    unanswered: inFlight,
    sentAt,
    ackedAt,
    elapsedMs: lastSendAt - startedAt,
    putLatencies,
  };
}

function producerProblems(producer) {
  const problems = [];
  if (producer.errors > 0) problems.push(`producer: ${producer.errors} of ${producer.sent} PutRecord calls failed; first: ${producer.firstError?.message}`);
  if (producer.malformed > 0) problems.push(`producer: ${producer.malformed} PutRecord answers without this shard and a sequence number`);
  if (producer.unanswered > 0) problems.push(`producer: ${producer.unanswered} PutRecord calls still unanswered at the end`);
  if (producer.sequenceNumbers.size !== producer.acked) {
    problems.push(`${producer.acked} acknowledged records but only ${producer.sequenceNumbers.size} distinct sequence numbers`);
  }
  return problems;
}

/** Waits until every reader has every acknowledged record, all readers have stopped, or drainMs has passed. */
async function drain(logs, producer, settings, stillReading) {
  const startedAt = performance.now();
  const deadline = startedAt + settings.drainMs;
  while (performance.now() < deadline && stillReading() && !logs.every((log) => log.received >= producer.acked)) {
    await sleep(DRAIN_CHECK_MS);
  }
  return performance.now() - startedAt;
}

function describeError(error) {
  const name = error?.name && error.name !== 'Error' ? `${error.name}: ` : '';
  return `${name}${error?.message ?? String(error)}`.split('\n')[0].slice(0, 200);
}
