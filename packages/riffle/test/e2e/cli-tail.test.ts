import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteStreamCommand,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  type _Record,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { assertOrderPerKey, createActiveStream, jsonLines, splitInHalf as splitShardInHalf, untilActive as untilActiveStream } from './tail-test-support.js';
import { envWithoutEndpoints, kinesisClient, readShard, runRiffleCommand, startRiffle, startRiffleCommand, type RiffleProcess } from '@riffle/testkit';

const cleanEnv = envWithoutEndpoints();

/** A running `riffle` process: its output so far, a bounded wait for some of it, and its exit. */
const start = (args: readonly string[], input?: string) => startRiffleCommand(args, { env: cleanEnv, ...(input !== undefined ? { input } : {}) });
const run = (args: readonly string[], input?: string) => runRiffleCommand(args, { env: cleanEnv, ...(input !== undefined ? { input } : {}) });

let riffle: RiffleProcess;
let client: KinesisClient;
let streamCount = 0;
const tail = (stream: string, ...args: string[]) => ['tail', stream, '--endpoint-url', riffle.endpoint, ...args];
const put = (stream: string, ...args: string[]) => ['put', stream, '--endpoint-url', riffle.endpoint, ...args];
const untilActive = (name: string) => untilActiveStream(client, name);
const createStream = (shards = 1) => createActiveStream(client, `tail-${++streamCount}`, shards);
const splitInHalf = (stream: string, shardId: string) => splitShardInHalf(client, stream, shardId);

async function shardRecords(stream: string): Promise<_Record[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const records: _Record[] = [];
  for (const shard of Shards) records.push(...(await readShard(client, stream, shard.ShardId!)));
  return records;
}

