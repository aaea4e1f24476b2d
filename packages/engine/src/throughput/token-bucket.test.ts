import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../fake-clock.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('starts full and holds at most its capacity', () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(5, 5, clock.now());
    assert.equal(bucket.available(clock.now()), 5);
    for (let i = 0; i < 5; i++) assert.equal(bucket.tryTake(1, clock.now()), true);
    assert.equal(bucket.tryTake(1, clock.now()), false);
    assert.equal(bucket.available(clock.now()), 0);
  });

  it('refills continuously at its rate, never above capacity', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(1000, 1000, clock.now());
    bucket.take(1000, clock.now());
    await clock.advance(250);
    assert.equal(bucket.available(clock.now()), 250);
    assert.equal(bucket.tryTake(251, clock.now()), false);
    assert.equal(bucket.tryTake(250, clock.now()), true);
    await clock.advance(60_000);
    assert.equal(bucket.available(clock.now()), 1000);
  });

  it('lets an amount larger than the bucket through only when full, as a debt paid back by refilling', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(100, 100, clock.now());
    assert.equal(bucket.tryTake(300, clock.now()), true);
    assert.equal(bucket.available(clock.now()), -200);
    assert.equal(bucket.tryTake(1, clock.now()), false);
    await clock.advance(2000);
    assert.equal(bucket.available(clock.now()), 0);
    assert.equal(bucket.tryTake(300, clock.now()), false, 'not full yet');
    await clock.advance(1000);
    assert.equal(bucket.tryTake(300, clock.now()), true);
  });

  it('neither refills nor stalls when the clock steps backwards', () => {
    const bucket = new TokenBucket(10, 10, 10_000);
    bucket.take(10, 10_000);
    assert.equal(bucket.available(5_000), 0);
    // Refilling resumes from the earlier time rather than waiting for the clock to get back to 10 s.
    assert.equal(bucket.available(5_500), 5);
  });
});
