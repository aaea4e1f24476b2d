import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
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
