import { statisticValue, type StatisticSet } from '@riffle/metrics';

/** The five statistics every datapoint has, in the order CloudWatch's messages list them. */
export const STANDARD_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type StandardStatistic = (typeof STANDARD_STATISTICS)[number];

const PERCENTILE = /^p(\d{1,3}(?:\.\d{1,10})?)$/;

/** A percentile statistic, `p0.0` to `p100` (ExtendedStatistics' documentation); its percent, else undefined. */
export function percentileOf(statistic: string): number | undefined {
  const match = PERCENTILE.exec(statistic);
  if (match === null) return undefined;
  const percent = Number(match[1]);
  return percent >= 0 && percent <= 100 ? percent : undefined;
}

export function isSupportedStatistic(statistic: string): boolean {
  return isStandardStatistic(statistic) || percentileOf(statistic) !== undefined;
}

/**
 * One statistic of a period's aggregate. Riffle keeps per-minute statistic sets, not samples, so a percentile is
 * known only where CloudWatch also knows it for a statistic set (GetMetricStatistics' documentation): when the
 * set has one sample, or its minimum equals its maximum; otherwise undefined (no value).
 */
export function statisticOf(set: Readonly<StatisticSet>, statistic: string): number | undefined {
  if (isStandardStatistic(statistic)) return statistic === 'Average' && set.sampleCount === 0 ? undefined : statisticValue(set, statistic);
  if (percentileOf(statistic) === undefined) return undefined;
  return set.sampleCount === 1 || set.minimum === set.maximum ? set.minimum : undefined;
}

function isStandardStatistic(statistic: string): statistic is StandardStatistic {
  return (STANDARD_STATISTICS as readonly string[]).includes(statistic);
}
