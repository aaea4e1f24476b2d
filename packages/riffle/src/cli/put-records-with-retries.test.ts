import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PutRecordsRequestEntry, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { putRecordsWithRetries } from './put-records-with-retries.js';

const entries = (n: number): PutRecordsRequestEntry[] => Array.from({ length: n }, (_, i) => ({ Data: Buffer.from(String(i)), PartitionKey: 'k' }));
const throttled: PutRecordsResultEntry = { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-000000000000' };
const ok = (entry: PutRecordsRequestEntry): PutRecordsResultEntry => ({ ShardId: 'shardId-000000000000', SequenceNumber: `seq-${Buffer.from(entry.Data!).toString()}` });

describe('putRecordsWithRetries', () => {
  it('retries only the failed entries, with growing delays, and answers in input order', async () => {
    const calls: string[][] = [];
    const delays: number[] = [];
    let round = 0;
    const outcomes = await putRecordsWithRetries(
      async (batch) => {
        calls.push(batch.map((e) => Buffer.from(e.Data!).toString()));
        round++;
        // First call: records 1 and 3 fail; second: record 3 fails again; third: all pass.
        return batch.map((e) => {
          const n = Number(Buffer.from(e.Data!).toString());
          return (round === 1 && (n === 1 || n === 3)) || (round === 2 && n === 3) ? throttled : ok(e);
        });
      },
      entries(4),
      async (ms) => void delays.push(ms),
      { attempts: 5, firstDelayMs: 100, longestDelayMs: 150 },
    );
    assert.deepEqual(calls, [['0', '1', '2', '3'], ['1', '3'], ['3']]);
    assert.deepEqual(delays, [100, 150]);
    assert.deepEqual(outcomes.map((o) => ('SequenceNumber' in o ? o.SequenceNumber : o.ErrorCode)), ['seq-0', 'seq-1', 'seq-2', 'seq-3']);
  });

  it('gives up after the attempts, reporting the last error of each record still failing', async () => {
    let calls = 0;
    const outcomes = await putRecordsWithRetries(
      async (batch) => {
        calls++;
        return batch.map((e) => (Buffer.from(e.Data!).toString() === '0' ? throttled : ok(e)));
      },
      entries(2),
      async () => undefined,
      { attempts: 3, firstDelayMs: 1, longestDelayMs: 1 },
    );
    assert.equal(calls, 3);
    assert.deepEqual(outcomes[0], { ErrorCode: throttled.ErrorCode, ErrorMessage: throttled.ErrorMessage });
    assert.deepEqual(outcomes[1], { ShardId: 'shardId-000000000000', SequenceNumber: 'seq-1' });
  });

  it('throws a whole-call failure', async () => {
    await assert.rejects(
      putRecordsWithRetries(async () => { throw new Error('boom'); }, entries(1), async () => undefined),
      /boom/,
    );
  });
});
