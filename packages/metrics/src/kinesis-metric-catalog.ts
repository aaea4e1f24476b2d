/**
 * Every metric Kinesis Data Streams publishes to CloudWatch (namespace AWS/Kinesis, 1-minute data), with its
 * unit and level, and the Prometheus family `/metrics` shows it as. Source: the Kinesis Data Streams Developer
 * Guide, "Monitoring the Amazon Kinesis Data Streams service with Amazon CloudWatch" (summarised in
 * shared/reference/kinesis-ecosystem.md §6.1-6.2); Prometheus names follow prometheus.io's naming rules
 * (base units, `_total` counters, labels for dimensions).
 */

export type CloudWatchUnit = 'Bytes' | 'Count' | 'Milliseconds';

/** Stream-level metrics have StreamName (and ConsumerName for the fan-out ones); shard-level ones add ShardId. */
export type MetricLevel = 'stream' | 'shard';

export interface KinesisMetric {
  readonly name: string;
  readonly unit: CloudWatchUnit;
  readonly level: MetricLevel;
  /** The dimension names beyond StreamName (and ShardId for shard-level metrics). */
  readonly extraDimensions?: readonly string[];
  readonly description: string;
  readonly prometheus: { readonly name: string; readonly type: 'counter' | 'gauge' | 'summary'; readonly labels?: Readonly<Record<string, string>> };
}

const stream = (
  name: string,
  unit: CloudWatchUnit,
  description: string,
  prometheus: KinesisMetric['prometheus'],
  extraDimensions?: readonly string[],
): KinesisMetric => ({ name, unit, level: 'stream', description, prometheus, ...(extraDimensions ? { extraDimensions } : {}) });

const shard = (name: string, unit: CloudWatchUnit, description: string, prometheus: KinesisMetric['prometheus']): KinesisMetric => ({
  name,
  unit,
  level: 'shard',
  description,
  prometheus,
});

