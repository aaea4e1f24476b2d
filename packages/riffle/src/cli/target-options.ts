import { resolveTarget, type KinesisTarget, type StaticCredentials } from './kinesis-target.js';

/** The options every client command takes to choose where it talks to; spread into a parseArgs `options`. */
export const targetOptions = {
  'endpoint-url': { type: 'string' },
  aws: { type: 'boolean' },
  region: { type: 'string' },
  profile: { type: 'string' },
} as const;

export const targetUsage = `Where it talks to (first that applies):
  --endpoint-url URL   this endpoint
  AWS_ENDPOINT_URL_KINESIS, then AWS_ENDPOINT_URL   the environment's endpoint
  otherwise            the local Riffle, http://127.0.0.1:4567
  --aws                real AWS instead, with your usual credentials (AWS_PROFILE, ~/.aws) and region
  --region REGION      else AWS_REGION, AWS_DEFAULT_REGION, the profile's region; us-east-1 locally
  --profile NAME       a profile of ~/.aws/config and ~/.aws/credentials (else AWS_PROFILE)`;

interface TargetValues {
  'endpoint-url'?: string | undefined;
  aws?: boolean | undefined;
  region?: string | undefined;
  profile?: string | undefined;
}

export const targetFromOptions = (values: TargetValues, env: NodeJS.ProcessEnv, credentials?: StaticCredentials): KinesisTarget =>
  resolveTarget({ endpointUrl: values['endpoint-url'], aws: values.aws, region: values.region, profile: values.profile, credentials }, env);
