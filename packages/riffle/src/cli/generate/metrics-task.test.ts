import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliError } from '../cli-error.js';
import { parseMetricsTask, readMetricsTask } from './metrics-task.js';
import { tickRecords } from './metrics-task-records.js';
import { SeededRandom } from './seeded-random.js';
import { taskTicks } from './task-ticks.js';
import { FakeRunClock } from './fake-run-clock.js';

const valid = () => ({
  '@type': 'kinesis-metrics-stream',
  stream: { region: 'eu-central-1', streamName: 'lab' },
  iterationsNumber: 2,
  timer: { '@type': 'realtime', startTime: '2020-01-01T11:32:54.000Z', rateMillis: 1000 },
  metrics: {
    'user-service': { cpu: { unit: 'percent', minValue: 10, maxValue: 25 }, ram: { unit: 'percent', minValue: 50, maxValue: 75 } },
    'order-service': { cpu: { unit: 'percent', minValue: 10, maxValue: 25 } },
  },
});

function refusal(change: (task: Record<string, any>) => void): string {
  const task: Record<string, any> = valid();
  change(task);
  try {
    readMetricsTask(task, 'task.json');
  } catch (error) {
    assert.ok(error instanceof CliError);
    assert.equal(error.exitCode, 2);
    return error.message;
  }
  return assert.fail('the task was accepted');
}

describe('the lab task format (kinesis-metrics-stream)', () => {
  it('reads the lab\'s example: stream, timer, metrics in the task\'s order, auth as static credentials', () => {
    const task = readMetricsTask({ ...valid(), auth: { accessKeyId: 'AKID', secretKey: 'SECRET', sessionToken: 'TOKEN' }, endpoint: 'http://127.0.0.1:4567' }, 'task.json');
    assert.equal(task.streamName, 'lab');
    assert.equal(task.region, 'eu-central-1');
    assert.equal(task.endpoint, 'http://127.0.0.1:4567');
    assert.deepEqual(task.credentials, { accessKeyId: 'AKID', secretAccessKey: 'SECRET', sessionToken: 'TOKEN' });
    assert.deepEqual(task.timer, { type: 'realtime', rateMillis: 1000, startTime: Date.parse('2020-01-01T11:32:54.000Z') });
    assert.deepEqual(task.metrics.map((m) => `${m.component}/${m.metric}`), ['user-service/cpu', 'user-service/ram', 'order-service/cpu']);
    assert.deepEqual(task.unknownKeys, []);
  });

  it('names the JSON path of every problem', () => {
    assert.equal(refusal((t) => (t.timer.rateMillis = 0)), 'task.json: timer.rateMillis must be a positive number');
    assert.equal(refusal((t) => delete t.timer.rateMillis), 'task.json: timer.rateMillis is missing');
    assert.equal(refusal((t) => (t.iterationsNumber = 1.5)), 'task.json: iterationsNumber must be a positive integer');
    assert.equal(refusal((t) => delete t.stream.streamName), 'task.json: stream.streamName is missing');
    assert.equal(refusal((t) => (t.metrics['user-service'].cpu.minValue = 'ten')), 'task.json: metrics.user-service.cpu.minValue must be a number');
    assert.equal(refusal((t) => (t.metrics['user-service'].cpu.minValue = 30)), 'task.json: metrics.user-service.cpu.minValue (30) must not be greater than maxValue (25)');
    assert.equal(refusal((t) => (t.metrics = {})), 'task.json: metrics must declare at least one component with a metric');
    assert.equal(refusal((t) => (t.timer['@type'] = 'wallclock')), 'task.json: timer.@type must be "realtime" or "synthetic" (got "wallclock")');
    assert.equal(refusal((t) => (t.timer = { '@type': 'synthetic', stepMillis: 10 })), 'task.json: timer.startTime is missing');
    assert.match(refusal((t) => (t.timer = { '@type': 'synthetic', stepMillis: 10, startTime: 'yesterday' })), /^task\.json: timer\.startTime must be an ISO-8601 timestamp/);
    assert.equal(refusal((t) => (t.auth = { accessKeyId: 'AKID' })), 'task.json: auth.secretKey is missing');
    assert.match(refusal((t) => (t.stream.region = '${aws_region}')), /stream\.region is the placeholder "\$\{aws_region\}": replace it/);
    assert.match(refusal((t) => (t.endpoint = 'localhost:4567')), /^task\.json: endpoint must be an http/);
  });

  it('says that the original\'s file-writing task types are not supported, and warns about unknown keys', () => {
    assert.match(refusal((t) => (t['@type'] = 'windowed-metrics')), /"windowed-metrics" writes CSV files .* not supported by riffle generate/);
    assert.match(refusal((t) => (t['@type'] = 'server-access-log')), /"server-access-log" writes log files .*--data-profile access-logs/);
    const task = readMetricsTask({ ...valid(), description: 'x', stream: { streamName: 'lab', arn: 'y' } }, 'task.json');
    assert.deepEqual(task.unknownKeys, ['description', 'stream.arn']);
  });

  it('reports a JSON syntax error with its line and column', () => {
    assert.throws(() => parseMetricsTask('{\n  "@type": "kinesis-metrics-stream",\n  oops\n}', 'task.json'), /task\.json: not JSON \(line 3, column 3\)/);
  });

  it('makes one record per component and metric a tick, keyed by component, shaped and ordered as the lab\'s', () => {
    const task = readMetricsTask(valid(), 'task.json');
    const at = Date.parse('2021-09-09T12:15:02.001Z');
    const records = tickRecords(task.metrics, new SeededRandom(7), at);
    assert.deepEqual(records.map((r) => r.partitionKey), ['user-service', 'user-service', 'order-service']);
    for (const [i, record] of records.entries()) {
      assert.deepEqual(Object.keys(JSON.parse(record.data)), ['componentName', 'metricName', 'unit', 'value', 'publicationTimestamp']);
      const parsed = JSON.parse(record.data) as { metricName: string; value: number; publicationTimestamp: string };
      assert.equal(parsed.metricName, task.metrics[i]!.metric);
      assert.ok(parsed.value >= task.metrics[i]!.minValue && parsed.value <= task.metrics[i]!.maxValue);
      assert.equal(parsed.publicationTimestamp, '2021-09-09T12:15:02.001Z');
    }
    assert.deepEqual(tickRecords(task.metrics, new SeededRandom(7), at), records, 'the same seed, the same values');
  });

  it('keeps every value in [minValue, maxValue], the ends included, over many draws', () => {
    const metrics = [{ component: 'c', metric: 'm', unit: 'u', minValue: 0.004, maxValue: 0.006 }];
    const random = new SeededRandom(1);
    for (let i = 0; i < 2000; i++) {
      const value = (JSON.parse(tickRecords(metrics, random, 0)[0]!.data) as { value: number }).value;
      assert.ok(value >= 0.004 && value <= 0.006, String(value));
    }
  });
});

