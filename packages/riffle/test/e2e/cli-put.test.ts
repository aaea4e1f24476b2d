import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, ListShardsCommand, type _Record, type KinesisClient } from '@aws-sdk/client-kinesis';
import { envWithoutEndpoints, kinesisClient, readShard, riffleMain, runRiffleCommand, startRiffle, type RiffleProcess } from '@riffle/testkit';

const cleanEnv = envWithoutEndpoints();
/** The real `riffle` process; stdin gets `input` and is closed. */
const cli = (args: readonly string[], input?: string | Buffer) => runRiffleCommand(args, { env: cleanEnv, ...(input !== undefined ? { input } : {}), killAfterMs: 30_000 });

let riffle: RiffleProcess;
let client: KinesisClient;
let tmp: string;
let streamCount = 0;

async function createStream(shards: number): Promise<string> {
  const name = `put-${++streamCount}`;
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (let i = 0; i < 100; i++) {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return name;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not become ACTIVE`);
}

/** Every record of every shard, by shard id. */
async function recordsByShard(stream: string): Promise<Map<string, _Record[]>> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const byShard = new Map<string, _Record[]>();
  for (const shard of Shards) byShard.set(shard.ShardId!, await readShard(client, stream, shard.ShardId!));
  return byShard;
}
const allRecords = async (stream: string) => [...(await recordsByShard(stream)).values()].flat();
const text = (record: _Record) => Buffer.from(record.Data!).toString('utf8');
const put = (stream: string, ...args: string[]) => ['put', stream, '--endpoint-url', riffle.endpoint, ...args];

describe('riffle put', () => {
  before(async () => {
    riffle = await startRiffle({ args: ['--store', 'memory'] });
    client = kinesisClient(riffle.endpoint);
    tmp = mkdtempSync(join(tmpdir(), 'riffle-cli-put-'));
  });
  after(async () => {
    client.destroy();
    await riffle.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('puts one record per argument and says how many', async () => {
    const stream = await createStream(1);
    const run = await cli(put(stream, 'hello', 'big world', '--partition-key', 'k'));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `Put 2 records to ${stream}\n`);
    assert.deepEqual((await allRecords(stream)).map((r) => [text(r), r.PartitionKey]), [['hello', 'k'], ['big world', 'k']]);
  });

  it('--output json prints each record\'s ShardId and SequenceNumber, one object a line, in input order', async () => {
    const stream = await createStream(2);
    const run = await cli(put(stream, 'a', 'b', 'c', '--output', 'json'));
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { ShardId: string; SequenceNumber: string });
    assert.equal(lines.length, 3);
    const stored = await recordsByShard(stream);
    for (const [index, line] of lines.entries()) {
      assert.deepEqual(Object.keys(line), ['ShardId', 'SequenceNumber']);
      const record = stored.get(line.ShardId)!.find((r) => r.SequenceNumber === line.SequenceNumber);
      assert.equal(record && text(record), ['a', 'b', 'c'][index]);
    }
  });

  it('reads files one record a line: \\n and \\r\\n stripped, empty lines skipped, files in order', async () => {
    const stream = await createStream(1);
    const first = join(tmp, 'first.txt');
    const second = join(tmp, 'second.txt');
    writeFileSync(first, 'one\r\ntwo\n\n\nthree');
    writeFileSync(second, 'four\n');
    const run = await cli(put(stream, '--file', first, '--file', second, '--partition-key', 'k'));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((await allRecords(stream)).map(text), ['one', 'two', 'three', 'four']);
  });

  it('--whole-file puts each file as one record, every byte value intact', async () => {
    const stream = await createStream(1);
    const binary = join(tmp, 'all-bytes.bin');
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    writeFileSync(binary, bytes);
    const run = await cli(put(stream, '--whole-file', '--file', binary));
    assert.equal(run.code, 0, run.stderr);
    const records = await allRecords(stream);
    assert.equal(records.length, 1);
    assert.deepEqual(Buffer.from(records[0]!.Data!), bytes);
  });

  it('--base64 and --hex put the decoded bytes', async () => {
    const stream = await createStream(1);
    assert.equal((await cli(put(stream, '--base64', '--partition-key', 'k', Buffer.from([0, 0xff, 0x10]).toString('base64')))).code, 0);
    assert.equal((await cli(put(stream, '--hex', '--partition-key', 'k', 'c3a9fe'))).code, 0);
    const records = await allRecords(stream);
    assert.deepEqual(records.map((r) => Buffer.from(r.Data!).toString('hex')), ['00ff10', 'c3a9fe']);
  });

  it('streams thousands of piped lines: all arrive, each key\'s records in order', async () => {
    const stream = await createStream(4);
    const keys = ['engine', 'pump', 'valve', 'fan', 'belt'];
    const lines = Array.from({ length: 6000 }, (_, n) => JSON.stringify({ componentName: keys[n % keys.length], n }));
    const run = await cli(put(stream, '--partition-key-field', 'componentName'), `${lines.join('\n')}\n`);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `Put 6000 records to ${stream}\n`);
    const byShard = await recordsByShard(stream);
    const records = [...byShard.values()].flat();
    assert.equal(records.length, 6000);
    for (const key of keys) {
      const ns = records.filter((r) => r.PartitionKey === key).map((r) => (JSON.parse(text(r)) as { n: number }).n);
      assert.deepEqual(ns, lines.map((_, n) => n).filter((n) => n % keys.length === keys.indexOf(key)), `${key}'s records in order`);
    }
  });

  it('streams an input far larger than its heap: 150,000 piped lines through a 64 MB heap all arrive', async () => {
    // Every record read stays in memory only until its batch is answered; holding them would run out of heap here.
    const stream = await createStream(2);
    const padding = 'x'.repeat(100);
    const input = Array.from({ length: 150_000 }, (_, n) => `{"n":${n},"padding":"${padding}"}\n`).join('');
    const run = await runRiffleCommand(put(stream, '--partition-key', 'k'), { env: { ...cleanEnv, NODE_OPTIONS: '--max-old-space-size=64' }, input, killAfterMs: 120_000 });
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    assert.equal(run.stdout, `Put 150000 records to ${stream}\n`);
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    const shards = (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards!;
    let count = 0;
    for (const shard of shards) count += (await readShard(client, stream, shard.ShardId!)).length;
    assert.equal(count, 150_000, `every record stored (${StreamDescriptionSummary?.StreamName})`);
  });

  it('with random keys sends several calls at once, yet --output json answers every record in input order', async () => {
    const stream = await createStream(4);
    const lines = Array.from({ length: 6000 }, (_, n) => `r-${n}`);
    const run = await cli(put(stream, '--output', 'json'), `${lines.join('\n')}\n`);
    assert.equal(run.code, 0, run.stderr);
    const answers = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { ShardId: string; SequenceNumber: string });
    assert.equal(answers.length, lines.length);
    const dataBySequence = new Map((await allRecords(stream)).map((r) => [r.SequenceNumber!, text(r)]));
    assert.equal(dataBySequence.size, lines.length, 'every record stored once');
    assert.deepEqual(answers.map((a) => dataBySequence.get(a.SequenceNumber)), lines, 'the n-th answer is the n-th line\'s');
  });

  it('sends piped lines as they come, before stdin ends (a partial batch waits only briefly)', async () => {
    const stream = await createStream(1);
    const child = spawn(process.execPath, [riffleMain, ...put(stream, '--partition-key', 'k')], { env: cleanEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => (clearTimeout(killer), resolve(code))));
    child.stdin.write('first\nsecond\n');
    let seen: string[] = [];
    for (let i = 0; i < 200 && seen.length < 2 && child.exitCode === null; i++) {
      seen = (await allRecords(stream)).map(text);
      if (seen.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(seen, ['first', 'second'], 'both lines are in the stream while stdin is still open');
    child.stdin.end('third\n');
    assert.equal(await exited, 0);
    assert.equal(stdout, `Put 3 records to ${stream}\n`);
    assert.deepEqual((await allRecords(stream)).map(text), ['first', 'second', 'third']);
  });

  it('a batch that fails as a whole ends the put at once, without waiting for stdin to end', async () => {
    const stream = await createStream(1);
    const child = spawn(process.execPath, [riffleMain, ...put(stream, '--partition-key', 'k')], { env: cleanEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => (clearTimeout(killer), resolve(code))));
    child.stdin.on('error', () => undefined);
    child.stdin.write('first\n');
    let seen: string[] = [];
    for (let i = 0; i < 200 && seen.length < 1 && child.exitCode === null; i++) {
      seen = (await allRecords(stream)).map(text);
      if (seen.length < 1) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(seen, ['first']);
    await client.send(new DeleteStreamCommand({ StreamName: stream }));
    for (let i = 0; i < 100; i++) {
      const gone = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream })).then(() => false, () => true);
      if (gone) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // stdin stays open, as with `tail -f log | riffle put`: the failed batch alone must end the put.
    child.stdin.write('second\n');
    assert.equal(await exited, 1, stderr);
    assert.match(stderr, /^riffle put: put to put-\d+: ResourceNotFoundException: .* \(1 records were put before\)\n$/);
  });

  it('without a key option gives each record a random key, spreading them over the shards', async () => {
    const stream = await createStream(4);
    const run = await cli(put(stream), Array.from({ length: 200 }, (_, n) => `r${n}`).join('\n'));
    assert.equal(run.code, 0, run.stderr);
    const byShard = await recordsByShard(stream);
    assert.equal([...byShard.values()].flat().length, 200);
    assert.equal(new Set([...byShard.values()].flat().map((r) => r.PartitionKey)).size, 200);
    for (const [shardId, records] of byShard) assert.ok(records.length > 0, `${shardId} got records`);
  });

  it('a fixed --partition-key sends every record to one shard', async () => {
    const stream = await createStream(4);
    const run = await cli(put(stream, '--partition-key', 'same'), Array.from({ length: 50 }, (_, n) => `r${n}`).join('\n'));
    assert.equal(run.code, 0, run.stderr);
    const used = [...(await recordsByShard(stream)).entries()].filter(([, records]) => records.length > 0);
    assert.equal(used.length, 1);
    assert.equal(used[0]![1].length, 50);
  });

  it('--explicit-hash-key sends every record to the shard owning that hash key', async () => {
    const stream = await createStream(4);
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
    const third = Shards[2]!;
    const hashKey = (BigInt(third.HashKeyRange!.StartingHashKey!) + 5n).toString();
    const run = await cli(put(stream, '--explicit-hash-key', hashKey, '--output', 'json', 'x', 'y'));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { ShardId: string }).ShardId), [third.ShardId, third.ShardId]);
    assert.deepEqual((await recordsByShard(stream)).get(third.ShardId!)!.map(text), ['x', 'y']);
  });

  it('refuses a record over the stream\'s size limit, naming its line; the lines before it are put', async () => {
    const stream = await createStream(1);
    const run = await cli(put(stream, '--partition-key', 'k'), `small\n${'x'.repeat(1024 * 1024)}\nafter\n`);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /riffle put: line 2 of stdin: the record is 1048577 bytes with its partition key, over the stream's limit of 1048576 bytes/);
    assert.deepEqual((await allRecords(stream)).map(text), ['small']);
  });

  it('a field key missing from a line is an error naming the line', async () => {
    const stream = await createStream(1);
    const run = await cli(put(stream, '--partition-key-field', 'id'), '{"id":"a"}\n{"name":"b"}\n');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /line 2 of stdin: has no field "id" for the partition key/);
  });

  it('a stream that does not exist: exit 1 with AWS\'s message, before reading any input', async () => {
    const run = await cli(put('no-such-stream', 'x'));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /ResourceNotFoundException: Stream no-such-stream under account \d+ not found\./);
  });

  it('refuses a bad invocation with exit 2 (every case: put-command.test.ts)', async () => {
    const run = await cli(put('s', '--base64', '--hex', 'x'));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^riffle put: --base64 and --hex exclude each other$/m);
  });
});

