import * as messages from '../../errors/messages.js';
import { InvalidParameterCombinationException, InvalidParameterValueException } from '../../generated/cloudwatch/errors.js';
import type { Datapoint, GetMetricStatisticsInput, GetMetricStatisticsOutput } from '../../generated/cloudwatch/types.js';
import type { CloudWatchOperationHandler } from '../cloudwatch-operation.js';
import { datapointCount, isValidPeriod, MAX_STATISTICS_DATAPOINTS, roundedStartTime } from '../metric-window.js';
import { readMetric } from '../read-metric.js';
import { percentileOf, statisticOf } from '../statistic.js';

/** One metric (exact dimensions), its requested statistics per period. Datapoints come oldest first. */
export const getMetricStatistics: CloudWatchOperationHandler<GetMetricStatisticsInput, GetMetricStatisticsOutput> = async (input, { metrics, now }) => {
  const statistics = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  const end = input.EndTime.getTime();
  if (input.StartTime.getTime() >= end) throw new InvalidParameterValueException(messages.cloudWatchStartNotBeforeEnd());
  if (!isValidPeriod(input.Period)) throw new InvalidParameterValueException(messages.cloudWatchPeriodNotMultipleOf60('Period'));
  if (statistics.length === 0 && extended.length === 0) throw new InvalidParameterCombinationException(messages.cloudWatchStatisticsOrExtended());
  if (statistics.length > 0 && extended.length > 0) throw new InvalidParameterCombinationException(messages.cloudWatchStatisticsAndExtended());
  extended.forEach((statistic, index) => {
    if (percentileOf(statistic) === undefined) {
      throw new InvalidParameterValueException(messages.cloudWatchUnsupportedValue(statistic, `ExtendedStatistics.member.${index + 1}`));
    }
  });
  const start = roundedStartTime(input.StartTime.getTime(), input.Period, now);
  const count = datapointCount(start, end, input.Period);
  if (count > MAX_STATISTICS_DATAPOINTS) {
    throw new InvalidParameterCombinationException(messages.cloudWatchTooManyDatapoints(count, MAX_STATISTICS_DATAPOINTS));
  }
  const read = readMetric(metrics, input, start, end, input.Period, input.Unit);
  const datapoints = read.points.map(({ timestamp, statistics: set }): Datapoint => {
    const point: Datapoint = { Timestamp: new Date(timestamp), Unit: read.unit };
    for (const statistic of statistics) point[statistic] = statisticOf(set, statistic);
    if (extended.length > 0) {
      const values: Record<string, number> = {};
      // Only the percentiles a minute aggregate determines (statistic.ts); the others have no value.
      for (const statistic of extended) {
        const value = statisticOf(set, statistic);
        if (value !== undefined) values[statistic] = value;
      }
      point.ExtendedStatistics = values;
    }
    return point;
  });
  return { Label: input.MetricName, Datapoints: datapoints };
};
