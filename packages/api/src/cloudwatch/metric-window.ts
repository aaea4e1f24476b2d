/** CloudWatch's time rules for GetMetricStatistics and GetMetricData (the model's StartTime and Period docs). */

/** GetMetricStatistics answers at most this many datapoints (its documentation). */
export const MAX_STATISTICS_DATAPOINTS = 1440;

const SUB_MINUTE_PERIODS = new Set([1, 5, 10, 20, 30]);
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** A period CloudWatch takes: 1, 5, 10, 20, 30, or a multiple of 60 seconds. */
export function isValidPeriod(seconds: number): boolean {
  return SUB_MINUTE_PERIODS.has(seconds) || (seconds >= 60 && seconds % 60 === 0);
}

/**
 * StartTime rounded down as CloudWatch rounds it: to the period for periods under a minute, else by the start's
 * age: the minute (under 15 days), five minutes (15 to 63 days), the hour (older).
 */
export function roundedStartTime(start: number, periodSeconds: number, now: number): number {
  if (periodSeconds < 60) return floorTo(start, periodSeconds * 1000);
  const age = now - start;
  if (age < 15 * DAY_MS) return floorTo(start, MINUTE_MS);
  if (age < 63 * DAY_MS) return floorTo(start, 5 * MINUTE_MS);
  return floorTo(start, 60 * MINUTE_MS);
}

/** How many periods [start, end) spans: what the 1440-datapoint limit counts. */
export function datapointCount(start: number, end: number, periodSeconds: number): number {
  return Math.max(0, Math.ceil((end - start) / (periodSeconds * 1000)));
}

function floorTo(time: number, unitMs: number): number {
  return Math.floor(time / unitMs) * unitMs;
}
