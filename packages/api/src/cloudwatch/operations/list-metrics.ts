import * as messages from '../../errors/messages.js';
import { InvalidParameterValueException } from '../../generated/cloudwatch/errors.js';
import type { ListMetricsInput, ListMetricsOutput, Metric } from '../../generated/cloudwatch/types.js';
import { decodeCloudWatchPageToken, encodeCloudWatchPageToken } from '../cloudwatch-page-token.js';
import type { CloudWatchOperationHandler } from '../cloudwatch-operation.js';
import { SERVED_NAMESPACES } from '../read-metric.js';

/** ListMetrics answers up to 500 metrics a call (its documentation). */
export const LIST_METRICS_PAGE_SIZE = 500;
const TWO_WEEKS_MS = 14 * 24 * 60 * 60_000;
const THREE_HOURS_MS = 3 * 60 * 60_000;

/**
 * The metrics with data in the last two weeks (three hours with RecentlyActive=PT3H) matching the namespace, name
 * and dimension filters, in a stable order (name, then dimensions), 500 a page.
 */
export const listMetrics: CloudWatchOperationHandler<ListMetricsInput, ListMetricsOutput> = async (input, { metrics, now }) => {
  const { NextToken: token, ...request } = input;
  let offset = 0;
  if (token !== undefined) {
    const decoded = decodeCloudWatchPageToken(token, request);
    if (decoded === undefined) throw new InvalidParameterValueException(messages.cloudWatchInvalidNextToken());
    offset = decoded;
  }
  if (metrics === undefined || (input.Namespace !== undefined && !SERVED_NAMESPACES.includes(input.Namespace))) return { Metrics: [] };
  const dimensions: Record<string, string> = {};
  const dimensionNames: string[] = [];
  for (const filter of input.Dimensions ?? []) {
    if (filter.Value === undefined) dimensionNames.push(filter.Name);
    else dimensions[filter.Name] = filter.Value;
  }
  const found = metrics
    .list(
      { ...(input.Namespace !== undefined ? { namespace: input.Namespace } : {}), ...(input.MetricName !== undefined ? { name: input.MetricName } : {}), dimensions, dimensionNames },
      now,
      input.RecentlyActive === 'PT3H' ? THREE_HOURS_MS : TWO_WEEKS_MS,
    )
    .map((identity): Metric => ({
      Namespace: identity.namespace,
      MetricName: identity.name,
      Dimensions: Object.keys(identity.dimensions)
        .sort()
        .map((name) => ({ Name: name, Value: identity.dimensions[name]! })),
    }))
    .map((metric) => ({ metric, key: sortKey(metric) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ metric }) => metric);
  const page = found.slice(offset, offset + LIST_METRICS_PAGE_SIZE);
  const next = offset + LIST_METRICS_PAGE_SIZE;
  return next < found.length ? { Metrics: page, NextToken: encodeCloudWatchPageToken(request, next) } : { Metrics: page };
};

function sortKey(metric: Metric): string {
  return [metric.MetricName, ...(metric.Dimensions ?? []).map((dimension) => `${dimension.Name}=${dimension.Value}`)].join('\u0000');
}
