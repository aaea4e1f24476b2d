import { useMemo, useState, type ReactNode } from 'react';
import type { StreamDescriptionSummary } from '@aws-sdk/client-kinesis';
import { useApi, type Api } from '../app/api-context.js';
import { Link, streamPath } from '../app/router.js';
import { useResource, type Resource } from '../app/use-resource.js';
import { ErrorAlert } from '../components/error-alert.js';
import { MetricChart, type ChartSeries, type MetricLevel } from '../components/metric-chart.js';
import { FAN_OUT_CHARTS, SHARD_CHARTS, SHARD_LEVEL_METRIC_NAMES, STREAM_CHARTS, type ChartSpec } from '../monitoring/metric-catalog.js';
import { loadMetricData, type MetricQuery, type MetricWindow } from '../monitoring/metric-data.js';
import { listStreamConsumers } from './list-stream-consumers.js';
import { listStreamShards } from './list-stream-shards.js';
import type { StreamTabProps } from './stream-page.js';

/** The ranges the console offers, each with the period its datapoints aggregate (as the AWS console picks). */
const RANGES = [
  { key: '1h', label: '1h', seconds: 3600, period: 60 },
  { key: '3h', label: '3h', seconds: 3 * 3600, period: 300 },
  { key: '12h', label: '12h', seconds: 12 * 3600, period: 900 },
  { key: '1d', label: '1d', seconds: 24 * 3600, period: 1800 },
] as const;
type RangeKey = (typeof RANGES)[number]['key'];

/** Per chart (in its catalog's order), one series per stream, shard or consumer. */
type ChartData = readonly (readonly ChartSeries[])[];

/**
 * The charts' series: one per chart and per label, each with the dimensions `dimensionsOf(label)` gives. Query ids
 * are positional (`m<chart>_<series>`), as GetMetricData wants them: a letter first, no dashes.
 */
async function loadCharts(api: Api, charts: readonly ChartSpec[], labels: readonly string[], dimensionsOf: (label: string) => Record<string, string>, timeWindow: MetricWindow): Promise<ChartData> {
  const queries: MetricQuery[] = charts.flatMap((chart, c) => labels.map((label, s) => ({ id: `m${c}_${s}`, metric: chart.metric, stat: chart.stat, dimensions: dimensionsOf(label) })));
  const data = await loadMetricData(api, queries, timeWindow);
  return charts.map((_chart, c) => labels.map((label, s) => ({ label, ...data.get(`m${c}_${s}`)! })));
}

/** The shard-level metrics enhanced monitoring records for the stream, in the charts' order (`ALL` is all seven). */
function enabledShardMetrics(stream: StreamDescriptionSummary): readonly ChartSpec[] {
  const names = new Set<string>(stream.EnhancedMonitoring?.flatMap((entry) => entry.ShardLevelMetrics ?? []) ?? []);
  if (names.has('ALL')) SHARD_LEVEL_METRIC_NAMES.forEach((name) => names.add(name));
  return SHARD_CHARTS.filter((chart) => names.has(chart.metric));
}

