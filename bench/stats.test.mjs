import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatencySamples, megabytesPerSecond, perSecond } from './stats.mjs';

test('percentiles use the nearest rank over numerically sorted samples', () => {
  const samples = new LatencySamples();
  for (const value of [100, 9, 1, 50, 2, 3, 4, 5, 6, 7]) samples.add(value);
  assert.equal(samples.percentile(50), 5);
  assert.equal(samples.percentile(99), 100);
  assert.equal(samples.percentile(10), 1);
});

test('an empty sample set has no percentile', () => {
  assert.equal(new LatencySamples().percentile(50), undefined);
});

test('rates are per second of elapsed milliseconds', () => {
  assert.equal(perSecond(500, 250), 2000);
  assert.equal(megabytesPerSecond(2_000_000, 500), 4);
  assert.equal(perSecond(1, 0), undefined);
});
