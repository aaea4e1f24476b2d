import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateStreamCommand, DescribeStreamSummaryCommand, ListShardsCommand, RegisterStreamConsumerCommand, SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient, runRiffleCommand, startRiffle, startRiffleCommand, type RiffleProcess } from '@riffle/testkit';

let riffle: RiffleProcess;
let client: KinesisClient;
/** The real `riffle` process, stdin closed. */
const cli = (args: readonly string[]) => runRiffleCommand(args, { killAfterMs: 30_000 });
const streams = (...args: string[]) => cli(['streams', ...args, '--endpoint-url', riffle.endpoint]);
const MAX_HASH_KEY = ((1n << 128n) - 1n).toString();

interface JsonShard {
  ShardId: string;
  ParentShardId?: string;
  HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
  SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
}

describe('riffle streams', () => {
  before(async () => {
    riffle = await startRiffle({ args: ['--store', 'memory'] });
    client = kinesisClient(riffle.endpoint);
  });
  after(async () => {
    client.destroy();
    await riffle.stop();
  });

  it('create makes a provisioned stream with the shards and retention asked, and waits until it is ACTIVE', async () => {
    const run = await streams('create', 'lab', '--shards', '2', '--retention-hours', '48');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'Created stream lab (2 shards, 48 hours retention): ACTIVE\n');
    const { StreamDescriptionSummary: s } = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'lab' }));
    assert.deepEqual([s?.StreamStatus, s?.OpenShardCount, s?.RetentionPeriodHours, s?.StreamModeDetails?.StreamMode], ['ACTIVE', 2, 48, 'PROVISIONED']);
  });

  it('output into a pipe closed early (riffle streams list | head -0, riffle generate --dry-run | head) ends quietly with 0', async () => {
    for (const args of [['streams', 'list', '--endpoint-url', riffle.endpoint], ['generate', '--data-profile', 'host-metrics', '--stream', 'x', '--dry-run', '--count', '100000']]) {
      const command = startRiffleCommand(args, { killAfterMs: 30_000 });
      command.child.stdout!.destroy();
      const code = await command.exited;
      assert.doesNotMatch(command.stderr(), /EPIPE|at /, `riffle ${args[0]}: ${command.stderr()}`);
      assert.equal(code, 0, `riffle ${args[0]}`);
    }
  });

  it('create --on-demand makes an on-demand stream; --no-wait returns at once', async () => {
    const run = await streams('create', 'ondemand', '--on-demand', '--no-wait');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'Creating stream ondemand (on-demand)\n');
    const { StreamDescriptionSummary: s } = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'ondemand' }));
    assert.equal(s?.StreamModeDetails?.StreamMode, 'ON_DEMAND');
  });

  it('list shows every stream with status, mode and open shards, as text and as JSON', async () => {
    const text = await streams('list');
    assert.equal(text.code, 0, text.stderr);
    const rows = text.stdout.trimEnd().split('\n').map((line) => line.split(/\s{2,}/));
    assert.deepEqual(rows[0], ['NAME', 'STATUS', 'MODE', 'OPEN SHARDS']);
    assert.deepEqual(rows.find((row) => row[0] === 'lab'), ['lab', 'ACTIVE', 'PROVISIONED', '2']);
    const json = await streams('list', '--output', 'json');
    assert.equal(json.code, 0, json.stderr);
    const listed = JSON.parse(json.stdout) as { Streams: { StreamName: string; StreamARN: string; StreamStatus: string; StreamMode: string; OpenShardCount: number }[] };
    const lab = listed.Streams.find((s) => s.StreamName === 'lab')!;
    assert.deepEqual([lab.StreamStatus, lab.StreamMode, lab.OpenShardCount], ['ACTIVE', 'PROVISIONED', 2]);
    assert.match(lab.StreamARN, /^arn:aws:kinesis:us-east-1:\d{12}:stream\/lab$/);
    assert.equal(listed.Streams.find((s) => s.StreamName === 'ondemand')?.StreamMode, 'ON_DEMAND');
  });

  it('list follows ListStreams to its last page', async () => {
    for (let i = 0; i < 105; i++) await client.send(new CreateStreamCommand({ StreamName: `many-${String(i).padStart(3, '0')}`, ShardCount: 1 }));
    const run = await streams('list', '--output', 'json');
    assert.equal(run.code, 0, run.stderr);
    const names = (JSON.parse(run.stdout) as { Streams: { StreamName: string }[] }).Streams.map((s) => s.StreamName).filter((n) => n.startsWith('many-'));
    assert.equal(names.length, 105);
  });

  it('describe --output json gives the summary and every shard, parents and closed ones after a split', async () => {
    await client.send(new RegisterStreamConsumerCommand({ StreamARN: (await client.send(new DescribeStreamSummaryCommand({ StreamName: 'lab' }))).StreamDescriptionSummary!.StreamARN!, ConsumerName: 'app' }));
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: 'lab' }));
    const first = Shards[0]!;
    const middle = ((BigInt(first.HashKeyRange!.StartingHashKey!) + BigInt(first.HashKeyRange!.EndingHashKey!)) / 2n).toString();
    await client.send(new SplitShardCommand({ StreamName: 'lab', ShardToSplit: first.ShardId!, NewStartingHashKey: middle }));
    for (let i = 0; i < 100; i++) {
      if ((await client.send(new DescribeStreamSummaryCommand({ StreamName: 'lab' }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const run = await streams('describe', 'lab', '--output', 'json');
    assert.equal(run.code, 0, run.stderr);
    const description = JSON.parse(run.stdout) as { StreamDescriptionSummary: Record<string, unknown>; Shards: JsonShard[] };
    assert.equal(description.StreamDescriptionSummary.StreamName, 'lab');
    assert.equal(description.StreamDescriptionSummary.RetentionPeriodHours, 48);
    assert.equal(description.StreamDescriptionSummary.ConsumerCount, 1);
    assert.equal(description.StreamDescriptionSummary.EncryptionType, 'NONE');
    assert.equal(description.Shards.length, 4);
    const parent = description.Shards.find((s) => s.ShardId === first.ShardId)!;
    assert.ok(parent.SequenceNumberRange.EndingSequenceNumber, 'the split shard is closed');
    const children = description.Shards.filter((s) => s.ParentShardId === first.ShardId);
    assert.deepEqual(children.map((c) => [c.HashKeyRange.StartingHashKey, c.HashKeyRange.EndingHashKey]), [[first.HashKeyRange!.StartingHashKey, (BigInt(middle) - 1n).toString()], [middle, first.HashKeyRange!.EndingHashKey]]);
    // The open shards cover the whole hash key space, without gaps.
    const open = description.Shards.filter((s) => s.SequenceNumberRange.EndingSequenceNumber === undefined).sort((a, b) => (BigInt(a.HashKeyRange.StartingHashKey) < BigInt(b.HashKeyRange.StartingHashKey) ? -1 : 1));
    assert.equal(open[0]!.HashKeyRange.StartingHashKey, '0');
    assert.equal(open.at(-1)!.HashKeyRange.EndingHashKey, MAX_HASH_KEY);
    for (let i = 1; i < open.length; i++) assert.equal(BigInt(open[i]!.HashKeyRange.StartingHashKey), BigInt(open[i - 1]!.HashKeyRange.EndingHashKey) + 1n);
  });

  it('describe as text shows the settings and one row a shard: state, ranges, parents', async () => {
    const run = await streams('describe', 'lab');
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    for (const [label, value] of [['Stream', 'lab'], ['Status', 'ACTIVE'], ['Mode', 'PROVISIONED'], ['Retention', '48 hours'], ['Encryption', 'NONE'], ['Consumers', '1'], ['Shards', '3 open, 1 closed']]) {
      assert.ok(lines.some((line) => new RegExp(`^${label}:\\s+${value}$`).test(line)), `${label}: ${value} in\n${run.stdout}`);
    }
    const header = lines.findIndex((line) => line.startsWith('SHARD'));
    const rows = lines.slice(header + 1).filter(Boolean).map((line) => line.split(/\s{2,}/));
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.map((row) => row[1]), ['closed', 'open', 'open', 'open']);
    assert.deepEqual(rows.map((row) => row[4]), ['-', '-', 'shardId-000000000000', 'shardId-000000000000']);
    assert.match(rows[0]![3]!, /^\d+-\d+$/, 'a closed shard has an ending sequence number');
    assert.match(rows[1]![3]!, /^\d+-$/, 'an open one has none');
  });

  it('describe and delete take an ARN too', async () => {
    const arn = (await client.send(new DescribeStreamSummaryCommand({ StreamName: 'ondemand' }))).StreamDescriptionSummary!.StreamARN!;
    const described = await streams('describe', arn, '--output', 'json');
    assert.equal(described.code, 0, described.stderr);
    assert.equal((JSON.parse(described.stdout) as { StreamDescriptionSummary: { StreamName: string } }).StreamDescriptionSummary.StreamName, 'ondemand');
    const deleted = await streams('delete', arn);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, `Deleted stream ${arn}\n`);
    await assert.rejects(client.send(new DescribeStreamSummaryCommand({ StreamName: 'ondemand' })), { name: 'ResourceNotFoundException' });
  });

  it('delete --enforce-consumer-deletion deletes a stream with consumers, and waits until it is gone', async () => {
    const run = await streams('delete', 'lab', '--enforce-consumer-deletion');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'Deleted stream lab\n');
    const list = JSON.parse((await streams('list', '--output', 'json')).stdout) as { Streams: { StreamName: string }[] };
    assert.equal(list.Streams.some((s) => s.StreamName === 'lab'), false);
  });

  it('a stream that does not exist: exit 1 and AWS\'s ResourceNotFoundException message', async () => {
    for (const args of [['describe', 'missing'], ['delete', 'missing']]) {
      const run = await streams(...args);
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, /^riffle streams: \w+ missing: ResourceNotFoundException: Stream missing under account \d{12} not found\.$/m);
    }
  });

  it('creating a stream that exists: exit 1 and AWS\'s ResourceInUseException', async () => {
    await client.send(new CreateStreamCommand({ StreamName: 'taken', ShardCount: 1 }));
    const run = await streams('create', 'taken');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /ResourceInUseException: /);
  });

  it('a bad invocation: exit 2 and what is wrong (every case: streams-command.test.ts)', async () => {
    const run = await streams('create', 'x', '--shards', '0');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^riffle streams: --shards must be a whole number of at least 1, not "0"$/m);
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await cli(['streams', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /riffle streams create NAME/);
    assert.match(run.stdout, /--endpoint-url URL/);
  });
});
