import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient, readShard, runRiffleCommand, startRiffle, type RiffleProcess } from '@riffle/testkit';

let riffle: RiffleProcess;
let client: KinesisClient;
let home: string;
/** A port nothing listens on: an endpoint pointed there fails with ECONNREFUSED naming it. */
let closedPort: number;
let closed: string;

/** The environment of a user with no AWS settings at all: no endpoint, profile, region or ~/.aws. */
const bareEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_'))),
  HOME: home,
});

const cli = (args: readonly string[], env: NodeJS.ProcessEnv) => runRiffleCommand(args, { env, killAfterMs: 30_000 });

async function freeClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether something answers on 127.0.0.1:port (only probed, never bound). */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

const refusedAt = (port: number) => new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}\\b`);

describe('riffle put, tail and streams find the endpoint: --endpoint-url, AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL, the local default', () => {
  before(async () => {
    riffle = await startRiffle({ args: ['--store', 'memory'] });
    client = kinesisClient(riffle.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: 'endpoint-proof', ShardCount: 1 }));
    home = mkdtempSync(join(tmpdir(), 'riffle-cli-endpoint-'));
    closedPort = await freeClosedPort();
    closed = `http://127.0.0.1:${closedPort}`;
  });
  after(async () => {
    client.destroy();
    await riffle.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('--endpoint-url beats both variables (they point at a closed port)', async () => {
    const env = { ...bareEnv(), AWS_ENDPOINT_URL_KINESIS: closed, AWS_ENDPOINT_URL: closed };
    const listed = await cli(['streams', 'list', '--endpoint-url', riffle.endpoint], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^endpoint-proof\s+ACTIVE/m);
    const put = await cli(['put', 'endpoint-proof', '--endpoint-url', riffle.endpoint, '--partition-key', 'k', 'via-flag'], env);
    assert.equal(put.code, 0, put.stderr);
    const tailed = await cli(['tail', 'endpoint-proof', '--endpoint-url', riffle.endpoint, '-a', '--max-records', '1'], env);
    assert.equal(tailed.code, 0, tailed.stderr);
    assert.equal(tailed.stdout, 'via-flag\n');
  });

  it('--endpoint-url at a closed port is used even when the variables point at the server', async () => {
    const env = { ...bareEnv(), AWS_ENDPOINT_URL_KINESIS: riffle.endpoint, AWS_ENDPOINT_URL: riffle.endpoint };
    const run = await cli(['streams', 'list', '--endpoint-url', closed], env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, refusedAt(closedPort));
  });

  it('AWS_ENDPOINT_URL_KINESIS beats AWS_ENDPOINT_URL', async () => {
    const winning = await cli(['put', 'endpoint-proof', '--partition-key', 'k', 'via-kinesis-variable'], { ...bareEnv(), AWS_ENDPOINT_URL_KINESIS: riffle.endpoint, AWS_ENDPOINT_URL: closed });
    assert.equal(winning.code, 0, winning.stderr);
    const stored = (await readShard(client, 'endpoint-proof', 'shardId-000000000000')).map((r) => Buffer.from(r.Data!).toString());
    assert.deepEqual(stored, ['via-flag', 'via-kinesis-variable']);
    const losing = await cli(['tail', 'endpoint-proof', '-a', '--no-follow'], { ...bareEnv(), AWS_ENDPOINT_URL_KINESIS: closed, AWS_ENDPOINT_URL: riffle.endpoint });
    assert.equal(losing.code, 1);
    assert.match(losing.stderr, refusedAt(closedPort));
  });

  it('AWS_ENDPOINT_URL is used when it is the only setting', async () => {
    const run = await cli(['tail', 'endpoint-proof', '-a', '--no-follow'], { ...bareEnv(), AWS_ENDPOINT_URL: riffle.endpoint });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'via-flag\nvia-kinesis-variable\n');
  });

  it('with no setting at all, http://127.0.0.1:4567 (the port is only probed, never bound)', async () => {
    const run = await cli(['streams', 'list', '--verbose'], bareEnv());
    assert.match(run.stderr, /riffle streams: talking to http:\/\/127\.0\.0\.1:4567 \(us-east-1, from default\)/);
    if (!(await listening(4567))) {
      assert.equal(run.code, 1);
      assert.match(run.stderr, refusedAt(4567));
    }
  });

  it('--verbose names the rule that chose the endpoint', async () => {
    const flag = await cli(['streams', 'list', '--verbose', '--endpoint-url', riffle.endpoint], { ...bareEnv(), AWS_ENDPOINT_URL: closed });
    assert.match(flag.stderr, new RegExp(`talking to ${riffle.endpoint.replaceAll('.', '\\.')} \\(us-east-1, from --endpoint-url\\)`));
    const variable = await cli(['put', 'endpoint-proof', '--verbose', '--partition-key', 'k', 'x'], { ...bareEnv(), AWS_ENDPOINT_URL_KINESIS: riffle.endpoint });
    assert.match(variable.stderr, /from AWS_ENDPOINT_URL_KINESIS\)/);
  });

  it('a malformed endpoint is a bad invocation (exit 2)', async () => {
    const run = await cli(['streams', 'list', '--endpoint-url', 'localhost:4567'], bareEnv());
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--endpoint-url "localhost:4567" must be an http:\/\/ or https:\/\/ URL/);
  });
});
