import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { testCredentials } from './kinesis-clients.js';

const run = promisify(execFile);

/** Debian's awscli package; a v1 `aws` may come first on PATH, so the path is explicit (DESIGN.md §4). */
export const AWS_CLI = '/usr/bin/aws';

/** The environment the CLI runs in: its own HOME (no user config), test keys, JSON out, no pager. */
export function awsCliEnv(home: string, credentials: { accessKeyId: string; secretAccessKey: string } = testCredentials): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_DEFAULT_OUTPUT: 'json',
  };
}

/** Runs `aws --endpoint-url ENDPOINT ...args`; its JSON answer parsed (undefined for none). Rejects on a non-zero exit. */
export async function awsCliJson(endpoint: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<any> {
  const { stdout } = await run(AWS_CLI, ['--endpoint-url', endpoint, ...args], { env, timeout: 60_000 });
  return stdout.trim() === '' ? undefined : JSON.parse(stdout);
}

/** `aws --version`'s output: a test checks it says aws-cli/2 before relying on v2's behaviour. */
export async function awsCliVersion(env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout, stderr } = await run(AWS_CLI, ['--version'], { env });
  return stdout + stderr;
}
