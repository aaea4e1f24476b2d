import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateStreamCommand,
  DescribeLimitsCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  LimitExceededException,
  ProvisionedThroughputExceededException,
  PutRecordsCommand,
  type KinesisClient,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, startRiffle, type RiffleProcess } from '@riffle/testkit';

const RECORDS = 1000;
const RECORD_BYTES = 4096;

/** Record i: its index in the first bytes, so that what is read back can be checked one by one. */
function record(i: number): PutRecordsRequestEntry {
  const data = Buffer.alloc(RECORD_BYTES, i % 251);
  data.writeUInt32BE(i, 0);
  return { PartitionKey: 'one-shard', Data: data };
}

interface Delivery {
  calls: number;
  throttled: number;
}

/**
 * A producer writing as fast as it can: PutRecords of 500, and only the entries that failed sent again, after a
 * backoff that grows while calls keep failing. Bounded: a server that never takes them all fails the test.
 */
async function produce(client: KinesisClient, StreamName: string): Promise<Delivery> {
  let pending = Array.from({ length: RECORDS }, (_, i) => record(i));
  const delivery = { calls: 0, throttled: 0 };
  let backoffMs = 0;
  for (let round = 0; round < 400 && pending.length > 0; round++) {
    if (backoffMs > 0) await sleep(backoffMs);
    const failed: PutRecordsRequestEntry[] = [];
    for (let start = 0; start < pending.length; start += 500) {
      const batch = pending.slice(start, start + 500);
      const result = await client.send(new PutRecordsCommand({ StreamName, Records: batch }));
      delivery.calls++;
      result.Records!.forEach((entry, i) => {
        if (entry.ErrorCode === undefined) return;
        assert.equal(entry.ErrorCode, 'ProvisionedThroughputExceededException');
        assert.equal(entry.ErrorMessage, `Rate exceeded for shard shardId-000000000000 in stream ${StreamName} under account 000000000000.`);
        failed.push(batch[i]!);
      });
      assert.equal(result.FailedRecordCount ?? 0, result.Records!.filter((entry) => entry.ErrorCode !== undefined).length);
    }
    delivery.throttled += failed.length;
    backoffMs = failed.length > 0 ? Math.min(Math.max(50, backoffMs * 2), 400) : 0;
    pending = failed;
  }
  assert.equal(pending.length, 0, `${pending.length} records never delivered`);
  return delivery;
}

/** Every record of the shard from TRIM_HORIZON, waiting out read throttling (bounded). */
async function readAll(client: KinesisClient, StreamName: string): Promise<number[]> {
  let iterator = (
    await client.send(new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
  ).ShardIterator;
  const indexes: number[] = [];
  for (let call = 0; call < 200 && iterator !== undefined; call++) {
    try {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const r of page.Records ?? []) indexes.push(Buffer.from(r.Data!).readUInt32BE(0));
      if ((page.Records ?? []).length === 0 && page.MillisBehindLatest === 0) return indexes;
      iterator = page.NextShardIterator;
    } catch (error) {
      // A refused call returns nothing: the same iterator is asked again.
      if (!(error instanceof ProvisionedThroughputExceededException)) throw error;
      await sleep(250);
    }
  }
  throw new Error(`not caught up (${indexes.length} records read)`);
}

function assertExactlyOnce(indexes: number[]): void {
  assert.equal(indexes.length, RECORDS);
  assert.deepEqual([...indexes].sort((a, b) => a - b), Array.from({ length: RECORDS }, (_, i) => i));
}

describe('throughput limits end to end', () => {
  describe('on (the default)', () => {
    let riffle: RiffleProcess;
    let client: KinesisClient;
    before(async () => {
      riffle = await startRiffle({ args: ['--store', 'memory', '--throughput', 'on', '--control-plane-limits', 'on'] });
      client = kinesisClient(riffle.endpoint);
    });
    after(async () => {
      client.destroy();
      await riffle.stop();
    });

    it('throttles a producer above 1 MiB/s on one shard, which delivers everything exactly once by retrying the failed entries', async () => {
      await client.send(new CreateStreamCommand({ StreamName: 'hot', ShardCount: 1 }));
      const delivery = await produce(client, 'hot');
      // 4 MiB into a shard that takes 1 MiB a second: most of the first attempts cannot get through.
      assert.ok(delivery.throttled > RECORDS / 2, `only ${delivery.throttled} entries throttled`);
      assertExactlyOnce(await readAll(client, 'hot'));
    });

    it('answers the control plane\'s rates with LimitExceededException', async () => {
      let refusal: unknown;
      for (let call = 0; call < 20 && refusal === undefined; call++) {
        await client.send(new DescribeLimitsCommand({})).catch((error: unknown) => (refusal = error));
      }
      assert.ok(refusal instanceof LimitExceededException, String(refusal));
      assert.equal(refusal.message, 'Rate exceeded for account 000000000000.');
    });
  });

  describe('--throughput off', () => {
    let riffle: RiffleProcess;
    let client: KinesisClient;
    before(async () => {
      riffle = await startRiffle({ args: ['--store', 'memory', '--throughput', 'off'] });
      client = kinesisClient(riffle.endpoint);
    });
    after(async () => {
      client.destroy();
      await riffle.stop();
    });

    it('throttles nothing: the same producer delivers everything at the first attempt', async () => {
      await client.send(new CreateStreamCommand({ StreamName: 'hot', ShardCount: 1 }));
      const delivery = await produce(client, 'hot');
      assert.deepEqual(delivery, { calls: RECORDS / 500, throttled: 0 });
      assertExactlyOnce(await readAll(client, 'hot'));
    });
  });
});