describe('task timers on a fake clock', () => {
  it('realtime: ticks rateMillis apart on the clock, stamped with the clock, startTime unused', async () => {
    const clock = new FakeRunClock();
    const start = clock.now();
    const ticks = [];
    for await (const tick of taskTicks({ type: 'realtime', rateMillis: 250, startTime: Date.UTC(2020, 0, 1) }, 4, clock)) {
      ticks.push(tick.timestampMs);
      clock.time += 30; // sending takes time: the schedule does not drift
    }
    assert.deepEqual(ticks, [start, start + 250, start + 500, start + 750]);
  });

  it('realtime: a late tick fires at once and the next keep the schedule', async () => {
    const clock = new FakeRunClock();
    const start = clock.now();
    const ticks = [];
    for await (const tick of taskTicks({ type: 'realtime', rateMillis: 100, startTime: undefined }, 3, clock)) {
      ticks.push(tick.timestampMs - start);
      if (tick.index === 0) clock.time += 150;
    }
    assert.deepEqual(ticks, [0, 150, 200]);
  });

  it('synthetic: stamps startTime + i * stepMillis and never waits', async () => {
    const clock = new FakeRunClock();
    const startTime = Date.parse('2021-09-09T12:15:00.000Z');
    const ticks = [];
    for await (const tick of taskTicks({ type: 'synthetic', stepMillis: 60_000, startTime }, 3, clock)) ticks.push(new Date(tick.timestampMs).toISOString());
    assert.deepEqual(ticks, ['2021-09-09T12:15:00.000Z', '2021-09-09T12:16:00.000Z', '2021-09-09T12:17:00.000Z']);
    assert.deepEqual(clock.sleeps, []);
  });

  it('stops between ticks when the signal aborts', async () => {
    const clock = new FakeRunClock();
    const stop = new AbortController();
    let count = 0;
    for await (const tick of taskTicks({ type: 'realtime', rateMillis: 100, startTime: undefined }, 10, clock, stop.signal)) {
      count++;
      if (tick.index === 2) stop.abort();
    }
    assert.equal(count, 3);
  });
});
