import { MinuteSeries, MINUTE_MS, type Datapoint } from './minute-series.js';
import { mergeInto, type StatisticSet } from './statistic-set.js';

/** CloudWatch dimensions: StreamName, ShardId, ConsumerName, ... */
export type Dimensions = Readonly<Record<string, string>>;

export interface MetricIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Dimensions;
}

/** Which metrics `list` answers. */
export interface MetricListFilter {
  readonly namespace?: string;
  readonly name?: string;
  /** Dimensions a metric must have, with these values. */
  readonly dimensions?: Dimensions;
  /** Dimensions a metric must have, whatever their values. */
  readonly dimensionNames?: readonly string[];
}

export interface MetricRegistryOptions {
  /** Minutes kept per series; CloudWatch's 1-minute data lives 15 days, Riffle keeps at least a day. */
  readonly retentionMinutes?: number;
  /** At most this many series; past it the series idle longest is dropped (bounded memory). */
  readonly maxSeries?: number;
}

/** A snapshot the registry can be restored from after a restart: plain JSON. */
export interface MetricsSnapshot {
  readonly version: 1;
  readonly series: readonly {
    readonly namespace: string;
    readonly name: string;
    readonly dimensions: Dimensions;
    /** [minute start (epoch ms), sampleCount, sum, minimum, maximum] */
    readonly minutes: readonly (readonly [number, number, number, number, number])[];
  }[];
}

export const DEFAULT_RETENTION_MINUTES = 25 * 60;
/** A full series holds ~75 KB (a day of minutes): this bounds the registry near 400 MB at worst. */
export const DEFAULT_MAX_SERIES = 5_000;

/** Records into one series without building its key again: what hot paths hold on to. */
export interface SeriesHandle {
  record(time: number, value: number): void;
}

/** Since the series was created (this process): what Prometheus counters and summaries show. */
export interface SeriesTotals {
  readonly sampleCount: number;
  readonly sum: number;
  /** The latest sample, for gauges. */
  readonly last: number;
}

/** The minutes of one series changed since the last drain (what a journal appends). */
export interface ChangedSeries {
  readonly identity: MetricIdentity;
  readonly minutes: readonly Datapoint[];
}

interface Entry {
  readonly identity: MetricIdentity;
  readonly series: MinuteSeries;
  sampleCount: number;
  sum: number;
  last: number;
  /** The earliest minute (epoch ms) recorded since the last drain. */
  changedSince: number | undefined;
  /** False once dropped or forgotten: a handle then finds (or makes) the live entry again. */
  live: boolean;
}

/**
 * Every metric series of the server, per namespace, name and dimension set, aggregated per minute: what the
 * CloudWatch read API, `/metrics` and the console's charts read.
 */
