import { kinesisMetric, type KinesisMetric } from './kinesis-metric-catalog.js';
import type { MetricRegistry, SeriesTotals } from './metric-registry.js';
import type { PrometheusFamily, PrometheusSample } from './prometheus-text.js';

export const KINESIS_NAMESPACE = 'AWS/Kinesis';

/** One account's registry; `account` becomes the `account` label of its samples. */
export interface AccountRegistry {
  readonly account: string;
  readonly registry: MetricRegistry;
}

const DIMENSION_LABELS: Readonly<Record<string, string>> = { StreamName: 'stream', ShardId: 'shard', ConsumerName: 'consumer' };

/**
 * The AWS/Kinesis series of every account as Prometheus families, per the catalog: counters show the running
 * sum, gauges the latest sample, summaries `_sum` and `_count`; milliseconds become seconds, as Prometheus wants
 * base units. The `*.Success` metrics (a 1 or 0 per call) become `outcome="success"` and `outcome="failure"`.
 */
export function kinesisPrometheusFamilies(accounts: readonly AccountRegistry[]): PrometheusFamily[] {
  const families = new Map<string, { family: PrometheusFamily; samples: PrometheusSample[]; mirrors: Set<string> }>();
  for (const { account, registry } of accounts) {
    for (const { identity, totals } of registry.totals()) {
      if (identity.namespace !== KINESIS_NAMESPACE) continue;
      const metric = kinesisMetric(identity.name, identity.dimensions.ShardId === undefined ? 'stream' : 'shard');
      if (metric === undefined) continue;
      let entry = families.get(metric.prometheus.name);
      if (entry === undefined) {
        const samples: PrometheusSample[] = [];
        entry = { family: { name: metric.prometheus.name, type: metric.prometheus.type, help: '', samples }, samples, mirrors: new Set() };
        families.set(metric.prometheus.name, entry);
      }
      entry.mirrors.add(metric.level === 'shard' ? `${metric.name} (shard level)` : metric.name);
      const labels: Record<string, string> = { account, ...metric.prometheus.labels };
      for (const [dimension, value] of Object.entries(identity.dimensions)) labels[DIMENSION_LABELS[dimension] ?? dimension.toLowerCase()] = value;
      entry.samples.push(...samplesOf(metric, totals, labels));
    }
  }
  return [...families.values()]
    .sort((a, b) => (a.family.name < b.family.name ? -1 : 1))
    .map(({ family, samples, mirrors }) => ({
      ...family,
      help: `Mirrors CloudWatch AWS/Kinesis ${[...mirrors].sort().join(', ')}`,
      samples,
    }));
}

function samplesOf(metric: KinesisMetric, totals: SeriesTotals, labels: Record<string, string>): PrometheusSample[] {
  const scale = metric.unit === 'Milliseconds' && metric.prometheus.name.endsWith('_seconds') ? 1 / 1000 : 1;
  switch (metric.prometheus.type) {
    case 'counter':
      if (metric.name.endsWith('.Success') && metric.name !== 'SubscribeToShard.Success' && metric.name !== 'SubscribeToShardEvent.Success') {
        return [
          { labels: { ...labels, outcome: 'success' }, value: totals.sum },
          { labels: { ...labels, outcome: 'failure' }, value: totals.sampleCount - totals.sum },
        ];
      }
      return [{ labels, value: totals.sum * scale }];
    case 'gauge':
      return [{ labels, value: totals.last * scale }];
    default:
      return [
        { suffix: '_sum', labels, value: totals.sum * scale },
        { suffix: '_count', labels, value: totals.sampleCount },
      ];
  }
}
