import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  ResourceInUseException,
  SplitShardCommand,
  SubscribeToShardCommand,
  type KinesisClient,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { killRiffle, kinesisClient, startNatsCluster, startRiffle, type NatsCluster, type RiffleProcess } from '@riffle/testkit';

// Two Riffle nodes over one 3-node JetStream cluster: what a client sees through one node is what it sees through
// the other. Needs /usr/sbin/nats-server (.ci/run installs it): without it this file fails, it never skips.

const ACCOUNT = '000000000000';
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`;
const text = (data: Uint8Array | undefined) => Buffer.from(data ?? new Uint8Array()).toString();

let cluster: NatsCluster;
const started: RiffleProcess[] = [];
const clients: KinesisClient[] = [];

before(async () => {
  cluster = await startNatsCluster({ nodes: 3 });
});
after(async () => {
  for (const client of clients) client.destroy();
  for (const node of started) await node.stop().catch(() => undefined);
  await cluster?.stop();
});

/** A Riffle node on the cluster; `prefix` keeps one group of nodes' streams apart from another's. */
async function node(prefix: string, args: string[] = []): Promise<{ riffle: RiffleProcess; client: KinesisClient }> {
  const riffle = await startRiffle({ args: ['--store', cluster.servers.join(','), '--nats-prefix', prefix, ...args] });
  started.push(riffle);
  // Calls during a JetStream leader election may answer InternalFailure; the SDK retries them.
  const client = kinesisClient(riffle.endpoint, { maxAttempts: 10 });
  clients.push(client);
  return { riffle, client };
}

/** Bounded: until the other node has followed a change (a JetStream watch, milliseconds). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`never: ${what}`);
}

async function createActive(client: KinesisClient, others: KinesisClient[], name: string, shards = 1): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (const other of [client, ...others]) {
    await eventually(
      () => other.send(new DescribeStreamSummaryCommand({ StreamName: name })),
      (answer) => answer.StreamDescriptionSummary?.StreamStatus === 'ACTIVE',
      `${name} ACTIVE on every node`,
    );
  }
}

/** Every record of the stream, shard by shard (parents before children), with its shard. */
async function readStream(client: KinesisClient, name: string): Promise<{ shardId: string; data: string; sequenceNumber: string }[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: name }));
  const out: { shardId: string; data: string; sequenceNumber: string }[] = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: name, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    for (let page = 0; page < 100 && iterator; page++) {
      const answer = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const record of answer.Records ?? []) out.push({ shardId: shard.ShardId!, data: text(record.Data), sequenceNumber: record.SequenceNumber! });
      if ((answer.Records ?? []).length === 0 && (answer.MillisBehindLatest === 0 || answer.ChildShards !== undefined)) break;
      iterator = answer.NextShardIterator;
    }
  }
  return out;
}

describe('two Riffle nodes over one JetStream cluster: the data plane', () => {
  let a: KinesisClient;
  let b: KinesisClient;
  before(async () => {
    a = (await node('plane')).client;
    b = (await node('plane')).client;
  });

  it('pushes a record put through A to a SubscribeToShard subscriber on B, as it is written', { timeout: 20_000 }, async () => {
    await createActive(a, [b], 'pushed');
    const { Consumer } = await a.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn('pushed'), ConsumerName: 'on-b' }));
    await eventually(
      () => b.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN })),
      (answer) => answer.ConsumerDescription?.ConsumerStatus === 'ACTIVE',
      'consumer registered through A ACTIVE on B',
    );
    const subscription = await b.send(
      new SubscribeToShardCommand({ ConsumerARN: Consumer!.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } }),
    );
    const events = subscription.EventStream![Symbol.asyncIterator]() as AsyncIterator<SubscribeToShardEventStream>;
    // The first event comes at once; then each record put through A must reach B. An idle subscription's next
    // event comes 5 s after its last, so delivering 8 records one after another by those events alone would take
    // 40 s: this test's 20-s bound fails unless B is told of A's appends (no timing is asserted).
    await events.next();
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) {
      await a.send(new PutRecordCommand({ StreamName: 'pushed', PartitionKey: 'k', Data: Buffer.from(`live-${i}`) }));
      for (let event = 0; event < 10 && !seen.includes(`live-${i}`); event++) {
        const next = await events.next();
        assert.equal(next.done, false);
        for (const record of next.value.SubscribeToShardEvent?.Records ?? []) seen.push(text(record.Data));
      }
    }
    await events.return?.();
    assert.deepEqual(seen, Array.from({ length: 8 }, (_, i) => `live-${i}`));
  });

  it('never gives one sequence number twice to records put concurrently through both nodes', { timeout: 120_000 }, async () => {
    await createActive(a, [b], 'concurrent', 2);
    const acknowledged = new Map<string, string>();
    // 6 producers on each node, each PutRecords of 10 records (both shards) then PutRecord, 5 rounds.
    await Promise.all(
      Array.from({ length: 12 }, async (_, producer) => {
        const through = producer % 2 === 0 ? a : b;
        for (let round = 0; round < 5; round++) {
          const batch = Array.from({ length: 10 }, (_, i) => ({ PartitionKey: `p${producer}-${i}`, Data: Buffer.from(`p${producer}-r${round}-${i}`) }));
          const answer = await through.send(new PutRecordsCommand({ StreamName: 'concurrent', Records: batch }));
          assert.equal(answer.FailedRecordCount, 0);
          answer.Records!.forEach((entry, i) => acknowledged.set(`${entry.ShardId}/${entry.SequenceNumber}`, `p${producer}-r${round}-${i}`));
          const single = await through.send(new PutRecordCommand({ StreamName: 'concurrent', PartitionKey: `p${producer}`, Data: Buffer.from(`p${producer}-r${round}-one`) }));
          acknowledged.set(`${single.ShardId}/${single.SequenceNumber}`, `p${producer}-r${round}-one`);
        }
      }),
    );
    assert.equal(acknowledged.size, 12 * 5 * 11, 'every acknowledged record has a sequence number of its own');
    for (const reader of [a, b]) {
      const stored = await readStream(reader, 'concurrent');
      assert.equal(stored.length, acknowledged.size, 'each record stored once');
      for (const record of stored) assert.equal(acknowledged.get(`${record.shardId}/${record.sequenceNumber}`), record.data);
      for (const shardId of new Set(stored.map((record) => record.shardId))) {
        const numbers = stored.filter((record) => record.shardId === shardId).map((record) => BigInt(record.sequenceNumber));
        for (let i = 1; i < numbers.length; i++) assert.ok(numbers[i]! > numbers[i - 1]!, 'rising within a shard');
      }
    }
  });

  it('splits a shard through A while B writes to it: B sees the children, and no acknowledged record is lost', { timeout: 120_000 }, async () => {
    await createActive(a, [b], 'resharded');
    const acknowledged: { data: string; shardId: string; sequenceNumber: string }[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing || i < 20; i++) {
        if (i >= 2_000) break;
        const put = await b.send(new PutRecordCommand({ StreamName: 'resharded', PartitionKey: `key-${i}`, Data: Buffer.from(`w-${i}`) }));
        acknowledged.push({ data: `w-${i}`, shardId: put.ShardId!, sequenceNumber: put.SequenceNumber! });
      }
    })();
    // Some writes before the split, then the split through the other node while B keeps writing.
    await eventually(async () => acknowledged.length, (count) => count >= 20, 'writes before the split');
    await a.send(new SplitShardCommand({ StreamName: 'resharded', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 127n).toString() }));
    const onB = await eventually(
      () => b.send(new ListShardsCommand({ StreamName: 'resharded' })),
      (answer) => (answer.Shards ?? []).length === 3,
      'B lists the two children',
    );
    assert.deepEqual(onB.Shards!.map((shard) => shard.ShardId), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    await eventually(async () => acknowledged.filter((record) => record.shardId !== 'shardId-000000000000').length, (count) => count >= 20, 'writes to the children');
    writing = false;
    await writer;
    const parentSequence = onB.Shards![0]!.SequenceNumberRange!;
    assert.ok(parentSequence.EndingSequenceNumber !== undefined, 'the parent is closed');
    for (const reader of [a, b]) {
      const stored = await readStream(reader, 'resharded');
      assert.deepEqual(
        stored.map((record) => `${record.shardId}/${record.sequenceNumber}/${record.data}`).sort(),
        acknowledged.map((record) => `${record.shardId}/${record.sequenceNumber}/${record.data}`).sort(),
        'every acknowledged record, once, where its acknowledgement said',
      );
      // The parent holds only records written before the cut; every record after it is in a child.
      const ending = BigInt(parentSequence.EndingSequenceNumber!);
      for (const record of stored.filter((r) => r.shardId === 'shardId-000000000000')) assert.ok(BigInt(record.sequenceNumber) <= ending);
    }
  });
});

describe('two Riffle nodes over one JetStream cluster: limits and the control plane', () => {
  let a: KinesisClient;
  let b: KinesisClient;
  let riffleA: RiffleProcess;
  let riffleB: RiffleProcess;
  before(async () => {
    const first = await node('limits', ['--throughput', 'on']);
    riffleA = first.riffle;
    a = first.client;
    const second = await node('limits', ['--throughput', 'on']);
    riffleB = second.riffle;
    b = second.client;
  });

  it('counts a shard\'s write limit across nodes: what A wrote leaves B less of the second', { timeout: 60_000 }, async () => {
    await createActive(a, [b], 'limited');
    const records = () => Array.from({ length: 500 }, (_, i) => ({ PartitionKey: 'one-shard', Data: Buffer.alloc(1_000, i % 256) }));
    // 1,000 records (about 1 MB) through A: the shard's whole second.
    for (let call = 0; call < 2; call++) assert.equal((await a.send(new PutRecordsCommand({ StreamName: 'limited', Records: records() }))).FailedRecordCount, 0);
    // B alone would take another 1,000 at once (its own bucket is full); counted across nodes, it refuses most.
    const throughB = [];
    for (let call = 0; call < 2; call++) throughB.push(await b.send(new PutRecordsCommand({ StreamName: 'limited', Records: records() })));
    const failed = throughB.reduce((sum, answer) => sum + answer.FailedRecordCount!, 0);
    assert.ok(failed > 0, 'B refused records because of what A wrote');
    const refused = throughB.flatMap((answer) => answer.Records!).filter((entry) => entry.ErrorCode !== undefined);
    assert.equal(refused.length, failed);
    assert.ok(refused.every((entry) => entry.ErrorCode === 'ProvisionedThroughputExceededException'));
  });

  it('counts GetRecords calls across nodes: 5 a second for the shard, whichever node answers', { timeout: 60_000 }, async () => {
    await createActive(a, [b], 'read-limited');
    const iterator = async (client: KinesisClient) =>
      (await client.send(new GetShardIteratorCommand({ StreamName: 'read-limited', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
    const [onA, onB] = [await iterator(a), await iterator(b)];
    for (let call = 0; call < 5; call++) await a.send(new GetRecordsCommand({ ShardIterator: onA }));
    // B's own budget is untouched: 5 calls would pass there; counted across nodes, B refuses some. (One attempt
    // each: the SDK would retry a throttled call.)
    const once = kinesisClient(riffleB.endpoint, { maxAttempts: 1 });
    clients.push(once);
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => once.send(new GetRecordsCommand({ ShardIterator: onB }))));
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    assert.ok(refused.length > 0, 'B refused calls because of A\'s');
    for (const outcome of refused) assert.equal((outcome.reason as Error).name, 'ProvisionedThroughputExceededException');
  });

  it('of two CreateStreams of one name through A and B at once, one succeeds and the other is told it exists', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 4; round++) {
      const name = `raced-${round}`;
      const outcomes = await Promise.allSettled([a, b].map((client) => client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))));
      assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1, `round ${round}: one create`);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
      assert.ok(refused.reason instanceof ResourceInUseException, String(refused.reason));
      assert.match(refused.reason.message, new RegExp(`Stream ${name} under account ${ACCOUNT} already exists`));
    }
  });

  it('finishes on B a CREATING stream whose node A was killed before it became ACTIVE', { timeout: 60_000 }, async () => {
    const slow = await node('limits', ['--throughput', 'on', '--create-stream-ms', '2000']);
    await slow.client.send(new CreateStreamCommand({ StreamName: 'orphaned', ShardCount: 1 }));
    await killRiffle(slow.riffle);
    const summary = await eventually(
      () => b.send(new DescribeStreamSummaryCommand({ StreamName: 'orphaned' })),
      (answer) => answer.StreamDescriptionSummary?.StreamStatus === 'ACTIVE',
      'B completes the creation',
    );
    assert.equal(summary.StreamDescriptionSummary!.OpenShardCount, 1);
    assert.ok(riffleA.child.exitCode === null, 'A still serves');
  });
});