export class MetricRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #retentionMinutes: number;
  readonly #maxSeries: number;

  constructor(options: MetricRegistryOptions = {}) {
    this.#retentionMinutes = options.retentionMinutes ?? DEFAULT_RETENTION_MINUTES;
    this.#maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
  }

  get seriesCount(): number {
    return this.#entries.size;
  }

  record(identity: MetricIdentity, time: number, value: number): void {
    recordInto(this.#entry(identity), time, value);
  }

  handle(identity: MetricIdentity): SeriesHandle {
    const owned: MetricIdentity = { namespace: identity.namespace, name: identity.name, dimensions: { ...identity.dimensions } };
    let entry = this.#entry(owned);
    return {
      record: (time, value) => {
        if (!entry.live) entry = this.#entry(owned);
        recordInto(entry, time, value);
      },
    };
  }

  /** Every series with its totals since this process created it. */
  *totals(): IterableIterator<{ readonly identity: MetricIdentity; readonly totals: SeriesTotals }> {
    for (const entry of this.#entries.values()) yield { identity: entry.identity, totals: entry };
  }

  /** The minutes changed since the last drain, whole (a minute recorded again is given again, complete). */
  drainChanges(): ChangedSeries[] {
    const changes: ChangedSeries[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.changedSince === undefined) continue;
      changes.push({ identity: entry.identity, minutes: entry.series.query(entry.changedSince, Number.POSITIVE_INFINITY, MINUTE_MS) });
      entry.changedSince = undefined;
    }
    return changes;
  }

  /** Sets one minute of a series as a journal recorded it (the later line for a minute replaces the earlier). */
  restoreMinute(identity: MetricIdentity, time: number, set: Readonly<StatisticSet>): void {
    this.#entry(identity).series.setMinute(time, set);
  }

  /**
   * Datapoints of one metric. Dimensions must match exactly, as CloudWatch's GetMetricStatistics requires
   * (a metric is its dimension set). `origin` and `subMinute` as in MinuteSeries.query.
   */
  query(identity: MetricIdentity, start: number, end: number, periodMs: number, origin?: number, subMinute?: boolean): Datapoint[] {
    return this.#entries.get(seriesKeyOf(identity))?.series.query(start, end, periodMs, origin, subMinute) ?? [];
  }

  /** The start of the newest minute with data of one metric (exact dimensions), or undefined. */
  latestMinuteOf(identity: MetricIdentity): number | undefined {
    const latest = this.#entries.get(seriesKeyOf(identity))?.series.latestMinute;
    return latest === undefined ? undefined : latest * MINUTE_MS;
  }

  /** The sum over every series of a name whose dimensions include `filter` (e.g. all shards of a stream). */
  queryMatching(namespace: string, name: string, filter: Dimensions, start: number, end: number, periodMs: number): Datapoint[] {
    const byPeriod = new Map<number, StatisticSet>();
    for (const entry of this.#entries.values()) {
      if (entry.identity.namespace !== namespace || entry.identity.name !== name || !includes(entry.identity.dimensions, filter)) continue;
      for (const point of entry.series.query(start, end, periodMs)) {
        const into = byPeriod.get(point.timestamp);
        if (into === undefined) byPeriod.set(point.timestamp, { ...point.statistics });
        else mergeInto(into, point.statistics);
      }
    }
    return [...byPeriod.entries()].sort(([a], [b]) => a - b).map(([timestamp, statistics]) => ({ timestamp, statistics }));
  }

  /**
   * The metrics with data in the last `withinMs` before `now` (ListMetrics shows those of the last two weeks).
   * `dimensions` must all be there with those values, `dimensionNames` there with any value (ListMetrics's
   * DimensionFilter without a Value).
   */
  list(filter: MetricListFilter = {}, now?: number, withinMs?: number): MetricIdentity[] {
    const result: MetricIdentity[] = [];
    for (const { identity, series } of this.#entries.values()) {
      if (filter.namespace !== undefined && identity.namespace !== filter.namespace) continue;
      if (filter.name !== undefined && identity.name !== filter.name) continue;
      if (filter.dimensions !== undefined && !includes(identity.dimensions, filter.dimensions)) continue;
      if (filter.dimensionNames !== undefined && !filter.dimensionNames.every((name) => Object.hasOwn(identity.dimensions, name))) continue;
      const latest = series.latestMinute;
      if (latest === undefined) continue;
      if (now !== undefined && withinMs !== undefined && latest * MINUTE_MS < now - withinMs) continue;
      result.push(identity);
    }
    return result;
  }

  /** Forgets every series whose dimensions include `filter` (a deleted stream's metrics). */
  forget(filter: Dimensions): void {
    for (const [key, entry] of this.#entries) {
      if (!includes(entry.identity.dimensions, filter)) continue;
      entry.live = false;
      this.#entries.delete(key);
    }
  }

  snapshot(): MetricsSnapshot {
    return {
      version: 1,
      series: [...this.#entries.values()].map(({ identity, series }) => ({
        namespace: identity.namespace,
        name: identity.name,
        dimensions: identity.dimensions,
        minutes: series.minutes().map(({ timestamp, statistics: s }) => [timestamp, s.sampleCount, s.sum, s.minimum, s.maximum] as const),
      })),
    };
  }

  /** Adds a snapshot's minutes (those still inside the retention window) to the registry. */
  restore(snapshot: MetricsSnapshot): void {
    if (snapshot.version !== 1) throw new Error(`unknown metrics snapshot version ${String(snapshot.version)}`);
    for (const series of snapshot.series) {
      const entry = this.#entry({ namespace: series.namespace, name: series.name, dimensions: series.dimensions });
      for (const [timestamp, sampleCount, sum, minimum, maximum] of series.minutes) {
        entry.series.recordSet(timestamp, { sampleCount, sum, minimum, maximum });
      }
    }
  }

  #entry(identity: MetricIdentity): Entry {
    const key = seriesKeyOf(identity);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      if (this.#entries.size >= this.#maxSeries) this.#dropIdlest();
      entry = {
        identity: { namespace: identity.namespace, name: identity.name, dimensions: { ...identity.dimensions } },
        series: new MinuteSeries(this.#retentionMinutes),
        sampleCount: 0,
        sum: 0,
        last: 0,
        changedSince: undefined,
        live: true,
      };
      this.#entries.set(key, entry);
    }
    return entry;
  }

  #dropIdlest(): void {
    let idlest: string | undefined;
    let oldest = Number.POSITIVE_INFINITY;
    for (const [key, entry] of this.#entries) {
      const latest = entry.series.latestMinute ?? Number.NEGATIVE_INFINITY;
      if (latest < oldest) {
        oldest = latest;
        idlest = key;
      }
    }
    if (idlest === undefined) return;
    this.#entries.get(idlest)!.live = false;
    this.#entries.delete(idlest);
  }
}

function recordInto(entry: Entry, time: number, value: number): void {
  entry.series.record(time, value);
  entry.sampleCount += 1;
  entry.sum += value;
  entry.last = value;
  const minute = Math.floor(time / MINUTE_MS) * MINUTE_MS;
  if (entry.changedSince === undefined || minute < entry.changedSince) entry.changedSince = minute;
}

/** One string per series: its namespace, name and dimension set, whatever the order of the dimensions. */
export function seriesKeyOf(identity: MetricIdentity): string {
  const dimensions = Object.keys(identity.dimensions)
    .sort()
    .map((name) => `${name}=${identity.dimensions[name]}`)
    .join('\u0000');
  return `${identity.namespace}\u0001${identity.name}\u0001${dimensions}`;
}

function includes(dimensions: Dimensions, filter: Dimensions): boolean {
  for (const [name, value] of Object.entries(filter)) if (dimensions[name] !== value) return false;
  return true;
}
