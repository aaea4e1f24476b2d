import type { CloudWatchUnit } from './kinesis-metric-catalog.js';

/** Riffle's own metrics, per minute beside AWS/Kinesis (CloudWatch reads, the console): the server and its store. */
export const RIFFLE_NAMESPACE = 'Riffle';

export interface RiffleMetric {
  readonly name: string;
  readonly unit: CloudWatchUnit | 'Percent';
  /** The dimension names the metric has, if any. */
  readonly dimensions?: readonly string[];
  readonly description: string;
}

export const riffleMetrics: readonly RiffleMetric[] = [
  { name: 'Requests', unit: 'Count', dimensions: ['Service', 'Operation'], description: 'API requests answered (one sample of 1 each)' },
  { name: 'RequestErrors', unit: 'Count', dimensions: ['Service', 'Operation'], description: 'API requests answered with an error status (4xx, 5xx)' },
  { name: 'Connections', unit: 'Count', description: 'Connections open on the API port, sampled every 10 s' },
  { name: 'ResidentMemoryBytes', unit: 'Bytes', description: 'Resident memory of the process, sampled every 10 s' },
  { name: 'HeapUsedBytes', unit: 'Bytes', description: 'V8 heap in use, sampled every 10 s' },
  { name: 'EventLoopDelayMilliseconds', unit: 'Milliseconds', description: 'The 99th percentile of the event loop\'s delay over each 10 s' },
  { name: 'CpuPercent', unit: 'Percent', description: 'CPU time (user and system) over each 10 s, in percent of one core' },
  { name: 'StorageBytes', unit: 'Bytes', description: 'Bytes in the data directory (file store), measured every 30 s' },
  { name: 'StorageSyncRounds', unit: 'Count', description: 'The file store\'s group-commit rounds in each 10 s' },
  { name: 'StorageSyncMilliseconds', unit: 'Milliseconds', description: 'Time the file store\'s sync rounds took in each 10 s' },
];

export function riffleMetric(name: string): RiffleMetric | undefined {
  return riffleMetrics.find((metric) => metric.name === name);
}
