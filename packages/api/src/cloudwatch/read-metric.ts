import { KINESIS_NAMESPACE, kinesisMetric, RIFFLE_NAMESPACE, riffleMetric, type Datapoint, type MetricRegistry } from '@riffle/metrics';
import type { Metric, StandardUnit } from '../generated/cloudwatch/types.js';

/** The namespaces Riffle records; any other has no data, as CloudWatch answers for a namespace nobody writes to. */
export const SERVED_NAMESPACES: readonly string[] = [KINESIS_NAMESPACE, RIFFLE_NAMESPACE];

export interface MetricRead {
  readonly points: readonly Datapoint[];
  /** The metric's unit (the catalog's), reported on each datapoint. */
  readonly unit: StandardUnit;
}

const noData = (unit: StandardUnit): MetricRead => ({ points: [], unit });

/**
 * One metric's datapoints for [start, end), periods counted from `start`. Dimensions must match exactly (a metric
 * is its dimension set); a Unit that is not the metric's gives no data, as CloudWatch does not convert units.
 */
export function readMetric(
  registry: MetricRegistry | undefined,
  metric: Metric,
  start: number,
  end: number,
  periodSeconds: number,
  unit: StandardUnit | undefined,
): MetricRead {
  const dimensions: Record<string, string> = {};
  for (const dimension of metric.Dimensions ?? []) dimensions[dimension.Name] = dimension.Value;
  const metricUnit = unitOf(metric.Namespace ?? '', metric.MetricName ?? '', dimensions);
  if (registry === undefined || metric.Namespace === undefined || !SERVED_NAMESPACES.includes(metric.Namespace) || metric.MetricName === undefined) {
    return noData(unit ?? metricUnit);
  }
  if (unit !== undefined && unit !== metricUnit) return noData(unit);
  const identity = { namespace: metric.Namespace, name: metric.MetricName, dimensions };
  return { points: registry.query(identity, start, end, periodSeconds * 1000, start, periodSeconds < 60), unit: metricUnit };
}

/** The catalog's unit: Kinesis's shard-level metrics have a ShardId; a metric outside the catalogs has `None`. */
export function unitOf(namespace: string, name: string, dimensions: Readonly<Record<string, string>>): StandardUnit {
  if (namespace === RIFFLE_NAMESPACE) return riffleMetric(name)?.unit ?? 'None';
  return kinesisMetric(name, Object.hasOwn(dimensions, 'ShardId') ? 'shard' : 'stream')?.unit ?? 'None';
}
