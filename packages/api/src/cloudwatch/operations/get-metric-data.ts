import * as messages from '../../errors/messages.js';
import { InvalidNextToken, InvalidParameterValueException } from '../../generated/cloudwatch/errors.js';
import type { GetMetricDataInput, GetMetricDataOutput, MessageData, MetricDataQuery, MetricDataResult } from '../../generated/cloudwatch/types.js';
import { cloudWatchValidationError } from '../cloudwatch-framework-errors.js';
import type { CloudWatchOperationHandler } from '../cloudwatch-operation.js';
import { decodeCloudWatchPageToken, encodeCloudWatchPageToken } from '../cloudwatch-page-token.js';
import { isValidPeriod, roundedStartTime } from '../metric-window.js';
import { readMetric } from '../read-metric.js';
import { isSupportedStatistic, statisticOf } from '../statistic.js';

/** GetMetricData's limits (its documentation): 500 metrics a call, 100,800 datapoints a page by default. */
export const MAX_METRIC_DATA_QUERIES = 500;
export const DEFAULT_MAX_DATAPOINTS = 100_800;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

interface Series {
  readonly query: MetricDataQuery;
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

/**
 * Each MetricStat query's statistic per period, newest first (TimestampDescending, the default) or oldest first,
 * paged by MaxDatapoints over all results in query order. Metric math and Metrics Insights (Expression) are refused.
 */
export const getMetricData: CloudWatchOperationHandler<GetMetricDataInput, GetMetricDataOutput> = async (input, { metrics, now }) => {
  const start = input.StartTime.getTime();
  const end = input.EndTime.getTime();
  if (start === end) throw cloudWatchValidationError(messages.cloudWatchStartEqualsEnd());
  if (start > end) throw cloudWatchValidationError(messages.cloudWatchEndBeforeStart());
  checkQueries(input.MetricDataQueries);

  const { NextToken: token, ...request } = input;
  let offset = 0;
  if (token !== undefined) {
    const decoded = decodeCloudWatchPageToken(token, request);
    if (decoded === undefined) throw new InvalidNextToken(messages.cloudWatchInvalidNextToken());
    offset = decoded;
  }
  const messagesOut: MessageData[] = [];
  let queries = input.MetricDataQueries;
  if (queries.length > MAX_METRIC_DATA_QUERIES) {
    // As much as possible is still answered (GetMetricDataOutput.Messages' documentation).
    queries = queries.slice(0, MAX_METRIC_DATA_QUERIES);
    messagesOut.push({ Code: 'MaxMetricsExceeded', Value: messages.cloudWatchTooManyMetrics() });
  }
  const descending = (input.ScanBy ?? 'TimestampDescending') === 'TimestampDescending';
  const series = queries.filter((query) => query.ReturnData !== false).map((query) => seriesOf(query, metrics, start, end, now, descending));

  const pageSize = Math.max(1, input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS);
  const total = series.reduce((sum, one) => sum + one.values.length, 0);
  const pageEnd = Math.min(total, offset + pageSize);
  let before = 0;
  const results = series.map(({ query, timestamps, values }): MetricDataResult => {
    const from = Math.min(values.length, Math.max(0, offset - before));
    const to = Math.min(values.length, Math.max(0, pageEnd - before));
    before += values.length;
    return {
      Id: query.Id,
      Label: query.Label ?? query.MetricStat!.Metric.MetricName ?? query.Id,
      Timestamps: timestamps.slice(from, to).map((time) => new Date(time)),
      Values: values.slice(from, to),
      StatusCode: to < values.length ? 'PartialData' : 'Complete',
      Messages: [],
    };
  });
  const output: GetMetricDataOutput = { MetricDataResults: results, Messages: messagesOut };
  if (pageEnd < total) output.NextToken = encodeCloudWatchPageToken(request, pageEnd);
  return output;
};

/** Every query's shape, in order: Id, one of MetricStat or Expression, Period, Stat. */
function checkQueries(queries: readonly MetricDataQuery[]): void {
  const ids = new Set<string>();
  queries.forEach((query, position) => {
    const index = position + 1;
    if (!QUERY_ID.test(query.Id)) throw cloudWatchValidationError(messages.cloudWatchInvalidQueryId(query.Id, index));
    if (ids.has(query.Id)) throw cloudWatchValidationError(messages.cloudWatchDuplicateQueryId(query.Id, index));
    ids.add(query.Id);
    if (query.MetricStat !== undefined && query.Expression !== undefined) throw cloudWatchValidationError(messages.cloudWatchMetricStatAndExpression(index));
    if (query.Expression !== undefined) throw cloudWatchValidationError(messages.cloudWatchExpressionUnsupported(index));
    if (query.MetricStat === undefined) throw cloudWatchValidationError(messages.cloudWatchMetricStatRequired(index));
    if (!isValidPeriod(query.MetricStat.Period)) {
      throw new InvalidParameterValueException(messages.cloudWatchPeriodNotMultipleOf60(`MetricDataQueries.member.${index}.MetricStat.Period`));
    }
    if (!isSupportedStatistic(query.MetricStat.Stat)) {
      throw new InvalidParameterValueException(messages.cloudWatchUnsupportedValue(query.MetricStat.Stat, `MetricDataQueries.member.${index}.MetricStat.Stat`));
    }
  });
}

function seriesOf(query: MetricDataQuery, metrics: Parameters<typeof readMetric>[0], start: number, end: number, now: number, descending: boolean): Series {
  const stat = query.MetricStat!;
  const from = roundedStartTime(start, stat.Period, now);
  const points = readMetric(metrics, stat.Metric, from, end, stat.Period, stat.Unit).points;
  const timestamps: number[] = [];
  const values: number[] = [];
  for (const point of descending ? [...points].reverse() : points) {
    const value = statisticOf(point.statistics, stat.Stat);
    // A percentile a minute aggregate does not determine has no value (statistic.ts).
    if (value === undefined) continue;
    timestamps.push(point.timestamp);
    values.push(value);
  }
  return { query, timestamps, values };
}
