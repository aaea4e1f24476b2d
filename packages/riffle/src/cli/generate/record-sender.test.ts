import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeRunClock } from './fake-run-clock.js';
import type { GeneratedRecord } from './generated-record.js';
import { MAX_BATCH_BYTES, RecordSender, type PutRecordsCall } from './record-sender.js';

const records = (n: number, key = (i: number) => `k${i % 3}`): GeneratedRecord[] => Array.from({ length: n }, (_, i) => ({ data: `r${i}`, partitionKey: key(i) }));

/** A fake PutRecords: records every call, refuses the entries `refuse` picks (by call number and data). */
function fakePut(refuse: (call: number, record: GeneratedRecord) => boolean): { put: PutRecordsCall; calls: string[][]; written: string[] } {
  const calls: string[][] = [];
  const written: string[] = [];
  const put: PutRecordsCall = async (batch) => {
    const call = calls.length;
    calls.push(batch.map((r) => r.data));
    return {
      entries: batch.map((record) => {
        if (refuse(call, record)) return { errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'Rate exceeded for shard shardId-000000000000' };
        written.push(record.data);
        return {};
      }),
    };
  };
  return { put, calls, written };
}

describe('RecordSender: PutRecords batching and retries', () => {
  it('splits into calls of --batch records, in order', async () => {
    const fake = fakePut(() => false);
    const sender = new RecordSender(fake.put, new FakeRunClock(), { batchRecords: 7 });
    await sender.send(records(50));
    assert.deepEqual(fake.calls.map((c) => c.length), [7, 7, 7, 7, 7, 7, 7, 1]);
    assert.deepEqual(fake.written, records(50).map((r) => r.data));
    assert.deepEqual({ ...sender.stats }, { sent: 50, failed: 0, calls: 8, retried: 0, overtaken: 0, lastError: undefined });
  });

  it('keeps a call under 5 MiB', async () => {
    const fake = fakePut(() => false);
    const big = 'x'.repeat(1024 * 1024 - 10);
    const sender = new RecordSender(fake.put, new FakeRunClock(), { batchRecords: 500 });
    await sender.send(Array.from({ length: 12 }, () => ({ data: big, partitionKey: 'k' })));
    assert.deepEqual(fake.calls.map((c) => c.length), [5, 5, 2]);
    assert.ok(5 * (big.length + 1) <= MAX_BATCH_BYTES);
  });

  it('retries only the failed entries of a partial failure, in their order, with a growing backoff, before any later record', async () => {
    // The first two attempts refuse r1 and r4; the third accepts them.
    const fake = fakePut((call, r) => call < 2 && (r.data === 'r1' || r.data === 'r4'));
    const clock = new FakeRunClock();
    const sender = new RecordSender(fake.put, clock, { batchRecords: 5, backoffMs: 100 });
    await sender.send(records(8, () => 'same-key'));
    assert.deepEqual(fake.calls, [['r0', 'r1', 'r2', 'r3', 'r4'], ['r1', 'r4'], ['r1', 'r4'], ['r5', 'r6', 'r7']]);
    assert.deepEqual(clock.sleeps, [100, 200]);
    assert.equal(sender.stats.sent, 8);
    assert.equal(sender.stats.retried, 4);
    // r2 and r3 were written while r1 (same key, same call) was refused: counted, not hidden.
    assert.equal(sender.stats.overtaken, 2);
    assert.match(sender.stats.lastError!, /^ProvisionedThroughputExceededException: Rate exceeded/);
  });

  it('counts entries as failed after the last retry and moves on', async () => {
    const fake = fakePut((_call, r) => r.data === 'r0');
    const sender = new RecordSender(fake.put, new FakeRunClock(), { batchRecords: 10, maxRetries: 3 });
    await sender.send(records(3, (i) => `k${i}`));
    assert.equal(fake.calls.length, 4);
    assert.deepEqual([sender.stats.sent, sender.stats.failed, sender.stats.overtaken], [2, 1, 0]);
  });
});
