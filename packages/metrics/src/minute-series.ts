import { addSample, mergeInto, statisticSetOf, type StatisticSet } from './statistic-set.js';

export const MINUTE_MS = 60_000;

/** One period's aggregate, stamped with the period's start (epoch ms), as CloudWatch returns datapoints. */
export interface Datapoint {
  readonly timestamp: number;
  readonly statistics: Readonly<StatisticSet>;
}

/**
 * A metric's samples aggregated per UTC minute (CloudWatch's standard resolution), keeping the last
 * `retentionMinutes` minutes: a ring indexed by minute, so memory is bounded whatever the traffic.
 */
export class MinuteSeries {
  readonly #minutes: (number | undefined)[];
  readonly #sets: (StatisticSet | undefined)[];
  #latestMinute = Number.NEGATIVE_INFINITY;

  constructor(readonly retentionMinutes: number) {
    if (!Number.isInteger(retentionMinutes) || retentionMinutes < 1) throw new RangeError('retentionMinutes must be a positive integer');
    this.#minutes = new Array(retentionMinutes);
    this.#sets = new Array(retentionMinutes);
  }

  /** The minute (epoch ms of its start) of the newest sample, or undefined before any. */
  get latestMinute(): number | undefined {
    return Number.isFinite(this.#latestMinute) ? this.#latestMinute : undefined;
  }

  record(time: number, value: number): void {
    const minute = Math.floor(time / MINUTE_MS);
    // The hot path (every call records a few samples): the current minute's slot, updated in place.
    if (minute === this.#latestMinute) {
      const index = ((minute % this.retentionMinutes) + this.retentionMinutes) % this.retentionMinutes;
      const slot = this.#sets[index];
      if (slot !== undefined) {
        addSample(slot, value);
        return;
      }
    }
    this.#put(minute, (slot) => (slot === undefined ? statisticSetOf(value) : (addSample(slot, value), slot)));
  }

  /** Adds a whole minute's aggregate (restoring a snapshot). */
  recordSet(time: number, set: Readonly<StatisticSet>): void {
    this.#put(Math.floor(time / MINUTE_MS), (slot) => (slot === undefined ? { ...set } : (mergeInto(slot, set), slot)));
  }

  /** Sets a whole minute's aggregate, replacing what it held (replaying a journal, where the last line wins). */
  setMinute(time: number, set: Readonly<StatisticSet>): void {
    this.#put(Math.floor(time / MINUTE_MS), () => ({ ...set }));
  }

  #put(minute: number, update: (slot: StatisticSet | undefined) => StatisticSet): void {
    // A sample older than the window would land in a slot a newer minute owns.
    if (minute <= this.#latestMinute - this.retentionMinutes) return;
    const index = ((minute % this.retentionMinutes) + this.retentionMinutes) % this.retentionMinutes;
    const current = this.#minutes[index] === minute ? this.#sets[index] : undefined;
    this.#sets[index] = update(current);
    this.#minutes[index] = minute;
    if (minute > this.#latestMinute) this.#latestMinute = minute;
  }

  /**
   * Datapoints of `periodMs` (a multiple of a minute) for [start, end), periods aligned on multiples of the
   * period since the epoch as CloudWatch aligns them; periods without samples are left out, oldest first.
   */
  query(start: number, end: number, periodMs: number): Datapoint[] {
    if (periodMs < MINUTE_MS || periodMs % MINUTE_MS !== 0) throw new RangeError('the period must be a multiple of 60 seconds');
    const byPeriod = new Map<number, StatisticSet>();
    for (let index = 0; index < this.retentionMinutes; index++) {
      const minute = this.#minutes[index];
      const set = this.#sets[index];
      if (minute === undefined || set === undefined || minute <= this.#latestMinute - this.retentionMinutes) continue;
      const time = minute * MINUTE_MS;
      if (time < start || time >= end) continue;
      const period = Math.floor(time / periodMs) * periodMs;
      const into = byPeriod.get(period);
      if (into === undefined) byPeriod.set(period, { ...set });
      else mergeInto(into, set);
    }
    return [...byPeriod.entries()].sort(([a], [b]) => a - b).map(([timestamp, statistics]) => ({ timestamp, statistics }));
  }

  /** Every retained minute, oldest first (for snapshots). */
  minutes(): Datapoint[] {
    return this.query(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, MINUTE_MS);
  }
}
