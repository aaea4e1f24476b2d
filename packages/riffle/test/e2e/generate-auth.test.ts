import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateStreamCommand, waitUntilStreamExists, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient, readShard, riffleMain, startRiffle, type RiffleProcess } from '@riffle/testkit';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('../../../test/fixtures/generate/lab-metrics-task.json', import.meta.url));
const KEY = { accessKeyId: 'ASIAGENERATELAB', secretAccessKey: 'lab-secret/with+chars', sessionToken: 'lab-session-token', accountId: '000000000000', expiration: '2999-01-01T00:00:00Z' };

describe('riffle generate: a task\'s "auth" keys against a server in strict auth mode', () => {
  let dir: string;
  let riffle: RiffleProcess;
  let client: KinesisClient;

  /** The lab fixture pointed at the server, with the given auth block; runs it, resolving with the exit code and stderr. */
  const runTask = async (auth: Record<string, string>): Promise<{ code: number; stderr: string }> => {
    const task = JSON.parse(await readFile(fixture, 'utf8')) as Record<string, unknown>;
    Object.assign(task, { endpoint: riffle.endpoint, auth });
    const file = join(dir, 'task.json');
    await writeFile(file, JSON.stringify(task));
    // No keys of the user's own: only the task's auth can sign.
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') };
    for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_KINESIS', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete env[name];
    try {
      const { stderr } = await run(process.execPath, [riffleMain, 'generate', file], { env, timeout: 30_000 });
      return { code: 0, stderr };
    } catch (error) {
      const e = error as { code?: number; stderr?: string };
      if (typeof e.code !== 'number') throw error;
      return { code: e.code, stderr: e.stderr ?? '' };
    }
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-generate-auth-'));
    const keyFile = join(dir, 'access-keys.json');
    await writeFile(keyFile, JSON.stringify({ accessKeys: [KEY] }));
    // The server's region is the task's (stream.region): strict mode checks the signing scope.
    riffle = await startRiffle({ args: ['--auth', 'strict', '--access-keys', keyFile, '--region', 'eu-central-1'] });
    client = kinesisClient(riffle.endpoint, { region: 'eu-central-1', credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey, sessionToken: KEY.sessionToken } });
    await client.send(new CreateStreamCommand({ StreamName: 'lab-metrics', ShardCount: 1 }));
    await waitUntilStreamExists({ client, maxWaitTime: 20 }, { StreamName: 'lab-metrics' });
  });
  after(async () => {
    client?.destroy();
    await riffle?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs with the task\'s accessKeyId, secretKey and sessionToken', async () => {
    const result = await runTask({ accessKeyId: KEY.accessKeyId, secretKey: KEY.secretAccessKey, sessionToken: KEY.sessionToken });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /sent 8 records to lab-metrics \(0 failed\)/);
    const records = await readShard(client, 'lab-metrics', 'shardId-000000000000', { maxCalls: 20 });
    assert.equal(records.length, 8);
  });

  it('fails with exit 1 and the server\'s refusal when the secret is wrong', async () => {
    const result = await runTask({ accessKeyId: KEY.accessKeyId, secretKey: 'not-the-secret', sessionToken: KEY.sessionToken });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /riffle generate: PutRecords to lab-metrics: InvalidSignatureException: The request signature we calculated does not match/);
  });
});
