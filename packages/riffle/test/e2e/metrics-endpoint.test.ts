import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { once } from 'node:events';
import {
  CreateStreamCommand,
  EnableEnhancedMonitoringCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { cloudWatchClient, kinesisClient, metricSum, startRiffle, type RiffleProcess } from '@riffle/testkit';

/** `name{labels} value` lines of a Prometheus text answer, as [name, labels, value]. */
function samplesOf(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

describe('GET /metrics after real traffic', () => {
  let riffle: RiffleProcess;
  let client: KinesisClient;
  let text: string;
  let contentType: string | null;
  let samples: ReturnType<typeof samplesOf>;
  const sum = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value)).reduce((total, sample) => total + sample.value, 0);

  before(async () => {
    riffle = await startRiffle({ console: true });
    client = kinesisClient(riffle.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 2 }));
    await client.send(new EnableEnhancedMonitoringCommand({ StreamName: 'orders', ShardLevelMetrics: ['IncomingRecords', 'OutgoingRecords'] }));
    await client.send(new PutRecordsCommand({
      StreamName: 'orders',
      Records: Array.from({ length: 10 }, (_, i) => ({ Data: new Uint8Array(100), PartitionKey: `customer-${i}` })),
    }));
    await client.send(new PutRecordCommand({ StreamName: 'orders', Data: new Uint8Array(50), PartitionKey: 'one' }));
    for (const ShardId of ['shardId-000000000000', 'shardId-000000000001']) {
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: 'orders', ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      await client.send(new GetRecordsCommand({ ShardIterator }));
    }
    // A connection held open on the API port while /metrics is read.
    const held = connect(riffle.port, '127.0.0.1');
    await once(held, 'connect');
    const response = await fetch(`${riffle.consoleEndpoint}/metrics`);
    held.destroy();
    assert.equal(response.status, 200);
    contentType = response.headers.get('content-type');
    text = await response.text();
    samples = samplesOf(text);
  });
  after(async () => {
    client?.destroy();
    await riffle?.stop();
  });

  it('answers in the Prometheus text format', () => {
    assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8');
    assert.match(text, /^# TYPE riffle_kinesis_incoming_records_total counter$/m);
  });

  it('counts the records and bytes put, per stream, as CloudWatch IncomingRecords and IncomingBytes do', () => {
    assert.equal(sum('riffle_kinesis_incoming_records_total', { stream: 'orders', account: '000000000000' }), 11);
    assert.equal(sum('riffle_kinesis_incoming_bytes_total', { stream: 'orders' }), 1050);
    assert.equal(sum('riffle_kinesis_put_records_records_total', { stream: 'orders', outcome: 'successful' }), 10);
    assert.equal(sum('riffle_kinesis_put_records_records_total', { stream: 'orders', outcome: 'throttled' }), 0);
    assert.equal(sum('riffle_kinesis_requests_total', { stream: 'orders', operation: 'PutRecord', outcome: 'success' }), 1);
    assert.equal(sum('riffle_kinesis_requests_total', { stream: 'orders', operation: 'GetRecords', outcome: 'success' }), 2);
  });

  it('counts what GetRecords returned', () => {
    assert.equal(sum('riffle_kinesis_get_records_records_sum', { stream: 'orders' }), 11);
    assert.equal(sum('riffle_kinesis_get_records_records_count', { stream: 'orders' }), 2);
    assert.equal(sum('riffle_kinesis_get_records_bytes_sum', { stream: 'orders' }), 1050);
    assert.equal(sum('riffle_kinesis_request_duration_seconds_count', { stream: 'orders', operation: 'GetRecords' }), 2);
  });

  it('shows the shard-level metrics enabled, per shard, and not the others', () => {
    const perShard = samples.filter((sample) => sample.name === 'riffle_kinesis_shard_incoming_records_total');
    assert.equal(perShard.length, 2, 'both shards took records');
    assert.equal(perShard.reduce((total, sample) => total + sample.value, 0), 11);
    assert.equal(sum('riffle_kinesis_shard_outgoing_records_total', { stream: 'orders' }), 11);
    assert.equal(samples.filter((sample) => sample.name === 'riffle_kinesis_shard_incoming_bytes_total').length, 0);
  });

  it('shows Riffle\'s own: API requests by operation and status, streams, shards, syncs, the process', () => {
    assert.equal(sum('riffle_api_requests_total', { service: 'Kinesis_20131202', operation: 'PutRecords', status: '200' }), 1);
    assert.equal(sum('riffle_api_requests_total', { operation: 'GetShardIterator' }), 2);
    assert.equal(sum('riffle_streams', { status: 'ACTIVE' }), 1);
    assert.equal(sum('riffle_open_shards'), 2);
    assert.ok(sum('riffle_storage_sync_rounds_total') >= 2, 'the puts were fsync\'d');
    assert.ok(sum('riffle_connections') >= 1, 'the held connection');
    assert.ok(sum('process_resident_memory_bytes') > 0);
    assert.equal(samples.filter((sample) => sample.name === 'riffle_build_info').length, 1);
  });

  it('keeps Riffle\'s own request counts per minute too, readable as CloudWatch namespace Riffle', async () => {
    assert.equal(await metricSum(riffle.endpoint, 'Riffle', 'Requests', { Service: 'Kinesis_20131202', Operation: 'GetShardIterator' }), 2);
    const cloudWatch = cloudWatchClient(riffle.endpoint);
    try {
      const listed = await cloudWatch.send(new ListMetricsCommand({ Namespace: 'Riffle', MetricName: 'Requests' }));
      const operations = (listed.Metrics ?? []).map((metric) => metric.Dimensions?.find((dimension) => dimension.Name === 'Operation')?.Value);
      assert.ok(operations.includes('PutRecords') && operations.includes('CreateStream'), `listed: ${operations.join(', ')}`);
    } finally {
      cloudWatch.destroy();
    }
  });
});
