import type { GeneratedRecord } from './generated-record.js';
import type { TaskMetric } from './metrics-task.js';
import type { SeededRandom } from './seeded-random.js';

/** A value in [min, max] with two decimals, as a metric reading is shown (rounding never leaves the range). */
function reading(random: SeededRandom, metric: TaskMetric): number {
  const rounded = Math.round(random.float(metric.minValue, metric.maxValue) * 100) / 100;
  return Math.min(metric.maxValue, Math.max(metric.minValue, rounded));
}

/**
 * One tick of a `kinesis-metrics-stream` task: a record per component and metric, in the task's order, shaped as the
 * lab's generator writes them (`componentName, metricName, unit, value, publicationTimestamp`, in that order) and
 * partitioned by component.
 */
export function tickRecords(metrics: readonly TaskMetric[], random: SeededRandom, timestampMs: number): GeneratedRecord[] {
  const publicationTimestamp = new Date(timestampMs).toISOString();
  return metrics.map((metric) => ({
    partitionKey: metric.component,
    data: JSON.stringify({
      componentName: metric.component,
      metricName: metric.metric,
      unit: metric.unit,
      value: reading(random, metric),
      publicationTimestamp,
    }),
  }));
}
