import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import {
  CreateChannelCommand,
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeChannelCommand,
  DescribeStreamSummaryCommand,
  ListChannelsCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { killRiffle, kinesisClient, seededRandom, startRiffle, testSeed, type RiffleProcess } from '@riffle/testkit';

// A channel delivers its stream into <data-dir>/s3/<bucket>/ with AWS's default key layout; every record written
// after the channel is ACTIVE lands in exactly one object, across clean restarts and kill -9.

const account = '000000000000';
const StreamName = 'deliveries';
const ChannelName = 'to-my-bucket';
const POLL_MS = 100;
const MAX_POLLS = 300;
/** Buffering time for the test instead of DataFreshnessInSeconds (300 s at least on AWS). */
const serveArgs = ['--channel-freshness-ms', '200'];

async function objectFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? objectFiles(join(dir, entry.name)) : [join(dir, entry.name)])));
  return nested.flat();
}

describe('channels end to end: delivery into <data-dir>/s3/<bucket>/', () => {
  const seed = testSeed();
  const random = seededRandom(seed);
  let dataDir: string;
  let riffle: RiffleProcess | undefined;
  let client: KinesisClient;
  let channelId: string;
  let next = 0;
  const written = new Set<number>();

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'riffle-channels-'));
  });
  after(async () => {
    client?.destroy();
    if (riffle) await riffle.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const bucketDir = () => join(dataDir, 's3', 'my-bucket');

  async function start(): Promise<void> {
    client?.destroy();
    riffle = await startRiffle({ dataDir, args: serveArgs });
    client = kinesisClient(riffle.endpoint);
  }

  async function put(count: number): Promise<void> {
    const values = Array.from({ length: count }, () => next++);
    const res = await client.send(
      new PutRecordsCommand({
        StreamName,
        Records: values.map((n) => ({ Data: Buffer.from(JSON.stringify({ n })), PartitionKey: `key-${n % 7}` })),
      }),
    );
    assert.equal(res.FailedRecordCount ?? 0, 0);
    for (const n of values) written.add(n);
  }

  /** Every delivered record by value, with how often it was delivered. */
  async function delivered(): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (const file of await objectFiles(bucketDir())) {
      if (file.endsWith('.tmp')) continue;
      for (const line of gunzipSync(await readFile(file)).toString('utf8').split('\n')) {
        if (line === '') continue;
        const n = (JSON.parse(line) as { n: number }).n;
        counts.set(n, (counts.get(n) ?? 0) + 1);
      }
    }
    return counts;
  }

  /** Polls (bounded) until everything written is delivered, then checks that each record is there exactly once. */
  async function expectAllDeliveredOnce(label: string): Promise<void> {
    let counts = new Map<number, number>();
    for (let attempt = 0; attempt < MAX_POLLS; attempt++) {
      counts = await delivered();
      if ([...written].every((n) => counts.has(n))) break;
      await sleep(POLL_MS);
    }
    const missing = [...written].filter((n) => !counts.has(n));
    assert.deepEqual(missing, [], `${label}: every record delivered (seed ${seed})`);
    const repeated = [...counts].filter(([, times]) => times > 1).map(([n]) => n);
    assert.deepEqual(repeated, [], `${label}: no record delivered twice (seed ${seed})`);
    assert.deepEqual([...counts.keys()].filter((n) => !written.has(n)), [], `${label}: nothing else`);
  }

  it('creates an ON_DEMAND stream and a channel to arn:aws:s3:::my-bucket that becomes ACTIVE', async () => {
    await start();
    await client.send(new CreateStreamCommand({ StreamName, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    const { ChannelDescription } = await client.send(
      new CreateChannelCommand({
        ChannelName,
        ServiceExecutionRoleARN: `arn:aws:iam::${account}:role/channel-role`,
        StreamConfigurationList: [
          { StreamARN: `arn:aws:kinesis:us-east-1:${account}:stream/${StreamName}`, RecordConfiguration: { RecordFormatType: 'JSON' } },
        ],
        S3DestinationConfiguration: {
          StorageConfiguration: { BucketARN: 'arn:aws:s3:::my-bucket', ExpectedBucketOwner: account, CompressionType: 'GZIP' },
        },
      }),
    );
    assert.equal(ChannelDescription?.ChannelStatus, 'CREATING');
    assert.equal(ChannelDescription?.ChannelARN, `arn:aws:kinesis:us-east-1:${account}:channel/${ChannelDescription?.ChannelId}`);
    channelId = ChannelDescription!.ChannelId!;
    let status: string | undefined;
    for (let attempt = 0; attempt < MAX_POLLS && status !== 'ACTIVE'; attempt++) {
      status = (await client.send(new DescribeChannelCommand({ ChannelARN: ChannelDescription!.ChannelARN }))).ChannelDescription?.ChannelStatus;
      if (status !== 'ACTIVE') await sleep(POLL_MS);
    }
    assert.equal(status, 'ACTIVE');
    const listed = await client.send(new ListChannelsCommand({ StreamFilter: [{ StreamARN: ChannelDescription!.StreamConfigurationList![0]!.StreamARN }] }));
    assert.deepEqual(listed.ChannelSummaries?.map((summary) => summary.ChannelName), [ChannelName]);
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName }));
    assert.equal(summary.StreamDescriptionSummary?.ChannelCount, 1);
  });

  it('delivers every record once, under kinesis-channel/<name>/<id>/YYYY/MM/DD/HH/ of its arrival hour (UTC)', async () => {
    const before = new Date();
    await put(50);
    await put(50);
    const afterPut = new Date();
    await expectAllDeliveredOnce('first delivery');
    const hour = (d: Date) =>
      `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCHours()).padStart(2, '0')}`;
    for (const file of await objectFiles(bucketDir())) {
      const key = relative(bucketDir(), file);
      const match = new RegExp(
        `^kinesis-channel/${ChannelName}/${channelId}/(\\d{4}/\\d{2}/\\d{2}/\\d{2})/${ChannelName}-${channelId}-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f-]{36}\\.gz$`,
      ).exec(key);
      assert.ok(match, key);
      assert.ok([hour(before), hour(afterPut)].includes(match[1]!), `${key} is in the hour its records arrived`);
    }
  });

  it('keeps delivering across a clean restart (SIGTERM)', async () => {
    await put(30);
    await riffle!.stop();
    await start();
    await put(30);
    await expectAllDeliveredOnce('after SIGTERM');
  });

  it('keeps delivering across kill -9, records buffered or half written included', async () => {
    for (let round = 0; round < 4; round++) {
      await put(20 + random(40));
      // Killed while the records wait in the buffer or while their object is being written.
      await sleep(random(400));
      await killRiffle(riffle!);
      await start();
      await put(10);
    }
    await expectAllDeliveredOnce('after kill -9');
    const temporary = (await objectFiles(bucketDir())).filter((file) => file.endsWith('.tmp'));
    assert.deepEqual(temporary, [], 'no half-written object left behind');
  });

  it('refuses to delete the stream while the channel exists', async () => {
    await assert.rejects(client.send(new DeleteStreamCommand({ StreamName })), (error: Error) => {
      assert.equal(error.name, 'ResourceInUseException');
      assert.equal(
        error.message,
        `Stream ${StreamName} under account ${account} has channels attached to it. Delete its channels before deleting the stream.`,
      );
      return true;
    });
  });
});
