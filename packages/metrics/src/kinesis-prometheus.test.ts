import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kinesisPrometheusFamilies } from './kinesis-prometheus.js';
import { MetricRegistry } from './metric-registry.js';
import { formatPrometheus } from './prometheus-text.js';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const NS = 'AWS/Kinesis';

function registryWithTraffic(): MetricRegistry {
  const registry = new MetricRegistry();
  const stream = { StreamName: 'orders' };
  registry.record({ namespace: NS, name: 'IncomingRecords', dimensions: stream }, T0, 3);
  registry.record({ namespace: NS, name: 'IncomingRecords', dimensions: stream }, T0 + 2 * 60_000, 2);
  registry.record({ namespace: NS, name: 'PutRecord.Latency', dimensions: stream }, T0, 4);
  registry.record({ namespace: NS, name: 'PutRecord.Latency', dimensions: stream }, T0, 6);
  registry.record({ namespace: NS, name: 'PutRecord.Success', dimensions: stream }, T0, 1);
  registry.record({ namespace: NS, name: 'PutRecord.Success', dimensions: stream }, T0, 0);
  registry.record({ namespace: NS, name: 'PutRecord.Success', dimensions: stream }, T0, 1);
  registry.record({ namespace: NS, name: 'GetRecords.IteratorAgeMilliseconds', dimensions: stream }, T0, 9000);
  registry.record({ namespace: NS, name: 'GetRecords.IteratorAgeMilliseconds', dimensions: stream }, T0 + 1, 1500);
  registry.record({ namespace: NS, name: 'IncomingBytes', dimensions: { StreamName: 'orders', ShardId: 'shardId-000000000001' } }, T0, 100);
  registry.record({ namespace: NS, name: 'SubscribeToShardEvent.Records', dimensions: { StreamName: 'orders', ConsumerName: 'app' } }, T0, 7);
  registry.record({ namespace: 'Other', name: 'IncomingRecords', dimensions: stream }, T0, 1000);
  return registry;
}

describe('kinesisPrometheusFamilies', () => {
  const text = formatPrometheus(kinesisPrometheusFamilies([{ account: '000000000000', registry: registryWithTraffic() }]));

  it('shows counters as running sums with dimensions as labels', () => {
    assert.match(text, /^riffle_kinesis_incoming_records_total\{account="000000000000",stream="orders"\} 5$/m);
    assert.match(text, /^riffle_kinesis_shard_incoming_bytes_total\{account="000000000000",shard="shardId-000000000001",stream="orders"\} 100$/m);
    assert.match(text, /^riffle_kinesis_outgoing_records_total\{account="000000000000",api="SubscribeToShard",consumer="app",stream="orders"\} 7$/m);
  });

  it('shows latencies as summaries in seconds, and gauges as their latest value', () => {
    assert.match(text, /^riffle_kinesis_request_duration_seconds_sum\{account="000000000000",operation="PutRecord",stream="orders"\} 0\.01$/m);
    assert.match(text, /^riffle_kinesis_request_duration_seconds_count\{account="000000000000",operation="PutRecord",stream="orders"\} 2$/m);
    assert.match(text, /^riffle_kinesis_iterator_age_seconds\{account="000000000000",api="GetRecords",stream="orders"\} 1\.5$/m);
  });

  it('splits the 1-or-0 Success metrics into successes and failures', () => {
    assert.match(text, /^riffle_kinesis_requests_total\{account="000000000000",operation="PutRecord",outcome="success",stream="orders"\} 2$/m);
    assert.match(text, /^riffle_kinesis_requests_total\{account="000000000000",operation="PutRecord",outcome="failure",stream="orders"\} 1$/m);
  });

  it('names the CloudWatch metric each family mirrors, once per family, and leaves other namespaces out', () => {
    assert.match(text, /^# HELP riffle_kinesis_incoming_records_total Mirrors CloudWatch AWS\/Kinesis IncomingRecords$/m);
    assert.match(text, /^# HELP riffle_kinesis_shard_incoming_bytes_total Mirrors CloudWatch AWS\/Kinesis IncomingBytes \(shard level\)$/m);
    assert.equal(text.match(/^# TYPE riffle_kinesis_request_duration_seconds summary$/gm)?.length, 1);
    assert.doesNotMatch(text, / 1000$/m);
  });
});
