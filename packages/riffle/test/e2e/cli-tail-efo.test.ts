import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeregisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  PutRecordCommand,
  RegisterStreamConsumerCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { assertOrderPerKey, createActiveStream, jsonLines, splitInHalf as splitShardInHalf } from './tail-test-support.js';
import { envWithoutEndpoints, kinesisClient, runRiffleCommand, startRiffle, startRiffleCommand, type RiffleProcess } from '@riffle/testkit';

// `riffle tail --consumer NAME`: the same records as the polling mode, read through enhanced fan-out. Each case
// has a consumer of its own, since a consumer's second subscription to a shard within 5 s is refused.

const cleanEnv = envWithoutEndpoints();
const start = (args: readonly string[]) => startRiffleCommand(args, { env: cleanEnv });
const run = (args: readonly string[], input?: string) => runRiffleCommand(args, { env: cleanEnv, ...(input !== undefined ? { input } : {}) });

let riffle: RiffleProcess;
let client: KinesisClient;
let streamCount = 0;
const tail = (stream: string, ...args: string[]) => ['tail', stream, '--endpoint-url', riffle.endpoint, ...args];
const put = (stream: string, ...args: string[]) => ['put', stream, '--endpoint-url', riffle.endpoint, ...args];
const createStream = (shards = 1) => createActiveStream(client, `tail-efo-${++streamCount}`, shards);
const splitInHalf = (stream: string, shardId: string) => splitShardInHalf(client, stream, shardId);
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

