import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricRegistry, type MetricIdentity } from './metric-registry.js';
import { MINUTE_MS } from './minute-series.js';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const NS = 'AWS/Kinesis';
const incoming = (stream: string, shard?: string): MetricIdentity => ({
  namespace: NS,
  name: 'IncomingRecords',
  dimensions: shard === undefined ? { StreamName: stream } : { StreamName: stream, ShardId: shard },
});

describe('MetricRegistry', () => {
  it('keeps one series per name and exact dimension set, whatever the order of the dimensions', () => {
    const registry = new MetricRegistry();
    registry.record({ namespace: NS, name: 'IncomingRecords', dimensions: { StreamName: 's', ShardId: 'shardId-000000000000' } }, T0, 2);
    registry.record({ namespace: NS, name: 'IncomingRecords', dimensions: { ShardId: 'shardId-000000000000', StreamName: 's' } }, T0, 3);
    registry.record(incoming('s'), T0, 5);
    assert.equal(registry.seriesCount, 2);
    assert.equal(registry.query(incoming('s', 'shardId-000000000000'), T0, T0 + MINUTE_MS, MINUTE_MS)[0]?.statistics.sum, 5);
    assert.equal(registry.query(incoming('s'), T0, T0 + MINUTE_MS, MINUTE_MS)[0]?.statistics.sum, 5);
    assert.deepEqual(registry.query(incoming('other'), T0, T0 + MINUTE_MS, MINUTE_MS), []);
  });

  it('sums the series matching a dimension filter (every shard of a stream)', () => {
    const registry = new MetricRegistry();
    registry.record(incoming('s', 'shardId-000000000000'), T0, 2);
    registry.record(incoming('s', 'shardId-000000000001'), T0 + 1, 3);
    registry.record(incoming('t', 'shardId-000000000000'), T0, 100);
    const [point] = registry.queryMatching(NS, 'IncomingRecords', { StreamName: 's' }, T0, T0 + MINUTE_MS, MINUTE_MS);
    assert.deepEqual(point?.statistics, { sampleCount: 2, sum: 5, minimum: 2, maximum: 3 });
  });

  it('lists the metrics with data, filtered by namespace, name, dimensions and age', () => {
    const registry = new MetricRegistry();
    registry.record(incoming('s'), T0, 1);
    registry.record({ namespace: NS, name: 'GetRecords.Latency', dimensions: { StreamName: 's' } }, T0 + 10 * MINUTE_MS, 4);
    assert.deepEqual(registry.list({ name: 'IncomingRecords' }).map((metric) => metric.dimensions), [{ StreamName: 's' }]);
    assert.equal(registry.list({ namespace: NS, dimensions: { StreamName: 's' } }).length, 2);
    assert.deepEqual(registry.list({}, T0 + 10 * MINUTE_MS, 5 * MINUTE_MS).map((metric) => metric.name), ['GetRecords.Latency']);
  });

  it('lists by dimension names whatever their values, as ListMetrics does for a DimensionFilter without a Value', () => {
    const registry = new MetricRegistry();
    registry.record(incoming('s'), T0, 1);
    registry.record(incoming('s', 'shardId-000000000000'), T0, 1);
    registry.record({ namespace: NS, name: 'SubscribeToShard.Success', dimensions: { StreamName: 's', ConsumerName: 'c' } }, T0, 1);
    const names = (dimensionNames: string[]) => registry.list({ dimensionNames }).map((metric) => Object.keys(metric.dimensions).sort().join('+')).sort();
    assert.deepEqual(names(['ShardId']), ['ShardId+StreamName']);
    assert.deepEqual(names(['StreamName']), ['ConsumerName+StreamName', 'ShardId+StreamName', 'StreamName']);
    assert.deepEqual(names(['ConsumerName', 'StreamName']), ['ConsumerName+StreamName']);
    assert.deepEqual(names(['Nope']), []);
    assert.deepEqual(registry.list({ dimensionNames: ['ShardId'], dimensions: { StreamName: 'other' } }), []);
  });

  it('survives a snapshot and restore, as across a restart', () => {
    const registry = new MetricRegistry();
    registry.record(incoming('s'), T0, 1);
    registry.record(incoming('s'), T0 + 5, 9);
    registry.record(incoming('s'), T0 + MINUTE_MS, 4);
    const restored = new MetricRegistry();
    restored.restore(JSON.parse(JSON.stringify(registry.snapshot())));
    assert.deepEqual(restored.query(incoming('s'), T0, T0 + 2 * MINUTE_MS, MINUTE_MS), registry.query(incoming('s'), T0, T0 + 2 * MINUTE_MS, MINUTE_MS));
    assert.deepEqual(restored.query(incoming('s'), T0, T0 + MINUTE_MS, MINUTE_MS)[0]?.statistics, { sampleCount: 2, sum: 10, minimum: 1, maximum: 9 });
  });

  it('forgets a deleted stream\'s series and bounds the number of series by dropping the idlest', () => {
    const registry = new MetricRegistry({ maxSeries: 2 });
    registry.record(incoming('old'), T0, 1);
    registry.record(incoming('kept'), T0 + 5 * MINUTE_MS, 1);
    registry.record(incoming('new'), T0 + 6 * MINUTE_MS, 1);
    assert.deepEqual(registry.list().map((metric) => metric.dimensions.StreamName).sort(), ['kept', 'new']);
    registry.forget({ StreamName: 'kept' });
    assert.deepEqual(registry.list().map((metric) => metric.dimensions.StreamName), ['new']);
  });
});

