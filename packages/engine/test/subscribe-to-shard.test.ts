import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SubscriptionEvent } from '@riffle/engine';
import { assertEngineError, bytes, startEngine } from './engine-fixture.js';

const SHARD = 'shardId-000000000000';
const text = (event: SubscriptionEvent) => event.records.map((record) => Buffer.from(record.data).toString());

/** Stream `s` with the ACTIVE consumer `reader`. */
async function subscribed(options: { createStreamMs?: number } = {}) {
  const delay = options.createStreamMs ?? 0;
  const fixture = await startEngine({ createStreamMs: delay });
  await fixture.engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
  await fixture.clock.advance(delay);
  await fixture.engine.registerConsumer('s', 'reader');
  await fixture.clock.advance(delay);
  return fixture;
}

describe('SubscribeToShard', () => {
  it('answers history, then pushes each append without waiting for a poll, each event with its continuation', async () => {
    const { engine } = await subscribed();
    await engine.putRecord('s', { data: bytes('old'), partitionKey: 'k' });
    const events = (await engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'TRIM_HORIZON'))[Symbol.asyncIterator]();
    const first = (await events.next()).value as SubscriptionEvent;
    assert.deepEqual(text(first), ['old']);
    assert.equal(first.continuationSequenceNumber, first.records[0]!.sequenceNumber);
    const waiting = events.next();
    const put = await engine.putRecord('s', { data: bytes('new'), partitionKey: 'k' });
    // No clock moved: the append itself woke the subscription.
    const pushed = (await waiting).value as SubscriptionEvent;
    assert.deepEqual(text(pushed), ['new']);
    assert.equal(pushed.continuationSequenceNumber, put.sequenceNumber);
    assert.equal(pushed.millisBehindLatest, 0);
    await events.return?.();
  });

  it('sends an empty event every 5 s while idle, whose continuation resumes where reading stands', async () => {
    const { engine, clock } = await subscribed();
    const start = await engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'LATEST');
    const events = start[Symbol.asyncIterator]();
    const first = (await events.next()).value as SubscriptionEvent;
    assert.deepEqual(first.records, []);
    const idle = events.next();
    await clock.advance(5000);
    const heartbeat = (await idle).value as SubscriptionEvent;
    assert.deepEqual(heartbeat.records, []);
    await engine.putRecord('s', { data: bytes('x'), partitionKey: 'k' });
    await events.return?.();
    // The continuation of an empty event, used as AFTER_SEQUENCE_NUMBER, reads the next record and nothing before it.
    const iterator = await engine.getShardIterator('s', SHARD, 'AFTER_SEQUENCE_NUMBER', { startingSequenceNumber: heartbeat.continuationSequenceNumber });
    assert.deepEqual((await engine.getRecords(iterator)).records.map((record) => Buffer.from(record.data).toString()), ['x']);
  });

  it('ends after 5 minutes', async () => {
    const { engine, clock } = await subscribed();
    const events = (await engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'LATEST'))[Symbol.asyncIterator]();
    await events.next();
    let count = 0;
    let done = false;
    for (let step = 0; step < 70 && !done; step++) {
      const next = events.next();
      await clock.advance(5000);
      const result = await next;
      done = result.done === true;
      if (!done) count++;
    }
    assert.ok(done, 'the subscription ended');
    assert.equal(count, 59, 'a heartbeat every 5 s until 300 s');
  });

  it('refuses a second subscription within 5 s and lets a later one take over, ending the first with ResourceInUse', async () => {
    const { engine, clock } = await subscribed();
    const first = (await engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'LATEST'))[Symbol.asyncIterator]();
    await first.next();
    await assertEngineError(() => engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'LATEST'), 'SubscriptionInUse', {
      stream: 's',
      shardId: SHARD,
      consumer: 'reader',
    });
    const pending = first.next();
    await clock.advance(4999);
    await assertEngineError(() => engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'LATEST'), 'SubscriptionInUse');
    await clock.advance(1);
    await pending;
    const second = (await engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'LATEST'))[Symbol.asyncIterator]();
    await assertEngineError(() => first.next(), 'SubscriptionInUse');
    await second.next();
    // Another consumer, or another shard, is another subscription.
    await engine.registerConsumer('s', 'other');
    await engine.subscribeToShard('s', { name: 'other' }, SHARD, 'LATEST');
    await second.return?.();
  });

  it('refuses a consumer that is not ACTIVE and positions that do not fit the shard', async () => {
    const { engine, clock } = await subscribed({ createStreamMs: 100 });
    await engine.registerConsumer('s', 'new');
    await assertEngineError(() => engine.subscribeToShard('s', { name: 'new' }, SHARD, 'LATEST'), 'ConsumerNotActive', {
      consumer: 'new',
      createdAtSeconds: Math.floor(clock.now() / 1000),
      stream: 's',
    });
    await assertEngineError(() => engine.subscribeToShard('s', { name: 'missing' }, SHARD, 'LATEST'), 'ConsumerNotFound');
    await assertEngineError(() => engine.subscribeToShard('s', { name: 'reader' }, 'shardId-000000000007', 'LATEST'), 'ShardNotFound');
    await assertEngineError(() => engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'AT_SEQUENCE_NUMBER'), 'IteratorTypeMismatch');
    await assertEngineError(() => engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'LATEST', { dryRun: true }), 'DryRunSucceeded');
  });

  it('ends a closed shard with its child shards, after its last record', async () => {
    const { engine } = await subscribed();
    await engine.putRecord('s', { data: bytes('parent'), partitionKey: 'k' });
    await engine.splitShard('s', SHARD, (2n ** 127n).toString());
    const events: SubscriptionEvent[] = [];
    for await (const event of await engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'TRIM_HORIZON')) events.push(event);
    assert.deepEqual(events.flatMap(text), ['parent']);
    assert.deepEqual(events.at(-1)!.childShards?.map((child) => child.shardId), ['shardId-000000000001', 'shardId-000000000002']);
    assert.ok(events.slice(0, -1).every((event) => event.childShards === undefined));
  });

  it('reads only as the subscriber pulls: a slow one holds no records in memory beyond its next event', async () => {
    const { engine } = await subscribed();
    const events = (await engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'TRIM_HORIZON'))[Symbol.asyncIterator]();
    await events.next();
    const big = new Uint8Array(512 * 1024);
    for (let i = 0; i < 12; i++) await engine.putRecord('s', { data: big, partitionKey: `k${i}` });
    // 6 MiB written; one event carries at most the 2 MiB a second allows.
    const next = (await events.next()).value as SubscriptionEvent;
    assert.ok(next.records.length > 0 && next.records.length <= 4, `${next.records.length} records in one event`);
    await events.return?.();
  });
});