/** The consumer's status, or undefined when it is not registered. */
async function consumerStatus(stream: string, consumer: string): Promise<string | undefined> {
  try {
    const { ConsumerDescription } = await client.send(new DescribeStreamConsumerCommand({ StreamARN: streamArn(stream), ConsumerName: consumer }));
    return ConsumerDescription!.ConsumerStatus;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

describe('riffle tail --consumer (enhanced fan-out)', () => {
  before(async () => {
    riffle = await startRiffle({ args: ['--store', 'memory'] });
    client = kinesisClient(riffle.endpoint);
  });
  after(async () => {
    client.destroy();
    await riffle.stop();
  });

  it('registers a consumer that is not registered, prints records put after it started, and leaves the consumer registered', async () => {
    const stream = await createStream(2);
    assert.equal((await run(put(stream, 'early'))).code, 0);
    assert.equal(await consumerStatus(stream, 'live'), undefined);
    const following = start(tail(stream, '--consumer', 'live', '--max-records', '1', '--verbose'));
    await following.waitFor((_, stderr) => (stderr.match(/reading shardId/g) ?? []).length === 2);
    // Its LATEST subscriptions are made just after that line: put until one record shows (a bounded number of tries).
    for (let attempt = 0; attempt < 100 && following.child.exitCode === null && following.stdout() === ''; attempt++) {
      await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: `late-${attempt}`, Data: Buffer.from(`late-${attempt}`) }));
      await Promise.race([following.exited, new Promise((r) => setTimeout(r, 100))]);
    }
    assert.equal(await following.exited, 0, following.stderr());
    assert.match(following.stdout(), /^late-\d+\n$/);
    assert.match(following.stderr(), /riffle tail: registered consumer live \(arn:aws:kinesis:us-east-1:000000000000:stream\/tail-efo-\d+\/consumer\/live:\d+\)/);
    assert.match(following.stderr(), /riffle tail: consumer live stays registered .*aws kinesis deregister-stream-consumer --consumer-arn arn:\S+ --endpoint-url http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(await consumerStatus(stream, 'live'), 'ACTIVE');
  });

  it('--from trim-horizon --no-follow prints every record once, the json the same as the polling mode\'s; --deregister removes the consumer', async () => {
    const stream = await createStream(2);
    assert.equal((await run(put(stream, '--partition-key', 'k1', 'hello', 'wörld\ttab'))).code, 0);
    assert.equal((await run(put(stream, '--partition-key', 'key 2', '--hex', '6100ff0a'))).code, 0);
    assert.equal((await run(put(stream, '--partition-key', 'k3', 'third'))).code, 0);
    const polled = await run(tail(stream, '--from', 'trim-horizon', '--no-follow', '--format', 'json'));
    assert.equal(polled.code, 0, polled.stderr);
    assert.equal(jsonLines(polled.stdout).length, 4);

    const pushed = await run(tail(stream, '--from', 'trim-horizon', '--no-follow', '--format', 'json', '--consumer', 'once', '--deregister'));
    assert.equal(pushed.code, 0, pushed.stderr);
    // Shards are read side by side: the lines of different shards may interleave differently.
    const sorted = (stdout: string) => stdout.trimEnd().split('\n').sort();
    assert.deepEqual(sorted(pushed.stdout), sorted(polled.stdout));
    assert.deepEqual(Object.keys(JSON.parse(pushed.stdout.split('\n')[0]!)), ['shardId', 'sequenceNumber', 'partitionKey', 'approximateArrivalTimestamp', 'data', 'encoding']);
    assert.match(pushed.stderr, /riffle tail: deregistered consumer once/);
    assert.doesNotMatch(pushed.stderr, /stays registered/);
    assert.equal(await consumerStatus(stream, 'once'), undefined);
  });

  it('--no-follow across a split: every record once, the parent\'s before the children\'s for each key', async () => {
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
    const result = await run(tail(stream, '-a', '--no-follow', '--format', 'json', '--consumer', 'split-reader', '--deregister'));
    assert.equal(result.code, 0, result.stderr);
    const records = jsonLines(result.stdout).map((r) => ({ ...r, data: (JSON.parse(r.data) as { d: string }).d }));
    assert.equal(records.length, 60);
    assert.equal(new Set(records.map((r) => r.sequenceNumber)).size, 60, 'each record once');
    assert.equal(new Set(records.map((r) => r.shardId)).size, 3, 'the parent and both children were read');
    assertOrderPerKey(records, ['parent', 'child']);
  });

  it('following, it goes on into the children that the parent\'s last event names, when the split comes while it runs', async () => {
    const stream = await createStream(1);
    const following = start(tail(stream, '-a', '--format', 'json', '--max-records', '40', '--verbose', '--consumer', 'follower', '--deregister'));
    await following.waitFor((_, stderr) => stderr.includes('reading shardId-000000000000'));
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
    assert.equal(await consumerStatus(stream, 'follower'), undefined);
  });

  it('with a consumer registered already: Ctrl-C ends it with exit 0, and the consumer is left as it was', async () => {
    const stream = await createStream(1);
    await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(stream), ConsumerName: 'mine' }));
    assert.equal((await run(put(stream, 'one', 'two'))).code, 0);
    const following = start(tail(stream, '-a', '--consumer', 'mine'));
    await following.waitFor((stdout) => stdout.split('\n').length === 3);
    following.child.kill('SIGINT');
    assert.equal(await following.exited, 0);
    assert.equal(following.stdout(), 'one\ntwo\n');
    assert.match(following.stderr(), /riffle tail: stopped after 2 records/);
    assert.doesNotMatch(following.stderr(), /registered consumer|stays registered/);
    assert.equal(await consumerStatus(stream, 'mine'), 'ACTIVE');
  });

  it('output into a pipe closed early (| head) ends it quietly with 0, after --deregister has removed the consumer', async () => {
    const stream = await createStream(1);
    assert.equal((await run(put(stream, '--partition-key', 'k', 'one', 'two', 'three'))).code, 0);
    // Following from the trim horizon, it would never end by itself: the closed pipe must end it, and end it cleanly.
    const following = start(tail(stream, '-a', '--consumer', 'piped', '--deregister'));
    following.child.stdout!.destroy();
    assert.equal(await following.exited, 0, following.stderr());
    assert.doesNotMatch(following.stderr(), /EPIPE|at /);
    assert.match(following.stderr(), /riffle tail: deregistered consumer piped/);
    assert.notEqual(await consumerStatus(stream, 'piped'), 'ACTIVE');
  });

  it('a consumer deregistered while it follows: a clear message and exit 1', async () => {
    const stream = await createStream(1);
    const registered = await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(stream), ConsumerName: 'doomed' }));
    const following = start(tail(stream, '--consumer', 'doomed', '--verbose'));
    await following.waitFor((_, stderr) => stderr.includes('reading shardId-000000000000'));
    await client.send(new DeregisterStreamConsumerCommand({ ConsumerARN: registered.Consumer!.ConsumerARN! }));
    // The subscription sees it at its next step: a record put wakes it.
    for (let attempt = 0; attempt < 100 && following.child.exitCode === null; attempt++) {
      await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: Buffer.from(`r${attempt}`) }));
      await Promise.race([following.exited, new Promise((r) => setTimeout(r, 100))]);
    }
    assert.equal(await following.exited, 1, following.stderr());
    assert.match(following.stderr(), /riffle tail: consumer doomed was deregistered/);
  });

  it('a stream that does not exist: exit 1 with AWS\'s message, and nothing registered', async () => {
    const result = await run(tail('no-such-stream', '--consumer', 'c', '--no-follow'));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ResourceNotFoundException: Stream no-such-stream under account \d{12} not found\./);
    assert.doesNotMatch(result.stderr, /registered consumer/);
  });
});
