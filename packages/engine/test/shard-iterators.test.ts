import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeSequenceNumber, type Engine } from '@riffle/engine';
import { assertEngineError, bytes, startEngine } from './engine-fixture.js';

const SHARD = 'shardId-000000000000';

async function texts(engine: Engine, iterator: string): Promise<string[]> {
  return (await engine.getRecords(iterator)).records.map((r) => new TextDecoder().decode(r.data));
}

async function streamWithRecords(count: number) {
  const fixture = await startEngine();
  const { engine, clock } = fixture;
  await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
  const sequenceNumbers: string[] = [];
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    times.push(clock.now());
    sequenceNumbers.push((await engine.putRecord('s', { data: bytes(`r${i}`), partitionKey: 'k' })).sequenceNumber);
    await clock.advance(1000);
  }
  return { ...fixture, sequenceNumbers, times };
}

describe('getShardIterator', () => {
  it('TRIM_HORIZON starts at the oldest record, LATEST after the newest', async () => {
    const { engine } = await streamWithRecords(3);
    const horizon = await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON');
    const latest = await engine.getShardIterator('s', SHARD, 'LATEST');
    await engine.putRecord('s', { data: bytes('later'), partitionKey: 'k' });
    assert.deepEqual(await texts(engine, horizon), ['r0', 'r1', 'r2', 'later']);
    assert.deepEqual(await texts(engine, latest), ['later']);
  });

  it('AT_ and AFTER_SEQUENCE_NUMBER start at and after the record', async () => {
    const { engine, sequenceNumbers } = await streamWithRecords(4);
    const at = await engine.getShardIterator('s', SHARD, 'AT_SEQUENCE_NUMBER', { startingSequenceNumber: sequenceNumbers[1] });
    const after = await engine.getShardIterator('s', SHARD, 'AFTER_SEQUENCE_NUMBER', { startingSequenceNumber: sequenceNumbers[1] });
    assert.deepEqual(await texts(engine, at), ['r1', 'r2', 'r3']);
    assert.deepEqual(await texts(engine, after), ['r2', 'r3']);
    const starting = engine.describeStream('s').shards[0]!.startingSequenceNumber;
    const fromStart = await engine.getShardIterator('s', SHARD, 'AFTER_SEQUENCE_NUMBER', { startingSequenceNumber: starting });
    assert.deepEqual(await texts(engine, fromStart), ['r0', 'r1', 'r2', 'r3']);
  });

  it('AT_TIMESTAMP starts at the first record at or after the time', async () => {
    const { engine, times } = await streamWithRecords(4);
    const exact = await engine.getShardIterator('s', SHARD, 'AT_TIMESTAMP', { timestamp: times[2]! });
    const between = await engine.getShardIterator('s', SHARD, 'AT_TIMESTAMP', { timestamp: times[1]! + 1 });
    const early = await engine.getShardIterator('s', SHARD, 'AT_TIMESTAMP', { timestamp: 0 });
    assert.deepEqual(await texts(engine, exact), ['r2', 'r3']);
    assert.deepEqual(await texts(engine, between), ['r2', 'r3']);
    assert.deepEqual(await texts(engine, early), ['r0', 'r1', 'r2', 'r3']);
  });

  it('AT_TIMESTAMP needs a timestamp that is not in the future', async () => {
    const { engine, clock } = await streamWithRecords(1);
    await assertEngineError(() => engine.getShardIterator('s', SHARD, 'AT_TIMESTAMP'), 'MissingTimestamp', {});
    const now = clock.now();
    await assertEngineError(() => engine.getShardIterator('s', SHARD, 'AT_TIMESTAMP', { timestamp: now + 1 }), 'TimestampInFuture', {
      timestamp: now + 1,
      now,
    });
    await engine.getShardIterator('s', SHARD, 'AT_TIMESTAMP', { timestamp: now });
  });

  it('checks the type against the presence of a sequence number', async () => {
    const { engine, sequenceNumbers } = await streamWithRecords(1);
    const startingSequenceNumber = sequenceNumbers[0]!;
    await assertEngineError(() => engine.getShardIterator('s', SHARD, 'TRIM_HORIZON', { startingSequenceNumber }), 'IteratorTypeMismatch', {
      type: 'TRIM_HORIZON',
      hasSequenceNumber: true,
    });
    await assertEngineError(() => engine.getShardIterator('s', SHARD, 'LATEST', { startingSequenceNumber }), 'IteratorTypeMismatch');
    await assertEngineError(() => engine.getShardIterator('s', SHARD, 'AT_SEQUENCE_NUMBER'), 'IteratorTypeMismatch', {
      type: 'AT_SEQUENCE_NUMBER',
      hasSequenceNumber: false,
    });
  });

  it('rejects sequence numbers of other shards and other streams, and garbage', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    const onShard1 = await engine.putRecord('s', { data: bytes('x'), partitionKey: 'k', explicitHashKey: (2n ** 127n).toString() });
    assert.equal(onShard1.shardId, 'shardId-000000000001');
    await assertEngineError(
      () => engine.getShardIterator('s', SHARD, 'AT_SEQUENCE_NUMBER', { startingSequenceNumber: onShard1.sequenceNumber }),
      'SequenceNumberOtherShard',
      { encodedShardId: 'shardId-000000000001', shardId: SHARD },
    );
    const otherStream = encodeSequenceNumber({ shardCreatedAt: clock.now() - 10_000, shardIndex: 0, counter: 1n, writtenAt: clock.now() });
    await assertEngineError(
      () => engine.getShardIterator('s', SHARD, 'AT_SEQUENCE_NUMBER', { startingSequenceNumber: otherStream }),
      'SequenceNumberOtherStream',
      { sequenceNumber: otherStream, shardId: SHARD, stream: 's' },
    );
    await assertEngineError(
      () => engine.getShardIterator('s', SHARD, 'AFTER_SEQUENCE_NUMBER', { startingSequenceNumber: '12345' }),
      'InvalidSequenceNumber',
      { sequenceNumber: '12345', shardId: SHARD, stream: 's' },
    );
  });

  it('resolves shard ids leniently and reports missing shards and streams', async () => {
    const { engine } = await streamWithRecords(1);
    assert.deepEqual(await texts(engine, await engine.getShardIterator('s', '0', 'TRIM_HORIZON')), ['r0']);
    assert.deepEqual(await texts(engine, await engine.getShardIterator('s', 'shardId-0', 'TRIM_HORIZON')), ['r0']);
    await assertEngineError(() => engine.getShardIterator('s', 'shardId-5', 'TRIM_HORIZON'), 'ShardNotFound', {
      stream: 's',
      shardId: 'shardId-000000000005',
    });
    await assertEngineError(() => engine.getShardIterator('nope', SHARD, 'TRIM_HORIZON'), 'ShardNotFound', {
      stream: 'nope',
      shardId: SHARD,
    });
    await assertEngineError(() => engine.getShardIterator('s', 'bogus', 'TRIM_HORIZON'), 'CouldNotFindShard', {
      stream: 's',
      shardId: 'bogus',
    });
  });
});

