import type { CloudWatchOperationHandler } from '../cloudwatch-operation.js';
import { getMetricData } from './get-metric-data.js';
import { getMetricStatistics } from './get-metric-statistics.js';
import { listMetrics } from './list-metrics.js';

/** The CloudWatch operations Riffle answers: the metric reads. Every other one is unknown on the wire. */
export const cloudWatchOperationHandlers: Readonly<Record<string, CloudWatchOperationHandler>> = {
  GetMetricData: getMetricData,
  GetMetricStatistics: getMetricStatistics,
  ListMetrics: listMetrics,
};
