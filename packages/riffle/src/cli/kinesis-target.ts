import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { sharedProfile } from './aws-shared-config.js';
import { CliError } from './cli-error.js';

/** `riffle serve`'s default API port, where every command looks when nothing else names an endpoint. */
export const LOCAL_ENDPOINT = 'http://127.0.0.1:4567';
const LOCAL_REGION = 'us-east-1';
/** Riffle's permissive mode takes any well-signed key; these sign when the user has none configured. */
const LOCAL_CREDENTIALS = { accessKeyId: 'riffle', secretAccessKey: 'riffle' };

/** Static credentials given by the command (the generator task's `auth`), instead of the user's usual ones. */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface TargetChoice {
  /** `--endpoint-url` */
  readonly endpointUrl?: string | undefined;
  /** `--aws`: real AWS, with the SDK's own credential chain and region, ignoring every configured endpoint. */
  readonly aws?: boolean | undefined;
  /** `--region` (or a task's `stream.region`) */
  readonly region?: string | undefined;
  /** `--profile` */
  readonly profile?: string | undefined;
  readonly credentials?: StaticCredentials | undefined;
}

/** Where a command sends its Kinesis calls, and why there: printed by commands so that a user sees the choice. */
export interface KinesisTarget {
  /** undefined on real AWS: the SDK resolves the regional endpoint. */
  readonly endpoint: string | undefined;
  readonly region: string;
  /** Which rule chose the endpoint: `--endpoint-url`, `AWS_ENDPOINT_URL_KINESIS`, `AWS_ENDPOINT_URL`, `default`, `--aws`. */
  readonly source: string;
  readonly profile: string | undefined;
  readonly credentials: StaticCredentials | undefined;
}

function checkedUrl(url: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`${source} ${JSON.stringify(url)} is not a URL (e.g. http://127.0.0.1:4567)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError(`${source} ${JSON.stringify(url)} must be an http:// or https:// URL`);
  return url;
}

/**
 * The endpoint, region and credentials of a command: `--endpoint-url`, else `AWS_ENDPOINT_URL_KINESIS`, else
 * `AWS_ENDPOINT_URL` (the SDKs' own service-specific and global variables, in their order), else the local Riffle;
 * `--aws` instead talks to real AWS.
 */
export function resolveTarget(choice: TargetChoice, env: NodeJS.ProcessEnv): KinesisTarget {
  const profile = choice.profile ?? env.AWS_PROFILE;
  const shared = sharedProfile(profile ?? 'default', env);
  const region = choice.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || shared.region;
  if (choice.aws) {
    if (choice.endpointUrl !== undefined) throw new CliError('--aws and --endpoint-url exclude each other: --aws talks to AWS\'s own endpoints');
    if (!region) throw new CliError('--aws needs a region: --region, AWS_REGION, AWS_DEFAULT_REGION or the profile\'s region');
    return { endpoint: undefined, region, source: '--aws', profile, credentials: choice.credentials };
  }
  const [endpoint, source] =
    choice.endpointUrl !== undefined ? [checkedUrl(choice.endpointUrl, '--endpoint-url'), '--endpoint-url']
    : env.AWS_ENDPOINT_URL_KINESIS ? [checkedUrl(env.AWS_ENDPOINT_URL_KINESIS, 'AWS_ENDPOINT_URL_KINESIS'), 'AWS_ENDPOINT_URL_KINESIS']
    : env.AWS_ENDPOINT_URL ? [checkedUrl(env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL'), 'AWS_ENDPOINT_URL']
    : [LOCAL_ENDPOINT, 'default'];
  // The user's own keys sign when they have some (Riffle's strict mode needs them); otherwise any key does.
  const ownCredentials = env.AWS_ACCESS_KEY_ID !== undefined || shared.defined;
  const credentials = choice.credentials ?? (ownCredentials ? undefined : LOCAL_CREDENTIALS);
  return { endpoint, region: region || LOCAL_REGION, source, profile: ownCredentials ? profile : undefined, credentials };
}

/** A Kinesis client for the target. Its endpoint is always explicit, so the SDK's own endpoint settings never override the choice. */
export function kinesisClient(target: KinesisTarget, extra: Partial<KinesisClientConfig> = {}): KinesisClient {
  return new KinesisClient({
    region: target.region,
    ...(target.endpoint !== undefined ? { endpoint: target.endpoint } : { ignoreConfiguredEndpointUrls: true }),
    ...(target.credentials !== undefined ? { credentials: target.credentials } : {}),
    ...(target.profile !== undefined ? { profile: target.profile } : {}),
    ...extra,
  });
}

/** One line for `--verbose` and errors: where the calls went. */
export const describeTarget = (target: KinesisTarget): string =>
  target.endpoint === undefined ? `AWS (${target.region})` : `${target.endpoint} (${target.region}, from ${target.source})`;