describe('getRecords iterators', () => {
  it('expire 300000 ms after issue, and each response restarts the clock', async () => {
    const { engine, clock } = await streamWithRecords(1);
    const iterator = await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON');
    const issuedAt = clock.now();
    await clock.advance(300_000);
    const { nextShardIterator } = await engine.getRecords(iterator);
    await clock.advance(1);
    await assertEngineError(() => engine.getRecords(iterator), 'ExpiredIterator', { createdAt: issuedAt, now: issuedAt + 300_001 });
    await clock.advance(299_999);
    await engine.getRecords(nextShardIterator!);
  });

  it('reject tampered and foreign iterators', async () => {
    const { engine } = await streamWithRecords(1);
    const iterator = await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON');
    const raw = Buffer.from(iterator, 'base64');
    raw[raw.length - 20] = raw[raw.length - 20]! ^ 0xff;
    await assertEngineError(() => engine.getRecords(raw.toString('base64')), 'InvalidShardIterator', {});
    await assertEngineError(() => engine.getRecords('AAAAAAAAAAE='), 'InvalidShardIterator');
    const other = await startEngine();
    await other.engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await assertEngineError(() => other.engine.getRecords(iterator), 'InvalidShardIterator');
    await assertEngineError(() => engine.getRecords(iterator, { streamName: 'other' }), 'InvalidShardIterator');
  });

  it('of a deleted stream report the shard as missing', async () => {
    const { engine } = await streamWithRecords(1);
    const iterator = await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON');
    await engine.deleteStream('s');
    await assertEngineError(() => engine.getRecords(iterator), 'ShardNotFound', { stream: 's', shardId: SHARD });
  });
});
