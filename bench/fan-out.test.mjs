import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCliOptions } from './cli-options.mjs';
import {
  DeliveryLog,
  HEADER_BYTES,
  indexFromBase64,
  indexFromBytes,
  PRIMING_INDEX,
  sequenceAfter,
  summariseDeliveries,
  writeHeader,
} from './fan-out-samples.mjs';
import { scenarios, selectScenarios } from './scenarios/index.mjs';

const times = (values) => Float64Array.from(values.map((value) => (value === undefined ? Number.NaN : value)));

test('the record header round-trips through the SDK bytes and GetRecords base64', () => {
  const payload = writeHeader(Buffer.alloc(1024, 7), 1234.5, 42);
  assert.equal(payload.readDoubleLE(0), 1234.5);
  assert.equal(indexFromBase64(payload.toString('base64')), 42);
  // The SDK hands over a Uint8Array that may be a view into a larger buffer.
  const pooled = new Uint8Array(4096);
  pooled.set(payload, 100);
  assert.equal(indexFromBytes(pooled.subarray(100, 100 + payload.length)), 42);
  assert.equal(indexFromBytes(new Uint8Array(HEADER_BYTES - 1)), undefined);
  assert.equal(indexFromBase64('AAAA'), undefined);
});

test('sequence numbers compare as decimal numbers without BigInt', () => {
  assert.equal(sequenceAfter('10', '9'), true);
  assert.equal(sequenceAfter('9', '10'), false);
  assert.equal(sequenceAfter('123', '122'), true);
  assert.equal(sequenceAfter('122', '122'), false);
  assert.equal(sequenceAfter('1', undefined), true);
});

test('a delivery log keeps the first arrival and counts duplicates, strangers, order and priming', () => {
  const log = new DeliveryLog(3);
  log.record(PRIMING_INDEX, 1, '100');
  assert.equal(log.primed, true);
  assert.equal(log.received, 0);
  log.record(0, 10, '101');
  log.record(0, 11, '102');
  log.record(7, 12, '103');
  log.record(undefined, 13, '104');
  log.record(2, 14, '099');
  assert.equal(log.received, 2);
  assert.equal(log.deliveredAt[0], 10);
  assert.equal(log.duplicates, 1);
  assert.equal(log.unknown, 2);
  assert.equal(log.outOfOrder, 1);
});

test('latencies are delivery minus acknowledgement and minus send, over every consumer of every acknowledged record', () => {
  const sentAt = times([0, 10, 20]);
  const ackedAt = times([2, 12, undefined]); // record 2 was never acknowledged: nobody is expected to get it
  const first = new DeliveryLog(3);
  first.record(0, 3);
  first.record(1, 11); // pushed before the producer saw its acknowledgement
  first.record(2, 25);
  const second = new DeliveryLog(3);
  second.record(0, 6);
  const summary = summariseDeliveries({ sentAt, ackedAt, logs: [first, second] });
  assert.equal(summary.acknowledged, 2);
  assert.equal(summary.expected, 4);
  assert.equal(summary.deliveries, 3);
  assert.equal(summary.fewest, 1);
  assert.deepEqual(summary.perConsumer, [2, 1]);
  assert.equal(summary.beforeAck, 1);
  assert.equal(summary.afterAck.count, 3);
  assert.equal(summary.afterAck.percentile(50), 1); // samples 1, -1, 4
  assert.equal(summary.afterAck.percentile(100), 4);
  assert.equal(summary.afterSend.percentile(100), 6); // samples 3, 1, 6
});

test('no consumer, no acknowledged record: no percentile and nothing expected', () => {
  const summary = summariseDeliveries({ sentAt: times([1]), ackedAt: times([undefined]), logs: [new DeliveryLog(1)] });
  assert.equal(summary.expected, 0);
  assert.equal(summary.afterAck.percentile(99), undefined);
});

test('--scenario selects scenarios by id, in run order, and refuses unknown ones', () => {
  assert.deepEqual(readCliOptions(['--scenario', 'fan-out, latency']).scenarios, ['fan-out', 'latency']);
  assert.deepEqual(readCliOptions([]).scenarios, []);
  assert.equal(selectScenarios([]), scenarios);
  assert.deepEqual(selectScenarios(['fan-out', 'put-record']).map((scenario) => scenario.id), ['put-record', 'fan-out']);
  assert.throws(() => selectScenarios(['fanout']), /unknown scenario\(s\) fanout/);
  assert.equal(new Set(scenarios.map((scenario) => scenario.id)).size, scenarios.length);
});

test('the fan-out cases cover every consumer count for both ways of reading', () => {
  const fanOut = scenarios.find((scenario) => scenario.id === 'fan-out');
  const labels = fanOut.cases({ fanOut: { ratePerSecond: 1000, consumers: [1, 5, 20] } }).map((c) => c.label);
  assert.deepEqual(labels, [
    'Fan-out 1000/s SubscribeToShard, 1 consumer',
    'Fan-out 1000/s SubscribeToShard, 5 consumers',
    'Fan-out 1000/s SubscribeToShard, 20 consumers',
    'Fan-out 1000/s GetRecords polling, 1 poller',
    'Fan-out 1000/s GetRecords polling, 5 pollers',
    'Fan-out 1000/s GetRecords polling, 20 pollers',
  ]);
});
