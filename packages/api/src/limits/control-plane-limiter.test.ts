import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '@riffle/engine';
import { ControlPlaneLimiter } from './control-plane-limiter.js';

const rates = { PerAccount: { perSecond: 2, per: 'account' }, PerStream: { perSecond: 1, per: 'stream' } } as const;

describe('ControlPlaneLimiter', () => {
  it('allows an operation its rate a second per account, whatever stream it names', async () => {
    const clock = new FakeClock(0);
    const limiter = new ControlPlaneLimiter(clock, rates);
    assert.deepEqual([limiter.admit('PerAccount', 'a'), limiter.admit('PerAccount', 'b'), limiter.admit('PerAccount', undefined)], [true, true, false]);
    await clock.advance(500);
    assert.equal(limiter.admit('PerAccount', 'a'), true);
    assert.equal(limiter.admit('PerAccount', 'a'), false);
  });

  it('keeps one budget per stream for the operations limited per stream', () => {
    const limiter = new ControlPlaneLimiter(new FakeClock(0), rates);
    assert.deepEqual([limiter.admit('PerStream', 'a'), limiter.admit('PerStream', 'a'), limiter.admit('PerStream', 'b')], [true, false, true]);
  });

  it('leaves operations without a rate alone', () => {
    const limiter = new ControlPlaneLimiter(new FakeClock(0), rates);
    for (let i = 0; i < 100; i++) assert.equal(limiter.admit('Unlisted', 'a'), true);
    assert.equal(limiter.admit('toString', undefined), true);
  });

  it('drops idle per-stream budgets once there are many, keeping the ones in use', async () => {
    const clock = new FakeClock(0);
    const limiter = new ControlPlaneLimiter(clock, rates);
    for (let i = 0; i < 10_000; i++) limiter.admit('PerStream', `s${i}`);
    assert.equal(limiter.trackedBuckets, 10_000, 'none idle yet: all kept');
    await clock.advance(500);
    assert.equal(limiter.admit('PerStream', 'busy'), true);
    await clock.advance(500);
    limiter.admit('PerStream', 'new');
    assert.equal(limiter.trackedBuckets, 2, 'the idle ones went; the one used half a second ago stayed');
    assert.equal(limiter.admit('PerStream', 'busy'), false, 'its budget was kept, not reset');
  });
});
