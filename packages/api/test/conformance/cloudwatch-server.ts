import { MetricRegistry } from '@riffle/metrics';
import { Engine, FakeClock } from '@riffle/engine';
import { createMemoryStorage } from '@riffle/storage';
import { authorizationHeaders, rawRequest, type RawResponse } from '@riffle/testkit';
import { createListener } from '@riffle/wire';
import { createCloudWatchService, createKinesisService, operationHandlers } from '../../src/index.js';

export const ACCOUNT = '123456789012';
/** The server's "now": conformance tests put their data in the hour before it. */
export const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
export const MINUTE = 60_000;
export const NS = 'AWS/Kinesis';

export interface CloudWatchServer {
  readonly endpoint: string;
  /** The account's metrics, filled by the test. */
  readonly registry: MetricRegistry;
  close(): Promise<void>;
}

/** Kinesis and CloudWatch on one listener (as `riffle serve` has them) over a registry the test fills. */
export async function startCloudWatchServer(): Promise<CloudWatchServer> {
  const registry = new MetricRegistry();
  const storage = createMemoryStorage();
  const engine = await Engine.open({
    storage,
    clock: new FakeClock(NOW),
    config: { accountId: ACCOUNT, region: 'us-east-1', shardLimit: 10, onDemandStreamCountLimit: 5, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, throughputLimits: false },
  });
  const kinesis = createKinesisService({ engine, operations: operationHandlers, controlPlaneLimits: false });
  const cloudWatch = createCloudWatchService({ metricsOf: (account) => (account === ACCOUNT ? registry : undefined), accountId: ACCOUNT, now: () => NOW });
  const listener = createListener({ services: [kinesis, cloudWatch] });
  const { port } = await listener.listen(0, '127.0.0.1');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    registry,
    async close() {
      await listener.close();
      await engine.close();
      await storage.close();
    },
  };
}

/** A signed-looking (not verified) header set for service `monitoring`. */
export function monitoringHeaders(): Record<string, string> {
  const headers = authorizationHeaders();
  return { ...headers, Authorization: headers.Authorization!.replace('/kinesis/', '/monitoring/').replace(';x-amz-target', '') };
}

/** One query-protocol call as the AWS CLI sends it. */
export function queryCall(endpoint: string, form: string): Promise<RawResponse> {
  return rawRequest(endpoint, {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', ...monitoringHeaders() },
    body: form,
  });
}

/** One JSON 1.0 call as @aws-sdk/client-cloudwatch sends it. */
export function json10Call(endpoint: string, operation: string, body: unknown): Promise<RawResponse> {
  return rawRequest(endpoint, {
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `GraniteServiceVersion20100801.${operation}`,
      'x-amzn-query-mode': 'true',
      ...monitoringHeaders(),
    },
    body: JSON.stringify(body),
  });
}

/** Records `values` in each of the minutes (offsets before NOW) into one series. */
export function recordMinutes(registry: MetricRegistry, name: string, dimensions: Record<string, string>, minutesAgo: readonly number[], values: readonly number[]): void {
  for (const ago of minutesAgo) {
    for (const value of values) registry.record({ namespace: NS, name, dimensions }, NOW - ago * MINUTE + 1_000, value);
  }
}
