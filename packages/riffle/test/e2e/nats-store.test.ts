import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { killRiffle, kinesisClient, startNatsCluster, startRiffle, type NatsCluster, type RiffleProcess } from '@riffle/testkit';

/** Every record of every shard of the stream, as text, shard by shard in order. */
async function readAll(client: KinesisClient, stream: string): Promise<string[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const texts: string[] = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    // Bounded: a page per call, and a shard of this test holds far fewer records than pages allowed.
    for (let page = 0; page < 20 && iterator; page++) {
      const answer = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const record of answer.Records ?? []) texts.push(Buffer.from(record.Data!).toString());
      if ((answer.Records ?? []).length === 0 && answer.MillisBehindLatest === 0) break;
      iterator = answer.NextShardIterator;
    }
  }
  return texts;
}

describe('riffle serve --store nats:// on a 3-node JetStream cluster', () => {
  let cluster: NatsCluster;
  let dataDir: string;
  let riffle: RiffleProcess | undefined;
  let args: string[];
  before(async () => {
    cluster = await startNatsCluster({ nodes: 3 });
    dataDir = await mkdtemp(join(tmpdir(), 'riffle-nats-store-'));
    args = ['--store', cluster.servers.join(',')];
  });
  after(async () => {
    await riffle?.stop();
    await cluster?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps acknowledged records through kill -9 of Riffle and of a JetStream node', { timeout: 180_000 }, async () => {
    riffle = await startRiffle({ dataDir, args });
    assert.ok(riffle.logs.some((line) => line.includes('"event":"nats-connected"')), 'connected to the cluster');
    let client = kinesisClient(riffle.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: 'replicated', ShardCount: 2 }));
    const first = Array.from({ length: 20 }, (_, i) => `before-${i}`);
    const put = await client.send(new PutRecordsCommand({ StreamName: 'replicated', Records: first.map((text, i) => ({ Data: Buffer.from(text), PartitionKey: `k${i}` })) }));
    assert.equal(put.FailedRecordCount, 0);
    assert.deepEqual((await readAll(client, 'replicated')).sort(), [...first].sort());
    client.destroy();

    // Riffle crashes; the records and the stream are on the cluster.
    await killRiffle(riffle);
    riffle = await startRiffle({ dataDir, args });
    client = kinesisClient(riffle.endpoint);
    assert.deepEqual((await client.send(new ListStreamsCommand({}))).StreamNames, ['replicated']);
    assert.deepEqual((await readAll(client, 'replicated')).sort(), [...first].sort());

    // A JetStream node crashes: two of three replicas remain, writes and reads go on, with the retries an AWS
    // client makes (InternalFailure while a shard's stream elects a new leader).
    client.destroy();
    client = kinesisClient(riffle.endpoint, { maxAttempts: 10 });
    await cluster.kill(0);
    const during = Array.from({ length: 5 }, (_, i) => `during-${i}`);
    for (const text of during) {
      // One partition key: one shard, so their order is checked below.
      await client.send(new PutRecordCommand({ StreamName: 'replicated', Data: Buffer.from(text), PartitionKey: 'during' }));
    }
    assert.deepEqual((await readAll(client, 'replicated')).sort(), [...first, ...during].sort());
    await cluster.restart(0);
    client.destroy();

    await killRiffle(riffle);
    riffle = await startRiffle({ dataDir, args });
    // The killed node is back and catching up: leaders may move meanwhile.
    client = kinesisClient(riffle.endpoint, { maxAttempts: 10 });
    const after = await readAll(client, 'replicated');
    assert.deepEqual([...after].sort(), [...first, ...during].sort(), 'every acknowledged record, once');
    assert.deepEqual(after.filter((text) => text.startsWith('during-')), during, 'in the order they were put');
    client.destroy();
  });

  it('exits with code 2 and the reason when its API port is taken, its NATS connection closed (nothing keeps it running)', { timeout: 60_000 }, async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      // startRiffle rejects once the process has exited; a process that stayed up would fail the test's bound instead.
      await assert.rejects(
        startRiffle({ args: [...args, '--port', String(taken)] }),
        (error: Error) => /exited \(2\)/.test(error.message) && /cannot listen on 127\.0\.0\.1:\d+/.test(error.message) && /EADDRINUSE/.test(error.message),
      );
    } finally {
      blocker.close();
    }
  });

  it('refuses a --store that is not file, memory or nats:// URLs, plainly', async () => {
    const refused = await startRiffle({ args: ['--store', 'http://localhost:4222'] }).then(
      () => 'started',
      (error: Error) => error.message,
    );
    assert.match(refused, /expected file, memory or nats:\/\/host:port/);
  });
});

