import type { MetricRegistry } from '@riffle/metrics';
import type { RequestContext } from '@riffle/wire';

/** What a CloudWatch operation gets besides its typed input. */
export interface CloudWatchOperationContext {
  /** The caller's account's metrics; undefined for an account this server has none of. */
  readonly metrics: MetricRegistry | undefined;
  /** Epoch milliseconds of the request, for StartTime rounding and RecentlyActive. */
  readonly now: number;
  readonly request: RequestContext;
}

/** One CloudWatch operation (`cloudwatch/operations/get-metric-data.ts` exports `getMetricData`). */
export type CloudWatchOperationHandler<Input = any, Output = any> = (input: Input, context: CloudWatchOperationContext) => Promise<Output>;
