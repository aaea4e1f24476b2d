import { useMemo, useState } from 'react';
import { GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { useApi, type Api } from '../app/api-context.js';
import { useResource } from '../app/use-resource.js';
import { ErrorAlert } from '../components/error-alert.js';
import { MetricChart, type MetricSeries } from '../components/metric-chart.js';
import type { StreamTabProps } from './stream-page.js';

/** The AWS console's stream metrics, each with the statistic it shows. */
const CHARTS: readonly { metric: string; stat: string; title: string; unit: string }[] = [
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

/** The ranges the console offers, each with the period its datapoints aggregate (as the AWS console picks). */
const RANGES = [
  { key: '1h', label: '1h', seconds: 3600, period: 60 },
  { key: '3h', label: '3h', seconds: 3 * 3600, period: 300 },
  { key: '12h', label: '12h', seconds: 12 * 3600, period: 900 },
  { key: '1d', label: '1d', seconds: 24 * 3600, period: 1800 },
] as const;
type RangeKey = (typeof RANGES)[number]['key'];
const MAX_PAGES = 10;

async function loadMetrics(api: Api, streamName: string, start: number, end: number, period: number): Promise<Map<string, MetricSeries>> {
  const results = new Map<string, MetricDataResult[]>();
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api.run(({ cloudWatch }) =>
      cloudWatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(start * 1000),
          EndTime: new Date(end * 1000),
          ScanBy: 'TimestampAscending',
          ...(token ? { NextToken: token } : {}),
          MetricDataQueries: CHARTS.map((chart, index) => ({
            Id: `m${index}`,
            MetricStat: { Metric: { Namespace: 'AWS/Kinesis', MetricName: chart.metric, Dimensions: [{ Name: 'StreamName', Value: streamName }] }, Period: period, Stat: chart.stat },
            ReturnData: true,
          })),
        }),
      ),
    );
    for (const result of answer.MetricDataResults ?? []) results.set(result.Id!, [...(results.get(result.Id!) ?? []), result]);
    token = answer.NextToken;
    if (!token) break;
  }
  const series = new Map<string, MetricSeries>();
  CHARTS.forEach((_chart, index) => {
    const points = (results.get(`m${index}`) ?? []).flatMap((result) => (result.Timestamps ?? []).map((time, i) => [time.getTime() / 1000, result.Values?.[i] ?? 0] as const));
    points.sort((a, b) => a[0] - b[0]);
    series.set(`m${index}`, { timestamps: points.map((point) => point[0]), values: points.map((point) => point[1]) });
  });
  return series;
}

/** The Monitoring tab: the stream's CloudWatch metrics over 1 hour to 1 day, read with GetMetricData. */
export function MonitoringTab({ stream }: StreamTabProps) {
  const api = useApi();
  const name = stream.StreamName!;
  const [rangeKey, setRangeKey] = useState<RangeKey>('1h');
  const [loadedAt, setLoadedAt] = useState(() => Date.now());
  const range = RANGES.find((entry) => entry.key === rangeKey)!;
  // The window ends at the end of the current period, so the minute in progress is shown.
  const span = useMemo(() => {
    const end = Math.ceil(loadedAt / 1000 / range.period) * range.period;
    return [end - range.seconds, end] as const;
  }, [loadedAt, range]);
  const metrics = useResource(() => loadMetrics(api, name, span[0], span[1], range.period), `${name}|${span[0]}|${span[1]}|${range.period}`);

  return (
    <div className="monitoring">
      <div className="panel-header">
        <h2>Stream metrics</h2>
        <div className="actions">
          <div role="radiogroup" aria-label="Time range" className="segmented">
            {RANGES.map((entry) => (
              <label key={entry.key} className={entry.key === rangeKey ? 'segment segment-selected' : 'segment'}>
                <input type="radio" name="range" value={entry.key} checked={entry.key === rangeKey} onChange={() => setRangeKey(entry.key)} />
                {entry.label}
              </label>
            ))}
          </div>
          <button type="button" className="button" aria-label="Refresh metrics" onClick={() => setLoadedAt(Date.now())} disabled={metrics.loading}>
            Refresh
          </button>
        </div>
      </div>
      <p className="hint" role="status" aria-live="polite" data-testid="metrics-status" data-loading={metrics.loading}>
        {metrics.loading ? 'Loading metrics…' : `Datapoints of ${range.period / 60} minute${range.period === 60 ? '' : 's'}, ${new Date(span[0] * 1000).toLocaleString()} to ${new Date(span[1] * 1000).toLocaleString()}.`}
      </p>
      <ErrorAlert error={metrics.error} />
      <div className="charts">
        {CHARTS.map((chart, index) => (
          <MetricChart key={chart.metric} id={`chart-${index}`} metric={chart.metric} stat={chart.stat} title={chart.title} unit={chart.unit} series={metrics.data?.get(`m${index}`)} range={span} />
        ))}
      </div>
    </div>
  );
}
