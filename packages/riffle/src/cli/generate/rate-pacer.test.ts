import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliError } from '../cli-error.js';
import { FakeRunClock } from './fake-run-clock.js';
import { RatePacer } from './rate-pacer.js';
import { parseRate, type RateShape } from './rate-shape.js';

/** Runs a pacer for `seconds` of fake time and counts the records released in each simulated second. */
async function perSecond(shape: RateShape, seconds: number, max = 500): Promise<number[]> {
  const clock = new FakeRunClock(0);
  const pacer = new RatePacer(shape, clock);
  const counts = new Array<number>(seconds).fill(0);
  for (let guard = 0; guard < 1_000_000; guard++) {
    const granted = await pacer.grant(max, seconds * 1000);
    if (granted === 0) return counts;
    counts[Math.floor(clock.now() / 1000)]! += granted;
  }
  return assert.fail('the pacer never reached the deadline');
}

describe('rates', () => {
  it('constant: N records in every simulated second', async () => {
    const counts = await perSecond(parseRate('100'), 5);
    // Record n is due at n/100 s: 100 a second (the first at once).
    assert.deepEqual(counts, [100, 100, 100, 100, 100]);
    assert.deepEqual(await perSecond(parseRate('constant:2.5'), 4), [3, 2, 3, 2]);
  });

  it('periodic: a sine from min up to max and back over the period', async () => {
    const counts = await perSecond(parseRate('periodic:min=10,max=110,period=20s'), 40);
    assert.ok(counts[0]! <= 12, `starts near min: ${counts[0]}`);
    assert.ok(counts[10]! >= 105, `peaks near max half a period in: ${counts[10]}`);
    assert.ok(counts[20]! <= 12, `back near min after a period: ${counts[20]}`);
    assert.ok(Math.abs(counts.reduce((a, b) => a + b, 0) - 60 * 40) <= 2, 'the mean is (min + max) / 2');
  });

  it('burst: peak for the first "for" of every period, base otherwise', async () => {
    const counts = await perSecond(parseRate('burst:base=10,peak=500,every=10s,for=2s'), 20);
    assert.deepEqual(counts, [500, 500, 10, 10, 10, 10, 10, 10, 10, 10, 500, 500, 10, 10, 10, 10, 10, 10, 10, 10]);
  });

  it('a rate of 0 (base=0) waits through the quiet part without spinning', async () => {
    const counts = await perSecond(parseRate('burst:base=0,peak=100,every=5s,for=1s'), 10);
    // Record n is due when the integral reaches n: the one due exactly as a burst ends falls in the next second.
    assert.deepEqual([counts[0]! + counts[1]!, counts[5]! + counts[6]!], [101, 100]);
    assert.deepEqual([counts[2], counts[3], counts[4], counts[7], counts[8], counts[9]], [0, 0, 0, 0, 0, 0]);
  });

  it('catches up after a slow send, up to the grant\'s maximum', async () => {
    const clock = new FakeRunClock(0);
    const pacer = new RatePacer(parseRate('100'), clock);
    assert.equal(await pacer.grant(500), 1);
    clock.time += 1000; // a call that took a second
    assert.equal(await pacer.grant(500), 100);
    clock.time += 1000;
    assert.equal(await pacer.grant(30), 30);
    assert.equal(await pacer.grant(500), 70);
  });

  it('refuses malformed specs with the syntax', () => {
    for (const spec of ['0', 'fast', 'periodic:min=10', 'periodic:min=10,max=5,period=1s', 'burst:base=1,peak=5,every=1s,for=2s', 'burst:base=1,peak=5,every=1s,for=1s,x=1', 'periodic:min=1,max=2,period=soon']) {
      assert.throws(() => parseRate(spec), (error: unknown) => error instanceof CliError && error.exitCode === 2 && error.message.includes('--rate N'), spec);
    }
  });
});
