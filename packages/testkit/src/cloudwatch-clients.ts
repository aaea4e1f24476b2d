import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { testCredentials } from './kinesis-clients.js';

/** The three protocols CloudWatch is spoken in; the SDK's default is JSON 1.0. */
export type CloudWatchWireProtocol = 'json-1.0' | 'query' | 'rpc-v2-cbor';

export const CLOUDWATCH_PROTOCOLS: readonly CloudWatchWireProtocol[] = ['json-1.0', 'query', 'rpc-v2-cbor'];

/**
 * `@aws-sdk/client-cloudwatch` against a Riffle endpoint in one of the protocols: its own default (JSON 1.0 with
 * awsQueryCompatible), or the SDK's query and rpc-v2-cbor protocol classes in its place (the `protocol` option).
 */
export function cloudWatchClient(
  endpoint: string,
  protocol: CloudWatchWireProtocol = 'json-1.0',
  credentials: { accessKeyId: string; secretAccessKey: string } = testCredentials,
): CloudWatchClient {
  const chosen = protocol === 'query' ? { protocol: AwsQueryProtocol } : protocol === 'rpc-v2-cbor' ? { protocol: AwsSmithyRpcV2CborProtocol } : {};
  return new CloudWatchClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, ...chosen });
}

/**
 * The Sum of a metric over the hour before now (and a few minutes after), read with GetMetricStatistics in one-hour
 * periods: what a test's calls of the last minutes count for, whatever minute they fell in.
 */
export async function metricSum(endpoint: string, namespace: string, metric: string, dimensions: Readonly<Record<string, string>>): Promise<number> {
  const client = cloudWatchClient(endpoint);
  try {
    const now = Date.now();
    const answer = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: namespace,
        MetricName: metric,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
        StartTime: new Date(now - 60 * 60_000),
        EndTime: new Date(now + 5 * 60_000),
        Period: 3600,
        Statistics: ['Sum'],
      }),
    );
    return (answer.Datapoints ?? []).reduce((total, point) => total + (point.Sum ?? 0), 0);
  } finally {
    client.destroy();
  }
}
