import { KinesisClient } from '@aws-sdk/client-kinesis';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Credentials } from './credentials.js';

export interface ApiClients {
  readonly kinesis: KinesisClient;
  readonly cloudWatch: CloudWatchClient;
}

/**
 * Both clients call the page's own origin, the console port, which hands the signed calls to the API unchanged:
 * no cross-origin request, and a signature made for this Host verifies in strict mode.
 */
export function createApiClients(region: string, credentials: Credentials): ApiClients {
  const endpoint = window.location.origin;
  const provider = { ...credentials };
  return {
    kinesis: new KinesisClient({ region, endpoint, credentials: provider, maxAttempts: 2 }),
    cloudWatch: new CloudWatchClient({ region, endpoint, credentials: provider, maxAttempts: 2 }),
  };
}