describe('SubscribeToShard read rate', () => {
  it('delivers at most 2 MiB a second to each consumer of a shard, each at its own rate', async () => {
    const { engine, clock } = await startEngine({ throughputLimits: true });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.registerConsumer('s', 'a');
    await engine.registerConsumer('s', 'b');
    const record = new Uint8Array(256 * 1024);
    // 24 records of 256 KiB: 6 MiB, written under the shard's write limit by moving the clock.
    for (let i = 0; i < 24; i++) {
      await engine.putRecord('s', { data: record, partitionKey: `k${i}` });
      await clock.advance(250);
    }
    const start = clock.now();
    const deliveredBy = async (consumer: string) => {
      const events = (await engine.subscribeToShard('s', { name: consumer }, SHARD, 'TRIM_HORIZON'))[Symbol.asyncIterator]();
      const timeline: Array<{ at: number; bytes: number }> = [];
      let bytes = 0;
      for (let step = 0; step < 200 && bytes < 24 * record.byteLength; step++) {
        // The clock moves in small steps until the event comes: the subscription may be waiting for its budget.
        let settled = false;
        const next = events.next().finally(() => (settled = true));
        for (let tick = 0; tick < 100 && !settled; tick++) await clock.advance(50);
        const event = (await next).value as SubscriptionEvent;
        bytes += event.records.reduce((sum, r) => sum + r.data.byteLength + r.partitionKey.length, 0);
        timeline.push({ at: clock.now() - start, bytes });
      }
      await events.return?.();
      return timeline;
    };
    for (const consumer of ['a', 'b']) {
      const timeline = await deliveredBy(consumer);
      assert.equal(timeline.at(-1)!.bytes >= 24 * record.byteLength, true, `${consumer} got everything`);
      // A full bucket at the start, then 2 MiB for every further second.
      for (const point of timeline) assert.ok(point.bytes <= 2 * 1024 * 1024 * (1 + point.at / 1000) + 64, JSON.stringify(point));
      assert.ok(timeline.at(-1)!.at >= 2000, `6 MiB took ${timeline.at(-1)!.at} ms of clock time`);
    }
  });
});
