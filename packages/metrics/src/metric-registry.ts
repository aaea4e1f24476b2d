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
const DEFAULT_MAX_SERIES = 100_000;

interface Entry {
  readonly identity: MetricIdentity;
  readonly series: MinuteSeries;
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
    this.#entry(identity).series.record(time, value);
  }

  /**
   * Datapoints of one metric. Dimensions must match exactly, as CloudWatch's GetMetricStatistics requires
   * (a metric is its dimension set). `origin` and `subMinute` as in MinuteSeries.query.
   */
  query(identity: MetricIdentity, start: number, end: number, periodMs: number, origin?: number, subMinute?: boolean): Datapoint[] {
    return this.#entries.get(keyOf(identity))?.series.query(start, end, periodMs, origin, subMinute) ?? [];
  }

  /** The start of the newest minute with data of one metric (exact dimensions), or undefined. */
  latestMinuteOf(identity: MetricIdentity): number | undefined {
    const latest = this.#entries.get(keyOf(identity))?.series.latestMinute;
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
    for (const [key, entry] of this.#entries) if (includes(entry.identity.dimensions, filter)) this.#entries.delete(key);
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
    const key = keyOf(identity);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      if (this.#entries.size >= this.#maxSeries) this.#dropIdlest();
      entry = { identity: { namespace: identity.namespace, name: identity.name, dimensions: { ...identity.dimensions } }, series: new MinuteSeries(this.#retentionMinutes) };
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
    if (idlest !== undefined) this.#entries.delete(idlest);
  }
}

function keyOf(identity: MetricIdentity): string {
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
