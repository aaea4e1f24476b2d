import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateStreamCommand, EnableEnhancedMonitoringCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { cloudWatchClient, killRiffle, kinesisClient, startRiffle, type RiffleProcess } from '@riffle/testkit';

const FLUSH_ARGS = ['--metrics-flush-ms', '100'];
const SHARD = 'shardId-000000000000';

/** Sum of a metric's minutes around now, read through CloudWatch's GetMetricStatistics. */
async function sumOf(riffle: RiffleProcess, metric: string, dimensions: Record<string, string>): Promise<number> {
  const client = cloudWatchClient(riffle.endpoint);
  try {
    const now = Date.now();
    const answer = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/Kinesis',
        MetricName: metric,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
        StartTime: new Date(now - 60 * 60_000),
        EndTime: new Date(now + 5 * 60_000),
        Period: 3600,
        Statistics: ['Sum'],
      }),
    );
    return (answer.Datapoints ?? []).reduce((total, point) => total + (point.Sum ?? 0), 0);
  } finally {
    client.destroy();
  }
}

async function journalText(dataDir: string): Promise<string> {
  const directory = join(dataDir, 'metrics');
  const names = await readdir(directory).catch(() => [] as string[]);
  const texts = await Promise.all(names.map((name) => readFile(join(directory, name), 'utf8')));
  return texts.join('');
}

describe('metrics survive restarts', () => {
  let dataDir: string | undefined;
  let riffle: RiffleProcess | undefined;
  after(async () => {
    await riffle?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the minutes across a clean restart and, up to the last flush, across kill -9', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'riffle-metrics-restart-'));
    riffle = await startRiffle({ dataDir, args: FLUSH_ARGS });
    let kinesis = kinesisClient(riffle.endpoint);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'kept', ShardCount: 1 }));
    await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: 'kept', ShardLevelMetrics: ['IncomingRecords'] }));
    const put = (count: number) =>
      kinesis.send(new PutRecordsCommand({ StreamName: 'kept', Records: Array.from({ length: count }, (_, i) => ({ Data: Buffer.alloc(10), PartitionKey: `k${i}` })) }));
    await put(7);
    kinesis.destroy();
    await riffle.stop();

    riffle = await startRiffle({ dataDir, args: FLUSH_ARGS });
    assert.equal(await sumOf(riffle, 'IncomingRecords', { StreamName: 'kept' }), 7, 'after a clean restart');
    assert.equal(await sumOf(riffle, 'IncomingRecords', { StreamName: 'kept', ShardId: SHARD }), 7, 'shard level too');
    assert.equal(await sumOf(riffle, 'IncomingBytes', { StreamName: 'kept' }), 70);

    kinesis = kinesisClient(riffle.endpoint);
    const before = await journalText(dataDir);
    await put(3);
    kinesis.destroy();
    // Bounded wait for the next flush (every 100 ms) to append the new minute.
    for (let attempt = 0; attempt < 200 && (await journalText(dataDir)) === before; attempt++) await sleep(50);
    assert.notEqual(await journalText(dataDir), before, 'the flush appended the puts');
    await killRiffle(riffle);

    riffle = await startRiffle({ dataDir, args: FLUSH_ARGS });
    assert.equal(await sumOf(riffle, 'IncomingRecords', { StreamName: 'kept' }), 10, 'after kill -9, the minute counted once');
    assert.equal(await sumOf(riffle, 'PutRecords.Success', { StreamName: 'kept' }), 2);
  });
});
