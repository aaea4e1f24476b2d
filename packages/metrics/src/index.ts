export { addSample, mergeInto, statisticSetOf, statisticValue, STATISTICS, type Statistic, type StatisticSet } from './statistic-set.js';
export { MinuteSeries, MINUTE_MS, type Datapoint } from './minute-series.js';
export {
  DEFAULT_MAX_SERIES,
  DEFAULT_RETENTION_MINUTES,
  MetricRegistry,
  type ChangedSeries,
  type SeriesHandle,
  type SeriesTotals,
  type Dimensions,
  type MetricIdentity,
  type MetricListFilter,
  type MetricRegistryOptions,
  type MetricsSnapshot,
} from './metric-registry.js';
export { kinesisMetric, kinesisMetrics, SHARD_LEVEL_METRICS, type CloudWatchUnit, type KinesisMetric, type MetricLevel } from './kinesis-metric-catalog.js';
export { formatPrometheus, PROMETHEUS_CONTENT_TYPE, type PrometheusFamily, type PrometheusSample } from './prometheus-text.js';
export { MetricJournal, type MetricJournalOptions } from './metric-journal.js';
export { KINESIS_NAMESPACE, kinesisPrometheusFamilies, type AccountRegistry } from './kinesis-prometheus.js';
export { RIFFLE_NAMESPACE, riffleMetric, riffleMetrics, type RiffleMetric } from './riffle-metric-catalog.js';