describe('riffle tail', () => {
  before(async () => {
    riffle = await startRiffle({ args: ['--store', 'memory'] });
    client = kinesisClient(riffle.endpoint);
  });
  after(async () => {
    client.destroy();
    await riffle.stop();
  });

  describe('sees what riffle put wrote, in each format', () => {
    let stream: string;
    let stored: _Record[];
    before(async () => {
      stream = await createStream();
      const putRun = await run(put(stream, '--partition-key', 'k1', 'hello', 'wörld\ttab'));
      assert.equal(putRun.code, 0, putRun.stderr);
      const binary = await run(put(stream, '--partition-key', 'key 2', '--hex', '6100ff0a'));
      assert.equal(binary.code, 0, binary.stderr);
      stored = await shardRecords(stream);
      assert.equal(stored.length, 3);
    });

    it('text: one line a record, UTF-8 as it is, other bytes as \\xNN', async () => {
      const result = await run(tail(stream, '--from', 'trim-horizon', '--no-follow'));
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'hello\nwörld\ttab\na\\x00\\xff\\x0a\n');
    });

    it('json: one object a line, data as text when UTF-8, else base64', async () => {
      const result = await run(tail(stream, '-a', '--no-follow', '--format', 'json'));
      assert.equal(result.code, 0, result.stderr);
      const expected = stored.map((r, index) =>
        JSON.stringify({
          shardId: 'shardId-000000000000',
          sequenceNumber: r.SequenceNumber,
          partitionKey: r.PartitionKey,
          approximateArrivalTimestamp: r.ApproximateArrivalTimestamp!.toISOString(),
          data: ['hello', 'wörld\ttab', 'YQD/Cg=='][index],
          encoding: index === 2 ? 'base64' : 'utf-8',
        }),
      );
      assert.equal(result.stdout, `${expected.join('\n')}\n`);
    });

    it('hex: a header a record, then hexdump -C lines', async () => {
      const result = await run(tail(stream, '-a', '--no-follow', '--format', 'hex'));
      assert.equal(result.code, 0, result.stderr);
      const [hello, world, binary] = stored.map((r) => `shardId-000000000000 ${r.SequenceNumber}`);
      assert.equal(
        result.stdout,
        [
          `${hello} key "k1" 5 bytes`,
          '00000000  68 65 6c 6c 6f                                    |hello|',
          `${world} key "k1" 10 bytes`,
          '00000000  77 c3 b6 72 6c 64 09 74  61 62                    |w..rld.tab|',
          `${binary} key "key 2" 4 bytes`,
          '00000000  61 00 ff 0a                                       |a...|',
          '',
        ].join('\n'),
      );
    });

    it('--max-records N stops after N records', async () => {
      const result = await run(tail(stream, '-a', '--max-records', '2'));
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'hello\nwörld\ttab\n');
    });

    it('--timestamp starts at the first record that arrived at or after it', async () => {
      const first = stored[0]!.ApproximateArrivalTimestamp!.getTime();
      // Records arrive in the same millisecond at times; wait (bounded) so that the next one is strictly later.
      for (let i = 0; i < 100 && Date.now() <= first + 2; i++) await new Promise((r) => setTimeout(r, 5));
      await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k3', Data: Buffer.from('later') }));
      const later = (await shardRecords(stream)).at(-1)!;
      const at = later.ApproximateArrivalTimestamp!;
      assert.ok(at.getTime() > first);
      // ISO 8601 here; epoch seconds are parsed to the same Date (start-position.test.ts).
      const result = await run(tail(stream, '--timestamp', at.toISOString(), '--no-follow'));
      assert.equal(result.code, 0, result.stderr);
      const expected = (await shardRecords(stream)).filter((r) => r.ApproximateArrivalTimestamp!.getTime() >= at.getTime()).map((r) => Buffer.from(r.Data!).toString());
      assert.ok(expected.includes('later') && !expected.includes('hello'));
      assert.equal(result.stdout, `${expected.join('\n')}\n`);
    });
  });

  it('from LATEST (the default) prints records put after it started, not the ones before', async () => {
    const stream = await createStream(2);
    assert.equal((await run(put(stream, 'early'))).code, 0);
    const following = start(tail(stream, '--max-records', '1', '--verbose'));
    await following.waitFor((_, stderr) => (stderr.match(/reading shardId/g) ?? []).length === 2);
    // Its LATEST iterators are asked for just after that line: put until one record shows (a bounded number of tries).
    for (let attempt = 0; attempt < 100 && following.child.exitCode === null && following.stdout() === ''; attempt++) {
      await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: `late-${attempt}`, Data: Buffer.from(`late-${attempt}`) }));
      await Promise.race([following.exited, new Promise((r) => setTimeout(r, 100))]);
    }
    assert.equal(await following.exited, 0, following.stderr());
    assert.match(following.stdout(), /^late-\d+\n$/);
  });

  it('--no-follow reads across a split and a merge: every record once, parents before children for each key', async () => {
    const stream = await createStream(1);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const putPhase = async (phase: string) => {
      const lines = Array.from({ length: 30 }, (_, n) => JSON.stringify({ key: keys[n % keys.length], d: `${phase}-${keys[n % keys.length]}-${n}` }));
      const result = await run(put(stream, '--partition-key-field', 'key'), lines.join('\n'));
      assert.equal(result.code, 0, result.stderr);
    };
    await putPhase('parent');
    await splitInHalf(stream, 'shardId-000000000000');
    await putPhase('child');
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
    const children = Shards.filter((s) => s.ParentShardId === 'shardId-000000000000').map((s) => s.ShardId!);
    assert.equal(children.length, 2);
    await client.send(new MergeShardsCommand({ StreamName: stream, ShardToMerge: children[0]!, AdjacentShardToMerge: children[1]! }));
    await untilActive(stream);
    await putPhase('merged');

    const result = await run(tail(stream, '--from', 'trim-horizon', '--no-follow', '--format', 'json'));
    assert.equal(result.code, 0, result.stderr);
    const records = jsonLines(result.stdout).map((r) => ({ ...r, data: (JSON.parse(r.data) as { d: string }).d }));
    assert.equal(records.length, 90);
    assert.equal(new Set(records.map((r) => r.sequenceNumber)).size, 90, 'each record once');
    assert.equal(new Set(records.map((r) => r.shardId)).size, 4, 'the parent, both children and the merged shard were read');
    assertOrderPerKey(records, ['parent', 'child', 'merged']);
  });

  it('following, it goes on into the children of a split made while it runs', async () => {
    const stream = await createStream(1);
    const following = start(tail(stream, '-a', '--format', 'json', '--max-records', '40', '--verbose'));
    await following.waitFor((_, stderr) => stderr.includes('reading shardId-000000000000'));
    // Put with the SDK here (riffle put's part across a split is the test above), in order, one key's records after another's.
    const putPhase = async (phase: string) => {
      for (let n = 0; n < 20; n++) await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: `k${n % 4}`, Data: Buffer.from(JSON.stringify({ d: `${phase}-k${n % 4}-${n}` })) }));
    };
    await putPhase('parent');
    await splitInHalf(stream, 'shardId-000000000000');
    await putPhase('child');
    assert.equal(await following.exited, 0, following.stderr());
    const records = jsonLines(following.stdout()).map((r) => ({ ...r, data: (JSON.parse(r.data) as { d: string }).d }));
    assert.equal(records.length, 40);
    assert.equal(new Set(records.map((r) => r.sequenceNumber)).size, 40);
    assertOrderPerKey(records, ['parent', 'child']);
    assert.match(following.stderr(), /shardId-000000000000 read to its end/);
  });

  it('a stream deleted while it follows: a clear message and exit 1', async () => {
    const stream = await createStream(1);
    const following = start(tail(stream, '--verbose'));
    await following.waitFor((_, stderr) => stderr.includes('reading shardId-000000000000'));
    await client.send(new DeleteStreamCommand({ StreamName: stream }));
    assert.equal(await following.exited, 1);
    assert.match(following.stderr(), new RegExp(`riffle tail: stream ${stream} was deleted`));
  });

  it('Ctrl-C stops it cleanly: exit 0 and how many records it printed', async () => {
    const stream = await createStream(1);
    assert.equal((await run(put(stream, 'one', 'two'))).code, 0);
    const following = start(tail(stream, '-a'));
    await following.waitFor((stdout) => stdout.split('\n').length === 3);
    following.child.kill('SIGINT');
    assert.equal(await following.exited, 0);
    assert.match(following.stderr(), /riffle tail: stopped after 2 records/);
  });

  it('a stream that does not exist: exit 1 with AWS\'s message', async () => {
    const result = await run(tail('no-such-stream', '--no-follow'));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ResourceNotFoundException: Stream no-such-stream under account \d{12} not found\./);
  });

  it('a bad invocation: exit 2 (every case: tail-command.test.ts)', async () => {
    const result = await run(tail('s', '--format', 'xml'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^riffle tail: --format must be text, json or hex, not "xml"$/m);
  });
});
