/** A chart of one metric with the statistic the AWS console shows for it. */
export interface ChartSpec {
  readonly metric: string;
  readonly stat: string;
  readonly title: string;
  readonly unit: string;
}

/** The stream-level metrics (dimension StreamName), in the AWS console's order. */
export const STREAM_CHARTS: readonly ChartSpec[] = [
  { metric: 'IncomingRecords', stat: 'Sum', title: 'Incoming data - sum', unit: 'Count' },
  { metric: 'IncomingBytes', stat: 'Sum', title: 'Incoming data - sum', unit: 'Bytes' },
  { metric: 'GetRecords.Records', stat: 'Sum', title: 'Get records - sum', unit: 'Count' },
  { metric: 'GetRecords.Bytes', stat: 'Sum', title: 'Get records - sum', unit: 'Bytes' },
  { metric: 'GetRecords.IteratorAgeMilliseconds', stat: 'Maximum', title: 'Get records iterator age - maximum', unit: 'Milliseconds' },
  { metric: 'GetRecords.Latency', stat: 'Average', title: 'Get records latency - average', unit: 'Milliseconds' },
  { metric: 'GetRecords.Success', stat: 'Average', title: 'Get records success - average', unit: 'Count' },
  { metric: 'PutRecord.Bytes', stat: 'Sum', title: 'Put record - sum', unit: 'Bytes' },
  { metric: 'PutRecord.Latency', stat: 'Average', title: 'Put record latency - average', unit: 'Milliseconds' },
  { metric: 'PutRecord.Success', stat: 'Average', title: 'Put record success - average', unit: 'Count' },
  { metric: 'PutRecords.Bytes', stat: 'Sum', title: 'Put records - sum', unit: 'Bytes' },
  { metric: 'PutRecords.TotalRecords', stat: 'Sum', title: 'Put records total records - sum', unit: 'Count' },
  { metric: 'PutRecords.SuccessfulRecords', stat: 'Sum', title: 'Put records successful records - sum', unit: 'Count' },
  { metric: 'PutRecords.FailedRecords', stat: 'Sum', title: 'Put records failed records - sum', unit: 'Count' },
  { metric: 'PutRecords.ThrottledRecords', stat: 'Sum', title: 'Put records throttled records - sum', unit: 'Count' },
  { metric: 'PutRecords.Latency', stat: 'Average', title: 'Put records latency - average', unit: 'Milliseconds' },
  { metric: 'WriteProvisionedThroughputExceeded', stat: 'Sum', title: 'Write throughput exceeded - sum', unit: 'Count' },
  { metric: 'ReadProvisionedThroughputExceeded', stat: 'Sum', title: 'Read throughput exceeded - sum', unit: 'Count' },
];

/** The shard-level metrics (dimensions StreamName, ShardId), recorded for those enhanced monitoring turned on. */
export const SHARD_CHARTS: readonly ChartSpec[] = [
  { metric: 'IncomingRecords', stat: 'Sum', title: 'Incoming records per shard - sum', unit: 'Count' },
  { metric: 'IncomingBytes', stat: 'Sum', title: 'Incoming data per shard - sum', unit: 'Bytes' },
  { metric: 'OutgoingRecords', stat: 'Sum', title: 'Outgoing records per shard - sum', unit: 'Count' },
  { metric: 'OutgoingBytes', stat: 'Sum', title: 'Outgoing data per shard - sum', unit: 'Bytes' },
  { metric: 'IteratorAgeMilliseconds', stat: 'Maximum', title: 'Iterator age per shard - maximum', unit: 'Milliseconds' },
  { metric: 'WriteProvisionedThroughputExceeded', stat: 'Sum', title: 'Write throughput exceeded per shard - sum', unit: 'Count' },
  { metric: 'ReadProvisionedThroughputExceeded', stat: 'Sum', title: 'Read throughput exceeded per shard - sum', unit: 'Count' },
];

/** The enhanced fan-out metrics (dimensions StreamName, ConsumerName). */
export const FAN_OUT_CHARTS: readonly ChartSpec[] = [
  { metric: 'SubscribeToShardEvent.Records', stat: 'Sum', title: 'Records delivered per consumer - sum', unit: 'Count' },
  { metric: 'SubscribeToShardEvent.Bytes', stat: 'Sum', title: 'Data delivered per consumer - sum', unit: 'Bytes' },
  { metric: 'SubscribeToShardEvent.MillisBehindLatest', stat: 'Maximum', title: 'Behind latest per consumer - maximum', unit: 'Milliseconds' },
  { metric: 'SubscribeToShardEvent.Success', stat: 'Sum', title: 'Events delivered per consumer - sum', unit: 'Count' },
  { metric: 'SubscribeToShard.Success', stat: 'Sum', title: 'Subscriptions per consumer - sum', unit: 'Count' },
  { metric: 'SubscribeToShard.RateExceeded', stat: 'Sum', title: 'Subscriptions refused per consumer - sum', unit: 'Count' },
];

/** Every shard-level metric; EnableEnhancedMonitoring's `ALL` stands for these. */
export const SHARD_LEVEL_METRIC_NAMES: readonly string[] = SHARD_CHARTS.map((chart) => chart.metric);