/** The Monitoring tab: the stream's CloudWatch metrics (stream, shard and fan-out level) over 1 hour to 1 day, read with GetMetricData. */
export function MonitoringTab({ stream, refresh }: StreamTabProps) {
  const api = useApi();
  const name = stream.StreamName!;
  const streamArn = stream.StreamARN!;
  const [rangeKey, setRangeKey] = useState<RangeKey>('1h');
  const [loadedAt, setLoadedAt] = useState(() => Date.now());
  const range = RANGES.find((entry) => entry.key === rangeKey)!;
  // The window ends at the end of the current period, so the minute in progress is shown.
  const timeWindow = useMemo<MetricWindow>(() => {
    const end = Math.ceil(loadedAt / 1000 / range.period) * range.period;
    return { start: end - range.seconds, end, period: range.period };
  }, [loadedAt, range]);
  const windowKey = `${timeWindow.start}|${timeWindow.end}|${timeWindow.period}`;
  const shardCharts = enabledShardMetrics(stream);
  const shardKey = shardCharts.map((chart) => chart.metric).join(',');

  const streamMetrics = useResource(() => loadCharts(api, STREAM_CHARTS, [name], () => ({ StreamName: name }), timeWindow), `${name}|${windowKey}`);
  const shardMetrics = useResource(async () => {
    if (shardCharts.length === 0) return { key: shardKey, charts: [] };
    const shards = (await listStreamShards(api, streamArn)).map((shard) => shard.ShardId!);
    return { key: shardKey, charts: await loadCharts(api, shardCharts, shards, (shard) => ({ StreamName: name, ShardId: shard }), timeWindow) };
  }, `${streamArn}|${shardKey}|${windowKey}`);
  const fanOutMetrics = useResource(async () => {
    const consumers = (await listStreamConsumers(api, streamArn)).map((consumer) => consumer.ConsumerName!);
    return { consumers, charts: consumers.length === 0 ? [] : await loadCharts(api, FAN_OUT_CHARTS, consumers, (consumer) => ({ StreamName: name, ConsumerName: consumer }), timeWindow) };
  }, `${streamArn}|${windowKey}`);
  const loading = streamMetrics.loading || shardMetrics.loading || fanOutMetrics.loading;

  return (
    <div className="monitoring">
      <div className="panel-header monitoring-toolbar">
        <p className="hint" role="status" aria-live="polite" data-testid="metrics-status" data-loading={loading}>
          {loading ? 'Loading metrics…' : `Datapoints of ${range.period / 60} minute${range.period === 60 ? '' : 's'}, ${new Date(timeWindow.start * 1000).toLocaleString()} to ${new Date(timeWindow.end * 1000).toLocaleString()}.`}
        </p>
        <div className="actions">
          <div role="radiogroup" aria-label="Time range" className="segmented">
            {RANGES.map((entry) => (
              <label key={entry.key} className={entry.key === rangeKey ? 'segment segment-selected' : 'segment'}>
                <input type="radio" name="range" value={entry.key} checked={entry.key === rangeKey} onChange={() => setRangeKey(entry.key)} />
                {entry.label}
              </label>
            ))}
          </div>
          <button
            type="button"
            className="button"
            aria-label="Refresh metrics"
            onClick={() => {
              // The stream is described again too: enhanced monitoring may have been switched since.
              refresh();
              setLoadedAt(Date.now());
            }}
            disabled={loading}
          >
            Refresh
          </button>
        </div>
      </div>

      <MetricSection id="stream-metrics" title="Stream metrics" resource={streamMetrics}>
        <ChartGrid idPrefix="stream" level="stream" charts={STREAM_CHARTS} data={streamMetrics.data} timeWindow={timeWindow} />
      </MetricSection>

      <MetricSection
        id="shard-metrics"
        title="Shard metrics"
        resource={shardMetrics}
        description={
          shardCharts.length > 0 ? (
            <>
              Enhanced (shard-level) monitoring is on for {shardCharts.map((chart) => chart.metric).join(', ')}; one line per shard.{' '}
              <Link to={`${streamPath(name, 'configuration')}#edit-enhanced-monitoring`}>Edit enhanced monitoring</Link>
            </>
          ) : undefined
        }
      >
        {shardCharts.length === 0 ? (
          <p className="note" data-testid="shard-metrics-off">
            Enhanced (shard-level) monitoring is off for this stream, so no shard-level metrics are recorded.{' '}
            <Link to={`${streamPath(name, 'configuration')}#edit-enhanced-monitoring`}>Enable enhanced monitoring</Link> in the Configuration tab to chart
            IncomingBytes, IncomingRecords, IteratorAgeMilliseconds, OutgoingBytes, OutgoingRecords and the throughput exceptions per shard.
          </p>
        ) : (
          <ChartGrid idPrefix="shard" level="shard" charts={shardCharts} data={shardMetrics.data?.key === shardKey ? shardMetrics.data.charts : undefined} timeWindow={timeWindow} seriesLabel="Shard" />
        )}
      </MetricSection>

      <MetricSection
        id="fan-out-metrics"
        title="Enhanced fan-out metrics"
        resource={fanOutMetrics}
        description={fanOutMetrics.data && fanOutMetrics.data.consumers.length > 0 ? 'SubscribeToShard sessions and the events they delivered; one line per registered consumer.' : undefined}
      >
        {fanOutMetrics.data && fanOutMetrics.data.consumers.length === 0 ? (
          <p className="note" data-testid="fan-out-metrics-none">
            No consumers are registered for enhanced fan-out. <Link to={streamPath(name, 'fan-out')}>Register a consumer</Link> to chart its SubscribeToShard sessions.
          </p>
        ) : (
          <ChartGrid idPrefix="fan-out" level="consumer" charts={FAN_OUT_CHARTS} data={fanOutMetrics.data?.charts} timeWindow={timeWindow} seriesLabel="Consumer" />
        )}
      </MetricSection>
    </div>
  );
}

function MetricSection({ id, title, description, resource, children }: { id: string; title: string; description?: ReactNode; resource: Resource<unknown>; children: ReactNode }) {
  return (
    <section className="metric-section" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {description ? <p className="hint">{description}</p> : null}
      <ErrorAlert error={resource.error} />
      {children}
    </section>
  );
}

function ChartGrid({ idPrefix, level, charts, data, timeWindow, seriesLabel }: { idPrefix: string; level: MetricLevel; charts: readonly ChartSpec[]; data: ChartData | undefined; timeWindow: MetricWindow; seriesLabel?: string }) {
  return (
    <div className="charts">
      {charts.map((chart, index) => (
        <MetricChart key={chart.metric} id={`chart-${idPrefix}-${index}`} spec={chart} level={level} series={data?.[index]} timeWindow={timeWindow} {...(seriesLabel ? { seriesLabel } : {})} />
      ))}
    </div>
  );
}
