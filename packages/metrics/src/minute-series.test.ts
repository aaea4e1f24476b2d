import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MINUTE_MS, MinuteSeries } from './minute-series.js';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);

describe('MinuteSeries', () => {
  it('aggregates the samples of each minute into SampleCount, Sum, Minimum and Maximum', () => {
    const series = new MinuteSeries(60);
    series.record(T0 + 1_000, 5);
    series.record(T0 + 59_999, 1);
    series.record(T0 + 60_000, 7);
    assert.deepEqual(series.query(T0, T0 + 2 * MINUTE_MS, MINUTE_MS), [
      { timestamp: T0, statistics: { sampleCount: 2, sum: 6, minimum: 1, maximum: 5 } },
      { timestamp: T0 + MINUTE_MS, statistics: { sampleCount: 1, sum: 7, minimum: 7, maximum: 7 } },
    ]);
  });

  it('merges minutes into longer periods aligned on the period, and leaves out empty periods', () => {
    const series = new MinuteSeries(60);
    for (let minute = 0; minute < 10; minute++) series.record(T0 + minute * MINUTE_MS, minute);
    assert.deepEqual(
      series.query(T0, T0 + 10 * MINUTE_MS, 5 * MINUTE_MS).map(({ timestamp, statistics }) => [(timestamp - T0) / MINUTE_MS, statistics.sum, statistics.maximum]),
      [
        [0, 0 + 1 + 2 + 3 + 4, 4],
        [5, 5 + 6 + 7 + 8 + 9, 9],
      ],
    );
    assert.deepEqual(series.query(T0 + 20 * MINUTE_MS, T0 + 30 * MINUTE_MS, MINUTE_MS), []);
  });

  it('keeps only the last retentionMinutes minutes, in bounded memory, and ignores samples older than that', () => {
    const series = new MinuteSeries(3);
    for (let minute = 0; minute < 10; minute++) series.record(T0 + minute * MINUTE_MS, 1);
    series.record(T0, 100);
    assert.deepEqual(series.minutes().map(({ timestamp }) => (timestamp - T0) / MINUTE_MS), [7, 8, 9]);
  });

  it('refuses periods that are not whole minutes, as CloudWatch does for standard-resolution metrics', () => {
    assert.throws(() => new MinuteSeries(5).query(T0, T0 + MINUTE_MS, 30_000), RangeError);
    assert.throws(() => new MinuteSeries(5).query(T0, T0 + MINUTE_MS, 7_000, 0, true), RangeError);
    assert.throws(() => new MinuteSeries(5).query(T0, T0 + MINUTE_MS, 90_000, 0, true), RangeError);
  });

  it('aligns periods on an origin (a read\'s StartTime) and gives each minute its own point for sub-minute periods', () => {
    const series = new MinuteSeries(60);
    for (let minute = 0; minute < 10; minute++) series.record(T0 + minute * MINUTE_MS, 1);
    const origin = T0 + 2 * MINUTE_MS;
    assert.deepEqual(
      series.query(origin, T0 + 10 * MINUTE_MS, 5 * MINUTE_MS, origin).map(({ timestamp, statistics }) => [(timestamp - T0) / MINUTE_MS, statistics.sum]),
      [
        [2, 5],
        [7, 3],
      ],
    );
    assert.deepEqual(
      series.query(T0, T0 + 3 * MINUTE_MS, 10_000, T0, true).map(({ timestamp }) => (timestamp - T0) / MINUTE_MS),
      [0, 1, 2],
    );
  });

  it('agrees with a plain recount of the retained samples, whatever the order they arrive in (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 * MINUTE_MS }), fc.integer({ min: -1000, max: 1000 })), { maxLength: 200 }), (samples) => {
        const series = new MinuteSeries(10);
        for (const [offset, value] of samples) series.record(T0 + offset, value);
        const latest = Math.max(...samples.map(([offset]) => Math.floor(offset / MINUTE_MS)));
        // A sample counts if it was inside the window when it arrived and is still inside it now.
        let windowEnd = Number.NEGATIVE_INFINITY;
        const kept: [number, number][] = [];
        for (const [offset, value] of samples) {
          const minute = Math.floor(offset / MINUTE_MS);
          if (minute <= windowEnd - 10) continue;
          windowEnd = Math.max(windowEnd, minute);
          kept.push([minute, value]);
        }
        const expected = kept.filter(([minute]) => minute > latest - 10);
        const points = series.minutes();
        assert.equal(points.reduce((total, point) => total + point.statistics.sampleCount, 0), expected.length);
        assert.equal(points.reduce((total, point) => total + point.statistics.sum, 0), expected.reduce((total, [, value]) => total + value, 0));
      }),
      { numRuns: 200 },
    );
  });
});
