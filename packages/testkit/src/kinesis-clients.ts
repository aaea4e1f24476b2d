import { Agent } from 'node:https';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export const testCredentials = { accessKeyId: 'AKIDRIFFLETEST', secretAccessKey: 'riffle-test-secret' };

export interface ClientOptions {
  /** '2' is the SDK's default for Kinesis (NodeHttp2Handler); '1.1' swaps in NodeHttpHandler. */
  http?: '2' | '1.1';
  region?: string;
  /** Default testCredentials (any key does in permissive mode). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** The SDK's attempts per call; 1 by default, so that a test sees every answer (retries are a test's choice). */
  maxAttempts?: number;
}

/** An unmodified `@aws-sdk/client-kinesis` pointed at Riffle, as a user would configure it. */
export function kinesisClient(endpoint: string, options: ClientOptions = {}): KinesisClient {
  const tls = endpoint.startsWith('https:');
  return new KinesisClient({
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: options.credentials ?? testCredentials,
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.http === '1.1'
      ? { requestHandler: new NodeHttpHandler(tls ? { httpsAgent: new Agent({ rejectUnauthorized: false }) } : {}) }
      : {}),
  });
}
