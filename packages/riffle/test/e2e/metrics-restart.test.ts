import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateStreamCommand, EnableEnhancedMonitoringCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { killRiffle, kinesisClient, metricSum, startRiffle, type RiffleProcess } from '@riffle/testkit';

const FLUSH_ARGS = ['--metrics-flush-ms', '100'];
const SHARD = 'shardId-000000000000';

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
    assert.equal(await metricSum(riffle.endpoint, 'AWS/Kinesis', 'IncomingRecords', { StreamName: 'kept' }), 7, 'after a clean restart');
    assert.equal(await metricSum(riffle.endpoint, 'AWS/Kinesis', 'IncomingRecords', { StreamName: 'kept', ShardId: SHARD }), 7, 'shard level too');
    assert.equal(await metricSum(riffle.endpoint, 'AWS/Kinesis', 'IncomingBytes', { StreamName: 'kept' }), 70);

    kinesis = kinesisClient(riffle.endpoint);
    const before = await journalText(dataDir);
    await put(3);
    kinesis.destroy();
    // Bounded wait for the next flush (every 100 ms) to append the new minute.
    for (let attempt = 0; attempt < 200 && (await journalText(dataDir)) === before; attempt++) await sleep(50);
    assert.notEqual(await journalText(dataDir), before, 'the flush appended the puts');
    await killRiffle(riffle);

    riffle = await startRiffle({ dataDir, args: FLUSH_ARGS });
    assert.equal(await metricSum(riffle.endpoint, 'AWS/Kinesis', 'IncomingRecords', { StreamName: 'kept' }), 10, 'after kill -9, the minute counted once');
    assert.equal(await metricSum(riffle.endpoint, 'AWS/Kinesis', 'PutRecords.Success', { StreamName: 'kept' }), 2);
  });
});