describe('two Riffle nodes over one JetStream cluster', () => {
  let cluster: NatsCluster;
  const nodes: RiffleProcess[] = [];
  const clients: KinesisClient[] = [];
  before(async () => {
    cluster = await startNatsCluster({ nodes: 3 });
    const args = ['--store', cluster.servers.join(',')];
    for (let i = 0; i < 2; i++) {
      nodes.push(await startRiffle({ args }));
      clients.push(kinesisClient(nodes[i]!.endpoint));
    }
  });
  after(async () => {
    for (const client of clients) client.destroy();
    for (const node of nodes) await node.stop();
    await cluster?.stop();
  });

  /** Bounded: until the other node's engine has followed the change (a JetStream watch, milliseconds). */
  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    let value = await read();
    for (let attempt = 0; attempt < 100 && !done(value); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      value = await read();
    }
    return value;
  }

  it('sees a stream created through A on B, and a stream deleted through B gone on A', { timeout: 120_000 }, async () => {
    const [a, b] = clients as [KinesisClient, KinesisClient];
    await a.send(new CreateStreamCommand({ StreamName: 'shared', ShardCount: 1 }));
    const onB = await eventually(() => b.send(new ListStreamsCommand({})), (answer) => (answer.StreamNames ?? []).includes('shared'));
    assert.deepEqual(onB.StreamNames, ['shared']);
    await b.send(new CreateStreamCommand({ StreamName: 'short-lived', ShardCount: 1 }));
    await eventually(() => a.send(new ListStreamsCommand({})), (answer) => (answer.StreamNames ?? []).includes('short-lived'));
    await b.send(new DeleteStreamCommand({ StreamName: 'short-lived' }));
    const onA = await eventually(() => a.send(new ListStreamsCommand({})), (answer) => !(answer.StreamNames ?? []).includes('short-lived'));
    assert.deepEqual(onA.StreamNames, ['shared']);
  });

  it('reads on B, with an iterator from A, what was put through A and through B, in one order', { timeout: 120_000 }, async () => {
    const [a, b] = clients as [KinesisClient, KinesisClient];
    await eventually(() => b.send(new ListStreamsCommand({})), (answer) => (answer.StreamNames ?? []).includes('shared'));
    const sequenceNumbers: string[] = [];
    for (let i = 0; i < 10; i++) {
      const through = i % 2 === 0 ? a : b;
      const put = await through.send(new PutRecordCommand({ StreamName: 'shared', Data: Buffer.from(`record-${i}`), PartitionKey: 'one-shard' }));
      sequenceNumbers.push(put.SequenceNumber!);
    }
    assert.equal(new Set(sequenceNumbers).size, 10, 'no sequence number given twice');
    const sorted = [...sequenceNumbers].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    assert.deepEqual(sorted, sequenceNumbers, 'rising in the order the puts were answered');
    const { ShardIterator } = await a.send(new GetShardIteratorCommand({ StreamName: 'shared', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    const read = await b.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(read.Records?.map((record) => Buffer.from(record.Data!).toString()), Array.from({ length: 10 }, (_, i) => `record-${i}`));
    assert.deepEqual(read.Records?.map((record) => record.SequenceNumber), sequenceNumbers);
  });
});
