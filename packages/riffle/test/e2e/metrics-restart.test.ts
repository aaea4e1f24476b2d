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

/**
 * IncomingRecords of the stream as the journal files hold it: the later line for a minute replaces the earlier (ids
 * are declared per file). Other series (Riffle's own request counters, say) are flushed too, at their own times.
 */
async function journaledIncomingRecords(dataDir: string): Promise<number> {
  const directory = join(dataDir, 'metrics');
  const names = (await readdir(directory).catch(() => [] as string[])).sort();
  const minutes = new Map<number, number>();
  for (const name of names) {
    const ids = new Map<number, boolean>();
    for (const text of (await readFile(join(directory, name), 'utf8')).split('\n')) {
      if (text.trim() === '') continue;
      const line = JSON.parse(text) as { d?: [number, string, string, Record<string, string>][]; p: [number, number, number, number][] };
      for (const [id, namespace, metric, dimensions] of line.d ?? []) {
        ids.set(id, namespace === 'AWS/Kinesis' && metric === 'IncomingRecords' && JSON.stringify(dimensions) === JSON.stringify({ StreamName: 'kept' }));
      }
      for (const [id, timestamp, , sum] of line.p) if (ids.get(id)) minutes.set(timestamp, sum);
    }
  }
  let total = 0;
  for (const sum of minutes.values()) total += sum;
  return total;
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
    assert.equal(await journaledIncomingRecords(dataDir), 7);
    await put(3);
    kinesis.destroy();
    // Bounded wait for the next flush (every 100 ms) to write the puts' minute.
    for (let attempt = 0; attempt < 200 && (await journaledIncomingRecords(dataDir)) !== 10; attempt++) await sleep(50);
    assert.equal(await journaledIncomingRecords(dataDir), 10, 'the flush wrote the puts');
    await killRiffle(riffle);

    riffle = await startRiffle({ dataDir, args: FLUSH_ARGS });
    assert.equal(await metricSum(riffle.endpoint, 'AWS/Kinesis', 'IncomingRecords', { StreamName: 'kept' }), 10, 'after kill -9, the minute counted once');
    assert.equal(await metricSum(riffle.endpoint, 'AWS/Kinesis', 'PutRecords.Success', { StreamName: 'kept' }), 2);
  });
});
