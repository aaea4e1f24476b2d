import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { _Record } from '@aws-sdk/client-kinesis';
import { Ledger, verifyShards, type SentRecord } from './nats-fault-ledger.js';

// The fault tests are only as good as their checker: it must fail on each way a store could go wrong.

function ledgerOf(records: [call: number, index: number, attempts: number, sequence: number | undefined][]): Ledger {
  const ledger = new Ledger();
  for (const [call, index, attempts, sequence] of records) {
    const record: SentRecord = { data: `p0.k0.c${call}.r${index}`, key: 'p0.k0', producer: 0, call, index, attempts };
    if (sequence !== undefined) record.ack = { shardId: 'shardId-000000000000', sequenceNumber: String(sequence) };
    ledger.sent.set(record.data, record);
  }
  return ledger;
}

function shard(...stored: [data: string, sequence: number][]): Map<string, _Record[]> {
  return new Map([['shardId-000000000000', stored.map(([data, sequence]) => ({ Data: Buffer.from(data), PartitionKey: 'p0.k0', SequenceNumber: String(sequence) }))]]);
}

describe('the NATS fault tests checker', () => {
  const ledger = ledgerOf([[0, 0, 1, 100], [0, 1, 1, 101], [1, 0, 2, 105], [2, 0, 1, undefined]]);

  it('passes a log with each once-acknowledged record once, a retried one twice and an unacknowledged one once', () => {
    const verdict = verifyShards(ledger, shard(['p0.k0.c0.r0', 100], ['p0.k0.c0.r1', 101], ['p0.k0.c1.r0', 102], ['p0.k0.c1.r0', 105], ['p0.k0.c2.r0', 106]));
    assert.deepEqual(verdict, { stored: 5, exactlyOnce: 2, retried: 1, unacknowledged: 1, unacknowledgedStored: 1 });
  });

  it('fails on a lost, a duplicated, a reordered, a phantom or an over-duplicated record, and on falling sequence numbers', () => {
    const bad: Map<string, _Record[]>[] = [
      shard(['p0.k0.c0.r0', 100], ['p0.k0.c1.r0', 105]),
      shard(['p0.k0.c0.r0', 100], ['p0.k0.c0.r1', 101], ['p0.k0.c0.r0', 102], ['p0.k0.c1.r0', 105]),
      shard(['p0.k0.c0.r1', 100], ['p0.k0.c0.r0', 101], ['p0.k0.c1.r0', 105]),
      shard(['p0.k0.c0.r0', 100], ['p0.k0.c0.r1', 101], ['p0.k0.c1.r0', 105], ['p9.k0.c0.r0', 106]),
      shard(['p0.k0.c0.r0', 100], ['p0.k0.c0.r1', 101], ['p0.k0.c1.r0', 103], ['p0.k0.c1.r0', 104], ['p0.k0.c1.r0', 105]),
      shard(['p0.k0.c0.r0', 100], ['p0.k0.c0.r1', 101], ['p0.k0.c1.r0', 105], ['p0.k0.c2.r0', 104]),
    ];
    for (const [i, shards] of bad.entries()) assert.throws(() => verifyShards(ledger, shards), assert.AssertionError, `case ${i}`);
  });
});
