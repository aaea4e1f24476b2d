import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSupportedStatistic, percentileOf, statisticOf } from './statistic.js';

describe('statistics of a minute aggregate', () => {
  const set = { sampleCount: 4, sum: 10, minimum: 1, maximum: 4 };

  it('gives the five standard statistics', () => {
    assert.deepEqual(
      ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'].map((statistic) => statisticOf(set, statistic)),
      [4, 2.5, 10, 1, 4],
    );
  });

  it('gives percentiles only where a statistic set determines them (one sample, or minimum equal to maximum)', () => {
    assert.equal(statisticOf(set, 'p99'), undefined);
    assert.equal(statisticOf({ sampleCount: 1, sum: 7, minimum: 7, maximum: 7 }, 'p50'), 7);
    assert.equal(statisticOf({ sampleCount: 3, sum: 6, minimum: 2, maximum: 2 }, 'p99.9'), 2);
  });

  it('reads pNN from p0 to p100 and refuses anything else', () => {
    assert.equal(percentileOf('p99'), 99);
    assert.equal(percentileOf('p0.0'), 0);
    assert.equal(percentileOf('p100'), 100);
    assert.equal(percentileOf('p100.1'), undefined);
    assert.equal(percentileOf('P99'), undefined);
    assert.equal(percentileOf('tm99'), undefined);
    assert.equal(isSupportedStatistic('Sum'), true);
    assert.equal(isSupportedStatistic('IQM'), false);
  });
});
