/** What CloudWatch keeps of a metric in one period: enough for SampleCount, Sum, Minimum, Maximum and Average. */
export interface StatisticSet {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

export function statisticSetOf(value: number): StatisticSet {
  return { sampleCount: 1, sum: value, minimum: value, maximum: value };
}

/** Adds one sample to a set in place. */
export function addSample(set: StatisticSet, value: number): void {
  set.sampleCount += 1;
  set.sum += value;
  if (value < set.minimum) set.minimum = value;
  if (value > set.maximum) set.maximum = value;
}

/** Folds `other` into `into` in place (periods longer than a minute, several dimensions' series). */
export function mergeInto(into: StatisticSet, other: Readonly<StatisticSet>): void {
  into.sampleCount += other.sampleCount;
  into.sum += other.sum;
  if (other.minimum < into.minimum) into.minimum = other.minimum;
  if (other.maximum > into.maximum) into.maximum = other.maximum;
}

export type Statistic = 'SampleCount' | 'Sum' | 'Minimum' | 'Maximum' | 'Average';

export const STATISTICS: readonly Statistic[] = ['SampleCount', 'Sum', 'Minimum', 'Maximum', 'Average'];

export function statisticValue(set: Readonly<StatisticSet>, statistic: Statistic): number {
  switch (statistic) {
    case 'SampleCount':
      return set.sampleCount;
    case 'Sum':
      return set.sum;
    case 'Minimum':
      return set.minimum;
    case 'Maximum':
      return set.maximum;
    case 'Average':
      return set.sampleCount === 0 ? 0 : set.sum / set.sampleCount;
  }
}
