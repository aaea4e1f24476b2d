import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../fake-clock.js';
import { ShardThroughput } from './shard-throughput.js';

const MiB = 1024 * 1024;

describe('ShardThroughput', () => {
  it('admits 1 MiB of writes a second, a record only when both bytes and records allow it', async () => {
    const clock = new FakeClock(0);
    const shard = new ShardThroughput(clock.now());
    const admit = (size: number) => {
      if (!shard.writes.canAdmit(size, clock.now())) return false;
      shard.writes.charge(size, clock.now());
      return true;
    };
    let admitted = 0;
    while (admit(64 * 1024) && admitted < 100) admitted++;
    assert.equal(admitted, 16);
    await clock.advance(500);
    assert.equal(admit(512 * 1024), true);
    assert.equal(admit(1), false);
  });

  it('admits 1,000 records a second however small', async () => {
    const clock = new FakeClock(0);
    const shard = new ShardThroughput(clock.now());
    let admitted = 0;
    for (let i = 0; i < 2000; i++) {
      if (!shard.writes.canAdmit(10, clock.now())) break;
      shard.writes.charge(10, clock.now());
      admitted++;
    }
    assert.equal(admitted, 1000);
    await clock.advance(1);
    assert.equal(shard.writes.canAdmit(10, clock.now()), true);
  });

  it('admits 5 GetRecords calls a second', async () => {
    const clock = new FakeClock(0);
    const shard = new ShardThroughput(clock.now());
    const results = Array.from({ length: 6 }, () => shard.admitGetRecords(clock.now()));
    assert.deepEqual(results, [true, true, true, true, true, false]);
    await clock.advance(200);
    assert.equal(shard.admitGetRecords(clock.now()), true);
    assert.equal(shard.admitGetRecords(clock.now()), false);
  });

  it('refuses reads for 1 s after a call took the shard above 2 MiB/s, then until the overdraft is paid', async () => {
    const clock = new FakeClock(0);
    const shard = new ShardThroughput(clock.now());
    assert.equal(shard.admitGetRecords(clock.now()), true);
    shard.chargeRead(2 * MiB, false, clock.now());
    assert.equal(shard.admitGetRecords(clock.now()), true, 'exactly the budget is not above it');
    shard.chargeRead(MiB, false, clock.now());
    await clock.advance(999);
    assert.equal(shard.admitGetRecords(clock.now()), false);
    await clock.advance(1);
    assert.equal(shard.admitGetRecords(clock.now()), true);

    shard.chargeRead(6 * MiB, false, clock.now());
    await clock.advance(1000);
    assert.equal(shard.admitGetRecords(clock.now()), false, 'still 4 MiB overdrawn');
    await clock.advance(2000);
    assert.equal(shard.admitGetRecords(clock.now()), true);
  });

  it('refuses reads for 5 s after a call that returned the per-call maximum', async () => {
    const clock = new FakeClock(0);
    const shard = new ShardThroughput(clock.now());
    assert.equal(shard.admitGetRecords(clock.now()), true);
    shard.chargeRead(10 * MiB, true, clock.now());
    await clock.advance(4999);
    assert.equal(shard.admitGetRecords(clock.now()), false);
    await clock.advance(1);
    assert.equal(shard.admitGetRecords(clock.now()), true);
  });

  it('admits 5 GetShardIterator calls a second, apart from GetRecords', async () => {
    const clock = new FakeClock(0);
    const shard = new ShardThroughput(clock.now());
    for (let i = 0; i < 5; i++) assert.equal(shard.admitGetRecords(clock.now()), true);
    const results = Array.from({ length: 6 }, () => shard.admitGetShardIterator(clock.now()));
    assert.deepEqual(results, [true, true, true, true, true, false]);
    await clock.advance(1000);
    assert.equal(shard.admitGetShardIterator(clock.now()), true);
  });
});