export const kinesisMetrics: readonly KinesisMetric[] = [
  stream('IncomingBytes', 'Bytes', 'Bytes put successfully (PutRecord and PutRecords)', { name: 'riffle_kinesis_incoming_bytes_total', type: 'counter' }),
  stream('IncomingRecords', 'Count', 'Records put successfully', { name: 'riffle_kinesis_incoming_records_total', type: 'counter' }),
  stream('PutRecord.Bytes', 'Bytes', 'Bytes put by each PutRecord', { name: 'riffle_kinesis_put_record_bytes', type: 'summary' }),
  stream('PutRecord.Latency', 'Milliseconds', 'Time taken by each PutRecord', { name: 'riffle_kinesis_request_duration_seconds', type: 'summary', labels: { operation: 'PutRecord' } }),
  stream('PutRecord.Success', 'Count', 'Successful PutRecord calls (1) and failed ones (0)', { name: 'riffle_kinesis_requests_total', type: 'counter', labels: { operation: 'PutRecord' } }),
  stream('PutRecords.Bytes', 'Bytes', 'Bytes put by each PutRecords', { name: 'riffle_kinesis_put_records_bytes', type: 'summary' }),
  stream('PutRecords.Latency', 'Milliseconds', 'Time taken by each PutRecords', { name: 'riffle_kinesis_request_duration_seconds', type: 'summary', labels: { operation: 'PutRecords' } }),
  stream('PutRecords.Success', 'Count', 'PutRecords calls with at least one record stored', { name: 'riffle_kinesis_requests_total', type: 'counter', labels: { operation: 'PutRecords' } }),
  stream('PutRecords.TotalRecords', 'Count', 'Records sent in PutRecords calls', { name: 'riffle_kinesis_put_records_records_total', type: 'counter', labels: { outcome: 'total' } }),
  stream('PutRecords.SuccessfulRecords', 'Count', 'Records PutRecords stored', { name: 'riffle_kinesis_put_records_records_total', type: 'counter', labels: { outcome: 'successful' } }),
  stream('PutRecords.FailedRecords', 'Count', 'Records PutRecords refused with an internal failure', { name: 'riffle_kinesis_put_records_records_total', type: 'counter', labels: { outcome: 'failed' } }),
  stream('PutRecords.ThrottledRecords', 'Count', 'Records PutRecords refused for throughput', { name: 'riffle_kinesis_put_records_records_total', type: 'counter', labels: { outcome: 'throttled' } }),
  stream('GetRecords.Bytes', 'Bytes', 'Bytes returned by each GetRecords', { name: 'riffle_kinesis_get_records_bytes', type: 'summary' }),
  stream('GetRecords.IteratorAgeMilliseconds', 'Milliseconds', 'Age of the last record GetRecords returned (0: caught up)', { name: 'riffle_kinesis_iterator_age_seconds', type: 'gauge', labels: { api: 'GetRecords' } }),
  stream('GetRecords.Latency', 'Milliseconds', 'Time taken by each GetRecords', { name: 'riffle_kinesis_request_duration_seconds', type: 'summary', labels: { operation: 'GetRecords' } }),
  stream('GetRecords.Records', 'Count', 'Records returned by each GetRecords', { name: 'riffle_kinesis_get_records_records', type: 'summary' }),
  stream('GetRecords.Success', 'Count', 'Successful GetRecords calls', { name: 'riffle_kinesis_requests_total', type: 'counter', labels: { operation: 'GetRecords' } }),
  stream('ReadProvisionedThroughputExceeded', 'Count', 'GetRecords calls refused for throughput', { name: 'riffle_kinesis_throttled_total', type: 'counter', labels: { direction: 'read' } }),
  stream('WriteProvisionedThroughputExceeded', 'Count', 'Records refused for throughput', { name: 'riffle_kinesis_throttled_total', type: 'counter', labels: { direction: 'write' } }),
  stream('SubscribeToShard.RateExceeded', 'Count', 'Subscriptions refused (one already active, or the call rate)', { name: 'riffle_kinesis_subscriptions_rejected_total', type: 'counter' }, ['ConsumerName']),
  stream('SubscribeToShard.Success', 'Count', 'Subscriptions established', { name: 'riffle_kinesis_subscriptions_total', type: 'counter' }, ['ConsumerName']),
  stream('SubscribeToShardEvent.Bytes', 'Bytes', 'Bytes pushed in each SubscribeToShard event', { name: 'riffle_kinesis_outgoing_bytes_total', type: 'counter', labels: { api: 'SubscribeToShard' } }, ['ConsumerName']),
  stream('SubscribeToShardEvent.MillisBehindLatest', 'Milliseconds', 'How far behind the shard\'s tip each pushed event is', { name: 'riffle_kinesis_iterator_age_seconds', type: 'gauge', labels: { api: 'SubscribeToShard' } }, ['ConsumerName']),
  stream('SubscribeToShardEvent.Records', 'Count', 'Records pushed in each SubscribeToShard event', { name: 'riffle_kinesis_outgoing_records_total', type: 'counter', labels: { api: 'SubscribeToShard' } }, ['ConsumerName']),
  stream('SubscribeToShardEvent.Success', 'Count', 'SubscribeToShard events pushed', { name: 'riffle_kinesis_subscription_events_total', type: 'counter' }, ['ConsumerName']),
  shard('IncomingBytes', 'Bytes', 'Bytes put successfully into the shard', { name: 'riffle_kinesis_shard_incoming_bytes_total', type: 'counter' }),
  shard('IncomingRecords', 'Count', 'Records put successfully into the shard', { name: 'riffle_kinesis_shard_incoming_records_total', type: 'counter' }),
  shard('IteratorAgeMilliseconds', 'Milliseconds', 'Age of the last record read from the shard (GetRecords or SubscribeToShard)', { name: 'riffle_kinesis_shard_iterator_age_seconds', type: 'gauge' }),
  shard('OutgoingBytes', 'Bytes', 'Bytes read from the shard', { name: 'riffle_kinesis_shard_outgoing_bytes_total', type: 'counter' }),
  shard('OutgoingRecords', 'Count', 'Records read from the shard', { name: 'riffle_kinesis_shard_outgoing_records_total', type: 'counter' }),
  shard('ReadProvisionedThroughputExceeded', 'Count', 'Reads of the shard refused for throughput', { name: 'riffle_kinesis_shard_throttled_total', type: 'counter', labels: { direction: 'read' } }),
  shard('WriteProvisionedThroughputExceeded', 'Count', 'Records refused by the shard for throughput', { name: 'riffle_kinesis_shard_throttled_total', type: 'counter', labels: { direction: 'write' } }),
];

/** EnableEnhancedMonitoring's ShardLevelMetrics values: the shard-level metrics' names. */
export const SHARD_LEVEL_METRICS: readonly string[] = kinesisMetrics.filter((metric) => metric.level === 'shard').map((metric) => metric.name);

export function kinesisMetric(name: string, level: MetricLevel): KinesisMetric | undefined {
  return kinesisMetrics.find((metric) => metric.name === name && metric.level === level);
}
