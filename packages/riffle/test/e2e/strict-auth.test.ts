import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  PutRecordCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import {
  AWS_CLI,
  awsCliEnv,
  awsCliVersion,
  kinesisClient,
  presignKinesisRequest,
  rawRequest,
  signKinesisRequest,
  startRiffle,
  type RawResponse,
  type RiffleProcess,
  type SignedHttpRequest,
  type SigningCredentials,
} from '@riffle/testkit';

const run = promisify(execFile);

const FILE_KEY = { accessKeyId: 'AKIDSTRICTFILE', secretAccessKey: 'file-secret/with+chars', accountId: '000000000000' };
const ENV_KEY = { accessKeyId: 'AKIDSTRICTENV', secretAccessKey: 'env-secret', accountId: '000000000000' };
const SESSION_KEY = {
  accessKeyId: 'ASIASTRICTSESSION',
  secretAccessKey: 'session-secret',
  accountId: '000000000000',
  sessionToken: 'session-token/abc+def=',
  expiration: '2999-01-01T00:00:00Z',
};
const EXPIRED_KEY = { ...SESSION_KEY, accessKeyId: 'ASIASTRICTEXPIRED', expiration: '2001-01-01T00:00:00Z' };
const ROTATED_KEY = { accessKeyId: 'AKIDSTRICTROTATED', secretAccessKey: 'rotated-secret', accountId: '000000000000', userName: 'ci' };

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const UNRECOGNIZED = 'The security token included in the request is invalid.';

const credentialsOf = (key: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): SigningCredentials => ({
  accessKeyId: key.accessKeyId,
  secretAccessKey: key.secretAccessKey,
  ...(key.sessionToken ? { sessionToken: key.sessionToken } : {}),
});

function amzDate(time: number): string {
  return new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function send(riffle: RiffleProcess, request: SignedHttpRequest): Promise<RawResponse> {
  return rawRequest(riffle.endpoint, { path: request.path, headers: request.headers, body: request.body });
}

function assertRefused(response: RawResponse, type: string, message: string | RegExp): void {
  assert.equal(response.status, 400);
  assert.equal(response.headers['x-amzn-errortype'], type);
  const body = JSON.parse(response.body.toString('utf8')) as { __type: string; message: string };
  assert.equal(body.__type, type);
  if (typeof message === 'string') assert.equal(body.message, message);
  else assert.match(body.message, message);
}

/** Bounded: the key file is re-read within a moment of being written. */
async function eventually(attempt: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await attempt()) return;
    await delay(50);
  }
  assert.fail('the condition never held');
}

