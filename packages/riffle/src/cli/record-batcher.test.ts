import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entryBytes, MAX_BATCH_BYTES, MAX_BATCH_RECORDS, RecordBatcher, type BatchEntry } from './record-batcher.js';

const entry = (bytes: number, partitionKey = 'k'): BatchEntry => ({ data: new Uint8Array(bytes), partitionKey });

describe('RecordBatcher', () => {
  it('counts data and partition key bytes (UTF-8) as AWS does', () => {
    assert.equal(entryBytes({ data: new Uint8Array(10), partitionKey: 'é' }), 12);
  });

  it('hands over a batch as soon as it holds 500 records', () => {
    const batcher = new RecordBatcher();
    const batches: BatchEntry[][] = [];
    for (let i = 0; i < 1001; i++) batches.push(...batcher.add(entry(1)));
    assert.deepEqual(batches.map((b) => b.length), [MAX_BATCH_RECORDS, MAX_BATCH_RECORDS]);
    assert.equal(batcher.size, 1);
    assert.equal(batcher.take().length, 1);
    assert.equal(batcher.size, 0);
  });

  it('never lets a batch pass 5 MiB: the record that does not fit starts the next one', () => {
    const batcher = new RecordBatcher();
    const mib = 1024 * 1024 - 1; // with its 1-byte key, exactly 1 MiB
    const batches: BatchEntry[][] = [];
    for (let i = 0; i < 6; i++) batches.push(...batcher.add(entry(mib)));
    assert.deepEqual(batches.map((b) => b.length), [5]);
    assert.equal(batches[0]!.reduce((sum, e) => sum + entryBytes(e), 0), MAX_BATCH_BYTES);
    assert.equal(batcher.size, 1);
  });

  it('sends the batch before a record that would overflow it, and keeps input order', () => {
    const batcher = new RecordBatcher<BatchEntry & { n: number }>(10, 100);
    const out: number[][] = [];
    for (const [n, size] of [[1, 60], [2, 30], [3, 20], [4, 5]] as const) out.push(...batcher.add({ ...entry(size - 1), n }).map((b) => b.map((e) => e.n)));
    out.push(batcher.take().map((e) => e.n));
    assert.deepEqual(out, [[1, 2], [3, 4]]);
  });

  it('puts a record bigger than the batch limit in a batch of its own', () => {
    const batcher = new RecordBatcher(500, 100);
    assert.deepEqual(batcher.add(entry(10)), []);
    const ready = batcher.add(entry(200));
    assert.deepEqual(ready.map((b) => b.map((e) => e.data.length)), [[10], [200]]);
    assert.equal(batcher.size, 0);
  });
});
