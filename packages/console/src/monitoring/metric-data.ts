import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { Api } from '../app/api-context.js';

/** One metric's datapoints, oldest first. */
export interface MetricSeries {
  /** Epoch seconds, ascending. */
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

/** One series to read: an id (GetMetricData's `^[a-z][a-zA-Z0-9_]*$`), a metric with its dimensions, a statistic. */
export interface MetricQuery {
  readonly id: string;
  readonly metric: string;
  readonly stat: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface MetricWindow {
  /** Epoch seconds. */
  readonly start: number;
  readonly end: number;
  readonly period: number;
}

/** GetMetricData takes at most 500 queries a call (its documentation). */
export const MAX_QUERIES_PER_CALL = 500;
/** Pages followed per call (NextToken, when the datapoints exceed MaxDatapoints): a bound, not a limit reached in practice. */
const MAX_PAGES = 20;

/**
 * Reads every query's datapoints over the window with GetMetricData, 500 queries a call, following NextToken;
 * a query without datapoints gets an empty series.
 */
export async function loadMetricData(api: Api, queries: readonly MetricQuery[], window: MetricWindow): Promise<Map<string, MetricSeries>> {
  const points = new Map<string, [number, number][]>(queries.map((query) => [query.id, []]));
  for (let first = 0; first < queries.length; first += MAX_QUERIES_PER_CALL) {
    const batch: MetricDataQuery[] = queries.slice(first, first + MAX_QUERIES_PER_CALL).map((query) => ({
      Id: query.id,
      MetricStat: {
        Metric: { Namespace: 'AWS/Kinesis', MetricName: query.metric, Dimensions: Object.entries(query.dimensions).map(([Name, Value]) => ({ Name, Value })) },
        Period: window.period,
        Stat: query.stat,
      },
      ReturnData: true,
    }));
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await api.run(({ cloudWatch }) =>
        cloudWatch.send(
          new GetMetricDataCommand({
            StartTime: new Date(window.start * 1000),
            EndTime: new Date(window.end * 1000),
            ScanBy: 'TimestampAscending',
            MetricDataQueries: batch,
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      );
      for (const result of answer.MetricDataResults ?? []) {
        const into = points.get(result.Id ?? '');
        if (!into) continue;
        (result.Timestamps ?? []).forEach((time, i) => into.push([time.getTime() / 1000, result.Values?.[i] ?? 0]));
      }
      token = answer.NextToken;
      if (!token) break;
    }
  }
  const series = new Map<string, MetricSeries>();
  for (const [id, list] of points) {
    list.sort((a, b) => a[0] - b[0]);
    series.set(id, { timestamps: list.map((point) => point[0]), values: list.map((point) => point[1]) });
  }
  return series;
}