describe('--auth strict', () => {
  let dir: string;
  let keyFile: string;
  let riffle: RiffleProcess;

  const writeKeys = (...keys: object[]) => writeFile(keyFile, JSON.stringify({ accessKeys: keys }, null, 2));
  const listStreams = (key: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, http: '2' | '1.1' = '2') => {
    const client = kinesisClient(riffle.endpoint, { http, credentials: credentialsOf(key) });
    return client.send(new ListStreamsCommand({})).finally(() => client.destroy());
  };
  const signed = (operation: string, body: string, key = FILE_KEY, signingDate?: Date) =>
    signKinesisRequest({ endpoint: riffle.endpoint, operation, body }, { credentials: credentialsOf(key), ...(signingDate ? { signingDate } : {}) });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-strict-'));
    keyFile = join(dir, 'access-keys.json');
    await writeKeys(FILE_KEY, SESSION_KEY, EXPIRED_KEY);
    riffle = await startRiffle({
      args: ['--auth', 'strict', '--access-keys', keyFile],
      env: { RIFFLE_ACCESS_KEYS: `${ENV_KEY.accessKeyId}:${ENV_KEY.secretAccessKey}:${ENV_KEY.accountId}` },
    });
  });
  after(async () => {
    await riffle.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs the mode and the number of keys at start, never a secret', () => {
    const started = riffle.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.event === 'started')!;
    assert.deepEqual([started.auth, started.accessKeys], ['strict', 4]);
    assert.ok(!riffle.logs.join('\n').includes('secret'));
  });

  for (const [http, key] of [['2', FILE_KEY], ['1.1', ENV_KEY]] as const) {
    it(`lets @aws-sdk/client-kinesis over HTTP/${http} with a right key create, write and read a stream`, async () => {
      const client = kinesisClient(riffle.endpoint, { http, credentials: credentialsOf(key) });
      try {
        const StreamName = `strict-${http.replace('.', '')}`;
        await client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
        await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { StreamName });
        const put = await client.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.from(`over ${http}`) }));
        const { ShardIterator } = await client.send(
          new GetShardIteratorCommand({ StreamName, ShardId: put.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
        );
        const got = await client.send(new GetRecordsCommand({ ShardIterator }));
        assert.deepEqual(got.Records!.map((record) => Buffer.from(record.Data!).toString()), [`over ${http}`]);
      } finally {
        client.destroy();
      }
    });
  }

  it('accepts temporary credentials with their session token', async () => {
    assert.ok((await listStreams(SESSION_KEY)).StreamNames!.includes('strict-2'));
  });

  it('lets the AWS CLI v2 with a right key through, and refuses it a wrong secret', async () => {
    const env = { ...awsCliEnv(dir, FILE_KEY), AWS_MAX_ATTEMPTS: '1' };
    const aws = (args: string[], secret = FILE_KEY.secretAccessKey) =>
      run(AWS_CLI, ['--endpoint-url', riffle.endpoint, ...args], { env: { ...env, AWS_SECRET_ACCESS_KEY: secret }, timeout: 60_000 });
    assert.match(await awsCliVersion(env), /^aws-cli\/2\./);
    const put = JSON.parse(
      (await aws(['kinesis', 'put-record', '--stream-name', 'strict-2', '--partition-key', 'cli', '--data', 'from the cli', '--cli-binary-format', 'raw-in-base64-out'])).stdout,
    ) as { ShardId: string };
    assert.equal(put.ShardId, 'shardId-000000000000');
    const summary = JSON.parse((await aws(['kinesis', 'describe-stream-summary', '--stream-name', 'strict-2'])).stdout) as {
      StreamDescriptionSummary: { StreamName: string };
    };
    assert.equal(summary.StreamDescriptionSummary.StreamName, 'strict-2');
    await assert.rejects(aws(['kinesis', 'list-streams'], 'not-the-secret'), (error: { stderr: string }) => {
      assert.match(error.stderr, /InvalidSignatureException/);
      assert.ok(error.stderr.includes(MISMATCH), error.stderr);
      return true;
    });
  });

  it('refuses a wrong secret (SDK and raw request)', async () => {
    await assert.rejects(listStreams({ ...FILE_KEY, secretAccessKey: 'wrong' }), (error: Error) => {
      assert.equal(error.name, 'InvalidSignatureException');
      assert.equal(error.message, MISMATCH);
      return true;
    });
    assertRefused(await send(riffle, await signed('ListStreams', '{}', { ...FILE_KEY, secretAccessKey: 'wrong' })), 'InvalidSignatureException', MISMATCH);
  });

  it('refuses a tampered body and a tampered signed header', async () => {
    const request = await signed('DescribeStreamSummary', '{"StreamName":"strict-2"}');
    assert.equal((await send(riffle, request)).status, 200);
    assertRefused(await send(riffle, { ...request, body: Buffer.from('{"StreamName":"strict-1"}') }), 'InvalidSignatureException', MISMATCH);
    const otherTarget = { ...request, headers: { ...request.headers, 'x-amz-target': 'Kinesis_20131202.DeleteStream' } };
    assertRefused(await send(riffle, otherTarget), 'InvalidSignatureException', MISMATCH);
  });

  it('refuses an X-Amz-Date more than 5 minutes away', async () => {
    const request = await signed('ListStreams', '{}');
    const tenMinutesAgo = amzDate(Date.now() - 10 * 60_000);
    const tampered = { ...request, headers: { ...request.headers, 'x-amz-date': tenMinutesAgo } };
    assertRefused(
      await send(riffle, tampered),
      'InvalidSignatureException',
      new RegExp(`^Signature expired: ${tenMinutesAgo} is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 5 min\\.\\)$`),
    );
    const ahead = new Date(Date.now() + 10 * 60_000);
    assertRefused(
      await send(riffle, await signed('ListStreams', '{}', FILE_KEY, ahead)),
      'InvalidSignatureException',
      new RegExp(`^Signature not yet current: ${amzDate(ahead.getTime())} is still later than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z \\+ 5 min\\.\\)$`),
    );
  });

  it('accepts a presigned request and refuses one past its X-Amz-Expires', async () => {
    const call = { endpoint: riffle.endpoint, operation: 'ListStreams', body: '{}' };
    const fresh = await presignKinesisRequest(call, { credentials: credentialsOf(FILE_KEY), expiresIn: 300 });
    assert.equal(fresh.headers.authorization, undefined);
    assert.equal((await send(riffle, fresh)).status, 200);
    const signedAt = new Date(Date.now() - 10 * 60_000);
    const stale = await presignKinesisRequest(call, { credentials: credentialsOf(FILE_KEY), expiresIn: 60, signingDate: signedAt });
    assertRefused(
      await send(riffle, stale),
      'InvalidSignatureException',
      new RegExp(`^Signature expired: ${amzDate(signedAt.getTime())} is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 1 min\\.\\)$`),
    );
  });

  it('refuses an unknown key, an expired session token and an unsigned request', async () => {
    await assert.rejects(listStreams({ accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' }), (error: Error) => {
      assert.deepEqual([error.name, error.message], ['UnrecognizedClientException', UNRECOGNIZED]);
      return true;
    });
    await assert.rejects(listStreams(EXPIRED_KEY), (error: Error) => {
      assert.deepEqual([error.name, error.message], ['ExpiredTokenException', 'The security token included in the request is expired']);
      return true;
    });
    const unsigned = await rawRequest(riffle.endpoint, {
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'Kinesis_20131202.ListStreams' },
      body: '{}',
    });
    assertRefused(unsigned, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  });

  it('takes a rewritten key file without a restart: the new key works, the removed one is refused', async () => {
    await writeKeys(ROTATED_KEY, SESSION_KEY);
    await eventually(() => listStreams(ROTATED_KEY).then(() => true, () => false));
    await assert.rejects(listStreams(FILE_KEY), (error: Error) => error.name === 'UnrecognizedClientException' && error.message === UNRECOGNIZED);
    assert.ok(await listStreams(ENV_KEY), 'RIFFLE_ACCESS_KEYS stay');
    assert.ok(riffle.logs.some((line) => line.includes('"event":"access-keys-reloaded"')));
  });

  it('keeps the last good keys when the file turns invalid, and logs it', async () => {
    await writeFile(keyFile, '{"accessKeys": [{"accessKeyId": "AKIDHALF"');
    await eventually(async () => riffle.logs.some((line) => line.includes('"event":"access-keys-invalid"')));
    assert.ok(await listStreams(ROTATED_KEY));
    // Restored, and taken (a reload logged after the invalid version), so that the next test starts from quiet.
    await writeKeys(ROTATED_KEY, SESSION_KEY);
    await eventually(async () => {
      const invalid = riffle.logs.findLastIndex((line) => line.includes('"event":"access-keys-invalid"'));
      return riffle.logs.slice(invalid + 1).some((line) => line.includes('"event":"access-keys-reloaded"'));
    });
  });

  it('re-reads the key file on SIGHUP and keeps serving', async () => {
    // The file is unchanged, so only SIGHUP's reload (which always reads and logs) can follow its 'reloading' line.
    const reloadedAfterHup = () => {
      const hup = riffle.logs.findIndex((line) => line.includes('"event":"reloading"') && line.includes('"signal":"SIGHUP"'));
      return hup >= 0 && riffle.logs.slice(hup + 1).some((line) => line.includes('"event":"access-keys-reloaded"'));
    };
    assert.equal(reloadedAfterHup(), false);
    riffle.child.kill('SIGHUP');
    await eventually(async () => reloadedAfterHup());
    assert.equal(riffle.child.exitCode, null);
    assert.ok(await listStreams(ROTATED_KEY));
  });
});

describe('--auth strict refuses to start', () => {
  it('without any access key', async () => {
    await assert.rejects(startRiffle({ args: ['--auth', 'strict'] }), /riffle exited \(2\)[\s\S]*--auth strict needs access keys/);
  });

  it('with an invalid key file, naming the file and the entry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'riffle-strict-bad-'));
    try {
      const file = join(dir, 'keys.json');
      await writeFile(file, JSON.stringify({ accessKeys: [FILE_KEY, { ...ENV_KEY, accountId: '42' }] }));
      await assert.rejects(
        startRiffle({ args: ['--auth', 'strict', '--access-keys', file] }),
        (error: Error) => error.message.includes(`${file}: accessKeys[1] (AKIDSTRICTENV): accountId must be a string of 12 digits`) && !error.message.includes('secret'),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