describe('riffle put against throttling', () => {
  let faulty: RiffleProcess;
  let faultyClient: KinesisClient;
  before(async () => {
    faulty = await startRiffle({ args: ['--store', 'memory', '--fault-injection', 'PutRecords:throttle=0.2', '--fault-seed', '7'] });
    faultyClient = kinesisClient(faulty.endpoint);
  });
  after(async () => {
    faultyClient.destroy();
    await faulty.stop();
  });

  const stream = async () => {
    await faultyClient.send(new CreateStreamCommand({ StreamName: 'throttled', ShardCount: 2 }));
    return 'throttled';
  };

  it('retries only the throttled entries: every record arrives exactly once', async () => {
    const name = await stream();
    const run = await cli(['put', name, '--endpoint-url', faulty.endpoint], Array.from({ length: 150 }, (_, n) => `t${n}`).join('\n'));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `Put 150 records to ${name}\n`);
    const { Shards = [] } = await faultyClient.send(new ListShardsCommand({ StreamName: name }));
    const stored: string[] = [];
    for (const shard of Shards) stored.push(...(await readShard(faultyClient, name, shard.ShardId!)).map(text));
    assert.deepEqual(stored.sort(), Array.from({ length: 150 }, (_, n) => `t${n}`).sort());
  });

  it('reports records that still fail after --max-attempts, and exits 1', async () => {
    const run = await cli(['put', 'throttled', '--endpoint-url', faulty.endpoint, '--max-attempts', '1', '--output', 'json'], Array.from({ length: 100 }, (_, n) => `f${n}`).join('\n'));
    assert.equal(run.code, 1);
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { ErrorCode?: string });
    assert.equal(lines.length, 100);
    const failures = lines.filter((line) => line.ErrorCode === 'ProvisionedThroughputExceededException').length;
    assert.ok(failures > 0 && failures < 100, `some of the 100 failed: ${failures}`);
    assert.match(run.stderr, new RegExp(`riffle put: Put ${100 - failures} of 100 records to throttled; ${failures} failed`));
    assert.match(run.stderr, /line \d+ of stdin failed: ProvisionedThroughputExceededException/);
  });
});