describe('MetricRegistry handles, totals and changes', () => {
  it('records through a handle as through record(), and again after its series was forgotten', () => {
    const registry = new MetricRegistry();
    const handle = registry.handle(incoming('s'));
    handle.record(T0, 2);
    registry.record(incoming('s'), T0 + 1, 3);
    assert.equal(registry.query(incoming('s'), T0, T0 + MINUTE_MS, MINUTE_MS)[0]?.statistics.sum, 5);
    registry.forget({ StreamName: 's' });
    assert.equal(registry.seriesCount, 0);
    handle.record(T0 + 2, 4);
    assert.equal(registry.seriesCount, 1);
    assert.equal(registry.query(incoming('s'), T0, T0 + MINUTE_MS, MINUTE_MS)[0]?.statistics.sum, 4, 'a fresh series, not the forgotten one');
  });

  it('keeps running totals and the latest sample beside the minutes', () => {
    const registry = new MetricRegistry();
    registry.record(incoming('s'), T0, 2);
    registry.record(incoming('s'), T0 + 2 * MINUTE_MS, 5);
    const [{ totals }] = [...registry.totals()];
    assert.deepEqual({ ...totals }, { ...totals, sampleCount: 2, sum: 7, last: 5 });
  });

  it('drains each changed series once, with its whole changed minutes', () => {
    const registry = new MetricRegistry();
    registry.record(incoming('s'), T0, 2);
    registry.record(incoming('s'), T0 + MINUTE_MS, 3);
    const first = registry.drainChanges();
    assert.equal(first.length, 1);
    assert.deepEqual(first[0]!.minutes.map((point) => point.statistics.sum), [2, 3]);
    assert.deepEqual(registry.drainChanges(), []);
    registry.record(incoming('s'), T0 + MINUTE_MS + 1, 4);
    assert.deepEqual(registry.drainChanges()[0]!.minutes.map((point) => [point.timestamp, point.statistics.sum]), [[T0 + MINUTE_MS, 7]]);
  });
});

describe('MetricRegistry retention by default', () => {
  it('keeps a day of minutes (25 hours), then lets the oldest go', () => {
    const registry = new MetricRegistry();
    const hour = 60 * MINUTE_MS;
    registry.record(incoming('s'), T0, 1);
    registry.record(incoming('s'), T0 + 24 * hour, 2);
    assert.deepEqual(registry.query(incoming('s'), T0, T0 + MINUTE_MS, MINUTE_MS).map((point) => point.statistics.sum), [1], 'a day later');
    registry.record(incoming('s'), T0 + 25 * hour, 3);
    assert.deepEqual(registry.query(incoming('s'), T0, T0 + MINUTE_MS, MINUTE_MS), [], 'past 25 hours');
    assert.equal(registry.query(incoming('s'), T0, T0 + 26 * hour, hour).length, 2);
  });
});
