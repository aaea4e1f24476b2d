import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, PutRecordCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { fastArgs, kinesisClient, riffleMain, TEST_MASTER_KEY } from '@riffle/testkit';

const env = { ...process.env, RIFFLE_MASTER_KEY: TEST_MASTER_KEY, RIFFLE_KEYRING: '' };

interface RunningCluster {
  readonly child: ChildProcess;
  readonly riffle: { index: number; pid: number; api: string }[];
  readonly nats: { name: string; pid: number; url: string }[];
  readonly output: () => string;
  readonly exited: Promise<number | string>;
}

/** Starts `riffle cluster` and waits (bounded) for its "ready" line, collecting the endpoint lines before it. */
async function startCluster(dataDir: string): Promise<RunningCluster> {
  const args = [riffleMain, 'cluster', '--nodes', '2', '--port', '0', '--console-port', 'off', '--nats-port', '0', '--data-dir', dataDir, '--', ...fastArgs];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const running: RunningCluster = { child, riffle: [], nats: [], output: () => output, exited };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`riffle cluster was not ready in time:\n${output}`)), 120_000);
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      buffered += chunk;
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const riffle = /^riffle node (\d+) \(pid (\d+)\): api (\S+) console off$/.exec(line);
        if (riffle) running.riffle.push({ index: Number(riffle[1]), pid: Number(riffle[2]), api: riffle[3]! });
        const nats = /^nats (\S+) \(pid (\d+)\): (nats:\/\/127\.0\.0\.1:\d+) /.exec(line);
        if (nats) running.nats.push({ name: nats[1]!, pid: Number(nats[2]), url: nats[3]! });
        if (line.startsWith('riffle cluster: ready')) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`riffle cluster exited (${code}) before it was ready:\n${output}`));
    });
  });
  return running;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** SIGTERM, the exit code, and the pids of its children still alive afterwards (none, if it stopped them). */
async function stopCluster(cluster: RunningCluster): Promise<{ code: number | string; strays: number[] }> {
  cluster.child.kill('SIGTERM');
  const code = await cluster.exited;
  const pids = [...cluster.riffle.map((r) => r.pid), ...cluster.nats.map((n) => n.pid)];
  return { code, strays: pids.filter(alive) };
}

async function readShard(api: string, stream: string, shardId: string): Promise<string[]> {
  const client = kinesisClient(api, { maxAttempts: 10 });
  try {
    const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
    const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator }));
    return Records.map((r) => Buffer.from(r.Data!).toString());
  } finally {
    client.destroy();
  }
}

describe('riffle cluster', () => {
  let dataDir: string | undefined;
  let current: RunningCluster | undefined;
  after(async () => {
    if (current && current.child.exitCode === null && current.child.signalCode === null) await stopCluster(current);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('runs 3 NATS and 2 Riffle nodes that share streams, stops every process on SIGTERM, and keeps the data for the next start', { timeout: 300_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'riffle-cluster-'));
    current = await startCluster(dataDir);
    const first = current;
    assert.deepEqual(first.riffle.map((r) => r.index), [1, 2], first.output());
    assert.deepEqual(first.nats.map((n) => n.name), ['n1', 'n2', 'n3']);

    const node1 = kinesisClient(first.riffle[0]!.api, { maxAttempts: 10 });
    const node2 = kinesisClient(first.riffle[1]!.api, { maxAttempts: 10 });
    let shardId: string;
    try {
      await node1.send(new CreateStreamCommand({ StreamName: 'shared', ShardCount: 1 }));
      await waitUntilStreamExists({ client: node2, maxWaitTime: 60 }, { StreamName: 'shared' });
      const put = await node2.send(new PutRecordCommand({ StreamName: 'shared', Data: Buffer.from('put-through-node-2'), PartitionKey: 'k' }));
      shardId = put.ShardId!;
    } finally {
      node1.destroy();
      node2.destroy();
    }
    assert.deepEqual(await readShard(first.riffle[0]!.api, 'shared', shardId), ['put-through-node-2'], 'node 1 reads what node 2 put');

    const stopped = await stopCluster(first);
    assert.equal(stopped.code, 0, first.output());
    assert.deepEqual(stopped.strays, [], 'no nats-server or riffle serve outlives riffle cluster');
    assert.match(first.output(), /riffle cluster: stopped/);

    current = await startCluster(dataDir);
    const second = current;
    assert.deepEqual(second.nats.map((n) => n.url), first.nats.map((n) => n.url), 'the NATS nodes come back on their saved ports');
    const client = kinesisClient(second.riffle[0]!.api, { maxAttempts: 10 });
    try {
      assert.deepEqual((await client.send(new ListStreamsCommand({}))).StreamNames, ['shared']);
    } finally {
      client.destroy();
    }
    assert.deepEqual(await readShard(second.riffle[0]!.api, 'shared', shardId), ['put-through-node-2'], 'the record survived the restart');
    const again = await stopCluster(second);
    assert.equal(again.code, 0, second.output());
    assert.deepEqual(again.strays, []);
  });

  it('without nats-server says how to get it and exits non-zero', async () => {
    const missing = join(tmpdir(), 'no-such-nats-server');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
      execFile(process.execPath, [riffleMain, 'cluster', '--data-dir', join(tmpdir(), 'riffle-cluster-unused')], { env: { ...env, RIFFLE_NATS_SERVER: missing }, timeout: 30_000 }, (error, _stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
      ),
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, new RegExp(`nats-server not found at ${missing}: install it \\(apt-get install nats-server\\) or set RIFFLE_NATS_SERVER`));
  });
});
