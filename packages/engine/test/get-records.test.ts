import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertEngineError, bytes, startEngine } from './engine-fixture.js';

const SHARD = 'shardId-000000000000';
const HOUR = 3_600_000;

describe('getRecords', () => {
  it('pages with limit and hands out a next iterator that continues', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const put = await engine.putRecords('s', Array.from({ length: 7 }, (_, i) => ({ data: bytes(`r${i}`), partitionKey: 'k' })));
    let iterator: string | undefined = await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON');
    const pages: string[][] = [];
    for (let page = 0; page < 5 && iterator; page++) {
      const result = await engine.getRecords(iterator, { limit: 3 });
      pages.push(result.records.map((r) => new TextDecoder().decode(r.data)));
      iterator = result.nextShardIterator;
    }
    assert.deepEqual(pages, [['r0', 'r1', 'r2'], ['r3', 'r4', 'r5'], ['r6'], [], []]);
    const [first] = (await engine.getRecords(await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'), { limit: 1 })).records;
    assert.deepEqual(first, {
      sequenceNumber: (put[0] as { sequenceNumber: string }).sequenceNumber,
      arrivalTime: clock.now(),
      data: bytes('r0'),
      partitionKey: 'k',
      encryptionType: 'NONE',
    });
  });

  it('returns at most 10 MiB, but a large record alone', async () => {
    const { engine } = await startEngine({});
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED', maxRecordSizeKiB: 10240 });
    const mib = 1024 * 1024;
    await engine.putRecords('s', Array.from({ length: 12 }, () => ({ data: new Uint8Array(mib - 1), partitionKey: 'k' })));
    const result = await engine.getRecords(await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'));
    assert.equal(result.records.length, 10);
    const rest = await engine.getRecords(result.nextShardIterator!);
    assert.equal(rest.records.length, 2);
  });

  it('reports how far behind the tip the reader is', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', { data: bytes('a'), partitionKey: 'k' });
    await clock.advance(5_000);
    await engine.putRecord('s', { data: bytes('b'), partitionKey: 'k' });
    await clock.advance(2_000);
    const first = await engine.getRecords(await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'), { limit: 1 });
    assert.equal(first.millisBehindLatest, 2_000);
    const second = await engine.getRecords(first.nextShardIterator!);
    assert.equal(second.millisBehindLatest, 0);
    assert.equal(second.childShards, undefined);
  });

  it('never returns records older than the retention period, and TRIM_HORIZON moves', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', { data: bytes('old'), partitionKey: 'k' });
    const early = await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON');
    await clock.advance(HOUR);
    await engine.putRecord('s', { data: bytes('new'), partitionKey: 'k' });
    await clock.advance(23 * HOUR);
    // The old record is exactly 24 h old: still retained.
    assert.equal((await engine.getRecords(await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'))).records.length, 2);
    await clock.advance(1);
    const late = await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON');
    assert.deepEqual((await engine.getRecords(late)).records.map((r) => new TextDecoder().decode(r.data)), ['new']);
    await assertEngineError(() => engine.getRecords(early), 'ExpiredIterator');
  });
});

describe('retention period', () => {
  it('increases and decreases within 24..8760 hours in the right direction', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.increaseRetention('s', 72);
    assert.equal(engine.describeStream('s').retentionHours, 72);
    await assertEngineError(() => engine.increaseRetention('s', 48), 'RetentionNotIncrease', { stream: 's', requested: 48, current: 72 });
    await assertEngineError(() => engine.decreaseRetention('s', 100), 'RetentionNotDecrease', { stream: 's', requested: 100, current: 72 });
    await assertEngineError(() => engine.decreaseRetention('s', 23), 'RetentionTooShort', { hours: 23, min: 24 });
    await assertEngineError(() => engine.increaseRetention('s', 8761), 'RetentionTooLong', { hours: 8761, max: 8760 });
    await engine.increaseRetention('s', 8760);
    await engine.decreaseRetention('s', 24);
    assert.equal(engine.describeStream('s').retentionHours, 24);
    await assertEngineError(() => engine.increaseRetention('nope', 48), 'StreamNotFound', { stream: 'nope' });
  });

  it('needs an ACTIVE stream', async () => {
    const { engine } = await startEngine({ createStreamMs: 10 });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.increaseRetention('s', 48), 'StreamNotActive', { stream: 's', status: 'CREATING' });
  });

  it('hides data at once when decreased, and an increase does not bring it back', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.increaseRetention('s', 48);
    await engine.putRecord('s', { data: bytes('old'), partitionKey: 'k' });
    await clock.advance(30 * HOUR);
    await engine.putRecord('s', { data: bytes('new'), partitionKey: 'k' });
    assert.equal((await engine.getRecords(await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'))).records.length, 2);
    await engine.decreaseRetention('s', 24);
    await engine.increaseRetention('s', 48);
    const records = (await engine.getRecords(await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'))).records;
    assert.deepEqual(records.map((r) => new TextDecoder().decode(r.data)), ['new']);
  });
});
