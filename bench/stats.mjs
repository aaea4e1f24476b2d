// Latency samples and the derived numbers the report shows.

export class LatencySamples {
  #values = [];

  add(milliseconds) {
    this.#values.push(milliseconds);
  }

  get count() {
    return this.#values.length;
  }

  /** Nearest-rank percentile, p in (0, 100]; undefined when there are no samples. */
  percentile(p) {
    if (this.#values.length === 0) return undefined;
    const sorted = Float64Array.from(this.#values).sort();
    const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
    return sorted[rank - 1];
  }
}

export function perSecond(count, elapsedMs) {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : undefined;
}

/** Payload megabytes (10^6 bytes) per second. */
export function megabytesPerSecond(bytes, elapsedMs) {
  return elapsedMs > 0 ? bytes / 1e6 / (elapsedMs / 1000) : undefined;
}

/** Metric helpers: every metric says its unit and which direction is better, so ratios can be oriented. */
export const metric = {
  throughput: (value) => ({ value, unit: 'records/s', better: 'higher' }),
  bandwidth: (value) => ({ value, unit: 'MB/s', better: 'higher' }),
  latency: (value) => ({ value, unit: 'ms', better: 'lower' }),
  /** A difference of two times that can be near zero or negative (delivery minus acknowledgement): no ratio. */
  latencyDifference: (value) => ({ value, unit: 'ms', better: 'lower', ratio: false }),
  count: (value) => ({ value, unit: 'records', better: 'none' }),
  memory: (bytes) => ({ value: bytes === undefined ? undefined : bytes / (1024 * 1024), unit: 'MiB', better: 'lower' }),
};
