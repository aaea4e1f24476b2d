import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kinesisMetric, kinesisMetrics, SHARD_LEVEL_METRICS } from './kinesis-metric-catalog.js';

describe('the Kinesis metric catalog', () => {
  it("has the shard-level metrics EnableEnhancedMonitoring names (the model's MetricsName enum, without ALL)", () => {
    assert.deepEqual([...SHARD_LEVEL_METRICS].sort(), [
      'IncomingBytes',
      'IncomingRecords',
      'IteratorAgeMilliseconds',
      'OutgoingBytes',
      'OutgoingRecords',
      'ReadProvisionedThroughputExceeded',
      'WriteProvisionedThroughputExceeded',
    ]);
  });

  it('names each metric once per level, and every Prometheus family follows the naming rules', () => {
    const keys = kinesisMetrics.map((metric) => `${metric.level}/${metric.name}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const metric of kinesisMetrics) {
      assert.match(metric.prometheus.name, /^riffle_kinesis_[a-z_]+$/, metric.name);
      if (metric.prometheus.type === 'counter') assert.match(metric.prometheus.name, /_total$/, metric.name);
      if (metric.unit === 'Milliseconds') assert.match(metric.prometheus.name, /_seconds$/, `${metric.name} is shown in base units`);
    }
  });

  it('finds a metric by name and level', () => {
    assert.equal(kinesisMetric('GetRecords.IteratorAgeMilliseconds', 'stream')?.unit, 'Milliseconds');
    assert.equal(kinesisMetric('OutgoingBytes', 'shard')?.level, 'shard');
    assert.equal(kinesisMetric('OutgoingBytes', 'stream'), undefined);
  });
});
