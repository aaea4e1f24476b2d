import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { fastArgs, kinesisClient, riffleMain, startNatsCluster, startRiffle, TEST_MASTER_KEY, type NatsCluster, type NatsClusterOptions } from '@riffle/testkit';

// One single-node JetStream server per kind of authentication (R1 streams): fast, and the kind is all that differs.
const R1 = ['--nats-replicas', '1'];

/** Starts `riffle serve` on the cluster, puts a record, reads it back through a fresh iterator, stops it. */
async function putAndReadBack(cluster: NatsCluster, args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const riffle = await startRiffle({ args: ['--store', cluster.servers.join(','), ...R1, ...args], env, startTimeoutMs: 60_000 });
  const client = kinesisClient(riffle.endpoint);
  try {
    assert.ok(riffle.logs.some((line) => line.includes('"event":"nats-connected"')), 'connected to NATS');
    await client.send(new CreateStreamCommand({ StreamName: 'secured', ShardCount: 1 }));
    const put = await client.send(new PutRecordCommand({ StreamName: 'secured', Data: Buffer.from('through-nats'), PartitionKey: 'k' }));
    const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: 'secured', ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(Records.map((r) => Buffer.from(r.Data!).toString()), ['through-nats']);
    return riffle.logs;
  } finally {
    client.destroy();
    await riffle.stop();
  }
}

interface Refusal {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `riffle serve` that must fail to start: its exit code and output (bounded by the timeout, not asserted on). */
async function serveRefused(cluster: NatsCluster, args: string[], env: Record<string, string> = {}): Promise<Refusal> {
  const dataDir = await mkdtemp(join(tmpdir(), 'riffle-nats-refused-'));
  const argv = [riffleMain, 'serve', '--host', '127.0.0.1', '--port', '0', '--console-port', 'off', '--data-dir', dataDir, ...fastArgs, '--store', cluster.servers.join(','), ...R1, ...args];
  try {
    return await new Promise<Refusal>((resolve) => {
      execFile(process.execPath, argv, { timeout: 60_000, env: { ...process.env, RIFFLE_MASTER_KEY: TEST_MASTER_KEY, RIFFLE_KEYRING: '', ...env } }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Exit non-zero, one line on stderr that names the NATS server and says why. */
function assertPlainRefusal(refusal: Refusal, cluster: NatsCluster, reason: RegExp): void {
  assert.ok(typeof refusal.code === 'number' && refusal.code !== 0, `exit code ${refusal.code}, stderr: ${refusal.stderr}`);
  const lines = refusal.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${refusal.stderr}`);
  assert.ok(lines[0]!.includes(cluster.servers[0]!), `names the server: ${lines[0]}`);
  assert.match(lines[0]!, reason);
}

function withCluster(options: NatsClusterOptions): () => NatsCluster {
  let cluster: NatsCluster | undefined;
  before(async () => {
    cluster = await startNatsCluster({ nodes: 1, ...options });
  });
  after(async () => {
    await cluster?.stop();
  });
  return () => cluster!;
}

describe('riffle serve --store nats:// over TLS', () => {
  const cluster = withCluster({ tls: true });

  it('trusts the servers through --nats-tls-ca and keeps a record', { timeout: 120_000 }, async () => {
    await putAndReadBack(cluster(), ['--nats-tls-ca', cluster().tls!.caFile]);
  });

  it('refuses a server whose certificate its CA did not sign: exit non-zero, one line naming the server', { timeout: 120_000 }, async () => {
    const refusal = await serveRefused(cluster(), ['--nats-tls-ca', cluster().tls!.untrustedCaFile]);
    assertPlainRefusal(refusal, cluster(), /unable to verify the first certificate.*--nats-tls-ca/);
  });
});

describe('riffle serve --store nats:// over mutual TLS (verify: true)', () => {
  const cluster = withCluster({ tls: { verifyClients: true } });

  it('presents --nats-tls-cert and --nats-tls-key and keeps a record', { timeout: 120_000 }, async () => {
    const tls = cluster().tls!;
    await putAndReadBack(cluster(), ['--nats-tls-ca', tls.caFile, '--nats-tls-cert', tls.clientCertFile, '--nats-tls-key', tls.clientKeyFile]);
  });

  it('without a client certificate is refused by the server: exit non-zero, one line naming the server', { timeout: 120_000 }, async () => {
    const refusal = await serveRefused(cluster(), ['--nats-tls-ca', cluster().tls!.caFile]);
    assertPlainRefusal(refusal, cluster(), /--nats-tls-cert/);
  });
});

describe('riffle serve --store nats:// with a user and password', () => {
  const password = 'correct-horse-battery-1e5d';
  const cluster = withCluster({ auth: { user: 'riffle', password } });

  it('logs in with --nats-user and RIFFLE_NATS_PASSWORD, keeps a record, and never logs the password', { timeout: 120_000 }, async () => {
    const logs = await putAndReadBack(cluster(), ['--nats-user', 'riffle'], { RIFFLE_NATS_PASSWORD: password });
    assert.ok(!logs.join('\n').includes(password), 'the password is not in the logs');
  });

  it('a wrong password: exit non-zero, one line naming the server, neither password printed', { timeout: 120_000 }, async () => {
    const wrong = 'wrong-password-93c1';
    const refusal = await serveRefused(cluster(), ['--nats-user', 'riffle'], { RIFFLE_NATS_PASSWORD: wrong });
    assertPlainRefusal(refusal, cluster(), /authorization/i);
    for (const secret of [wrong, password]) {
      assert.ok(!refusal.stderr.includes(secret) && !refusal.stdout.includes(secret), 'no password in the output');
    }
  });
});

describe('riffle serve --store nats:// with a token', () => {
  const token = 'nats-token-5b0f2e';
  const cluster = withCluster({ auth: { token } });

  it('logs in with RIFFLE_NATS_TOKEN, keeps a record, and never logs the token', { timeout: 120_000 }, async () => {
    const logs = await putAndReadBack(cluster(), [], { RIFFLE_NATS_TOKEN: token });
    assert.ok(!logs.join('\n').includes(token), 'the token is not in the logs');
  });

  it('a wrong token: exit non-zero, one line naming the server, no token printed', { timeout: 120_000 }, async () => {
    const wrong = 'wrong-token-77aa';
    const refusal = await serveRefused(cluster(), [], { RIFFLE_NATS_TOKEN: wrong });
    assertPlainRefusal(refusal, cluster(), /authorization/i);
    assert.ok(!refusal.stderr.includes(wrong) && !refusal.stderr.includes(token));
  });
});

describe('riffle serve --store nats:// with a .creds file (operator, account and user JWTs)', () => {
  const cluster = withCluster({ auth: 'creds' });

  it('logs in with --nats-creds, keeps a record, and never logs the NKey seed', { timeout: 120_000 }, async () => {
    const { file, seed } = cluster().creds!;
    const logs = await putAndReadBack(cluster(), ['--nats-creds', file]);
    assert.ok(!logs.join('\n').includes(seed), 'the seed is not in the logs');
  });

  it('without the creds the server refuses it: exit non-zero, one line naming the server', { timeout: 120_000 }, async () => {
    const refusal = await serveRefused(cluster(), []);
    assertPlainRefusal(refusal, cluster(), /authorization/i);
  });
});
