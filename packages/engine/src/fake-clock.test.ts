import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './fake-clock.js';

describe('FakeClock', () => {
  it('runs due timers in order at their due time, and awaits them', async () => {
    const clock = new FakeClock(1_000);
    const seen: string[] = [];
    clock.setTimeout(() => void seen.push(`b@${clock.now()}`), 20);
    clock.setTimeout(async () => {
      await Promise.resolve();
      seen.push(`a@${clock.now()}`);
    }, 10);
    const cancelled = clock.setTimeout(() => void seen.push('never'), 5);
    clock.clearTimeout(cancelled);
    await clock.advance(15);
    assert.deepEqual(seen, ['a@1010']);
    assert.equal(clock.now(), 1_015);
    await clock.advance(100);
    assert.deepEqual(seen, ['a@1010', 'b@1020']);
    assert.equal(clock.pendingTimers, 0);
  });

  it('runs timers scheduled by timers within the same advance', async () => {
    const clock = new FakeClock(0);
    let fired = 0;
    clock.setTimeout(() => {
      clock.setTimeout(() => void fired++, 0);
    }, 5);
    await clock.advance(5);
    assert.equal(fired, 1);
  });
});
