import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  formatPrometheus,
  kinesisPrometheusFamilies,
  RIFFLE_NAMESPACE,
  type AccountRegistry,
  type MetricRegistry,
  type PrometheusFamily,
  type PrometheusSample,
  type SeriesHandle,
} from '@riffle/metrics';
import type { Engine } from '@riffle/engine';
import type { StorageStatistics } from '@riffle/storage';
import type { RequestCompletion } from '@riffle/wire';

/** One open account, as `/metrics` reads it. */
export interface MeteredAccount extends AccountRegistry {
  readonly engine: Engine;
  readonly storage: StorageStatistics | undefined;
}

export interface ServerMetricsOptions {
  readonly accounts: () => readonly MeteredAccount[];
  readonly connections: () => number;
  /** Summed into riffle_storage_bytes; undefined with the memory store. */
  readonly dataDir: string | undefined;
  readonly version: string;
  /** Where Riffle's own per-minute metrics go (namespace Riffle): the primary account's registry. */
  readonly registry: MetricRegistry;
}

interface OperationCounters {
  readonly service: string;
  readonly operation: string;
  readonly byStatus: Map<number, number>;
  readonly requests: SeriesHandle;
  readonly errors: SeriesHandle;
}

/** How often the data directory's size is measured (a walk of its files, off the request path). */
const DISK_USAGE_INTERVAL_MS = 30_000;
/** How often the gauges of the Riffle namespace are sampled into the per-minute registry. */
const SAMPLE_INTERVAL_MS = 10_000;

/**
 * Riffle's own metrics beside the AWS/Kinesis ones: requests by service, operation and status (counted by the
 * request pipeline's completion hook), connections, streams and shards, the store's syncs and size on disk, and the
 * process (CPU, memory, event-loop delay), under Prometheus's conventional names.
 */
export class ServerMetrics {
  readonly #options: ServerMetricsOptions;
  /** Per service and operation: answers by HTTP status, and its Requests and RequestErrors series. */
  readonly #operations = new Map<string, OperationCounters>();
  readonly #loopDelay = monitorEventLoopDelay({ resolution: 20 });
  readonly #startedAt = Date.now();
  #diskBytes: number | undefined;
  #diskTimer: NodeJS.Timeout | undefined;
  readonly #sampleTimer: NodeJS.Timeout;
  /** Per-minute series of the Riffle namespace's gauges. */
  readonly #minuteHandles = new Map<string, SeriesHandle>();
  #lastSample: { at: number; cpu: NodeJS.CpuUsage; syncRounds: number; syncSeconds: number } | undefined;

  constructor(options: ServerMetricsOptions) {
    this.#options = options;
    this.#loopDelay.enable();
    if (options.dataDir !== undefined) {
      const measure = () => void directorySize(options.dataDir!).then((bytes) => (this.#diskBytes = bytes), () => undefined);
      measure();
      this.#diskTimer = setInterval(measure, DISK_USAGE_INTERVAL_MS);
      this.#diskTimer.unref();
    }
    this.#sampleTimer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
    this.#sampleTimer.unref();
  }

  /** Records the gauges of the Riffle namespace once (every 10 s by the timer). */
  sample(now = Date.now()): void {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    let syncRounds = 0;
    let syncSeconds = 0;
    for (const { storage } of this.#options.accounts()) {
      syncRounds += storage?.syncRounds ?? 0;
      syncSeconds += storage?.syncSeconds ?? 0;
    }
    this.#minute('Connections').record(now, this.#options.connections());
    this.#minute('ResidentMemoryBytes').record(now, memory.rss);
    this.#minute('HeapUsedBytes').record(now, memory.heapUsed);
    if (this.#diskBytes !== undefined) this.#minute('StorageBytes').record(now, this.#diskBytes);
    const last = this.#lastSample;
    if (last !== undefined && now > last.at) {
      const cpuMs = (cpu.user - last.cpu.user + cpu.system - last.cpu.system) / 1000;
      this.#minute('CpuPercent').record(now, (100 * cpuMs) / (now - last.at));
      this.#minute('StorageSyncRounds').record(now, syncRounds - last.syncRounds);
      this.#minute('StorageSyncMilliseconds').record(now, (syncSeconds - last.syncSeconds) * 1000);
      this.#minute('EventLoopDelayMilliseconds').record(now, nanosToSeconds(this.#loopDelay.percentile(99)) * 1000);
      this.#loopDelay.reset();
    }
    this.#lastSample = { at: now, cpu, syncRounds, syncSeconds };
  }

  /** A gauge of the Riffle namespace (no dimensions). */
  #minute(name: string): SeriesHandle {
    let handle = this.#minuteHandles.get(name);
    if (handle === undefined) {
      handle = this.#options.registry.handle({ namespace: RIFFLE_NAMESPACE, name, dimensions: {} });
      this.#minuteHandles.set(name, handle);
    }
    return handle;
  }

  /** The request pipeline's completion hook. */
  readonly onRequestComplete = (completion: RequestCompletion): void => {
    const { targetPrefix, operation } = completion.context;
    const key = `${targetPrefix}.${operation}`;
    let counters = this.#operations.get(key);
    if (counters === undefined) {
      const dimensions = { Service: targetPrefix, Operation: operation };
      counters = {
        service: targetPrefix,
        operation,
        byStatus: new Map(),
        requests: this.#options.registry.handle({ namespace: RIFFLE_NAMESPACE, name: 'Requests', dimensions }),
        errors: this.#options.registry.handle({ namespace: RIFFLE_NAMESPACE, name: 'RequestErrors', dimensions }),
      };
      this.#operations.set(key, counters);
    }
    const status = completion.status;
    counters.byStatus.set(status, (counters.byStatus.get(status) ?? 0) + 1);
    const now = Date.now();
    counters.requests.record(now, 1);
    if (status >= 400) counters.errors.record(now, 1);
  };

  /** The whole `/metrics` answer. */
  prometheusText(): string {
    const accounts = this.#options.accounts();
    return formatPrometheus([...kinesisPrometheusFamilies(accounts), ...this.#ownFamilies(accounts)]);
  }

  close(): void {
    this.#loopDelay.disable();
    clearInterval(this.#sampleTimer);
    if (this.#diskTimer) clearInterval(this.#diskTimer);
  }

  #ownFamilies(accounts: readonly MeteredAccount[]): PrometheusFamily[] {
    const streams: PrometheusSample[] = [];
    const shards: PrometheusSample[] = [];
    const series: PrometheusSample[] = [];
    const syncRounds: PrometheusSample[] = [];
    const syncedFiles: PrometheusSample[] = [];
    const syncSeconds: PrometheusSample[] = [];
    for (const { account, engine, registry, storage } of accounts) {
      const byStatus = new Map<string, number>();
      let openShards = 0;
      for (const stream of engine.listStreams()) {
        byStatus.set(stream.status, (byStatus.get(stream.status) ?? 0) + 1);
        for (const shard of stream.shards) if (shard.endingSequenceNumber === undefined) openShards++;
      }
      for (const [status, count] of byStatus) streams.push({ labels: { account, status }, value: count });
      shards.push({ labels: { account }, value: openShards });
      series.push({ labels: { account }, value: registry.seriesCount });
      if (storage) {
        syncRounds.push({ labels: { account }, value: storage.syncRounds });
        syncedFiles.push({ labels: { account }, value: storage.syncedFiles });
        syncSeconds.push({ labels: { account }, value: storage.syncSeconds });
      }
    }
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const families: PrometheusFamily[] = [
      { name: 'riffle_build_info', type: 'gauge', help: 'Always 1; the version of Riffle serving', samples: [{ labels: { version: this.#options.version }, value: 1 }] },
      { name: 'riffle_api_requests_total', type: 'counter', help: 'API requests answered, by service (X-Amz-Target prefix), operation and HTTP status', samples: [...this.#operations.values()].flatMap(({ service, operation, byStatus }) => [...byStatus].map(([status, count]) => ({ labels: { service, operation, status: String(status) }, value: count }))) },
      { name: 'riffle_connections', type: 'gauge', help: 'Connections open on the API port', samples: [{ value: this.#options.connections() }] },
      { name: 'riffle_streams', type: 'gauge', help: 'Streams, by account and status', samples: streams },
      { name: 'riffle_open_shards', type: 'gauge', help: 'Open shards, by account', samples: shards },
      { name: 'riffle_metric_series', type: 'gauge', help: 'Metric series kept (a day of minutes each), by account', samples: series },
      { name: 'riffle_storage_sync_rounds_total', type: 'counter', help: 'Group-commit rounds of the file store (one fsync per dirty file each)', samples: syncRounds },
      { name: 'riffle_storage_synced_files_total', type: 'counter', help: 'Files fsynced by the file store', samples: syncedFiles },
      { name: 'riffle_storage_sync_seconds_total', type: 'counter', help: 'Time the file store\'s sync rounds took', samples: syncSeconds },
      { name: 'process_cpu_seconds_total', type: 'counter', help: 'User and system CPU time spent', samples: [{ value: (cpu.user + cpu.system) / 1e6 }] },
      { name: 'process_resident_memory_bytes', type: 'gauge', help: 'Resident memory size', samples: [{ value: memory.rss }] },
      { name: 'process_start_time_seconds', type: 'gauge', help: 'Start time of the process since the Unix epoch', samples: [{ value: Math.floor(this.#startedAt / 1000) }] },
      { name: 'nodejs_heap_used_bytes', type: 'gauge', help: 'V8 heap in use', samples: [{ value: memory.heapUsed }] },
      { name: 'nodejs_eventloop_delay_seconds', type: 'gauge', help: 'Event-loop delay over the last 10 s: mean and 99th percentile', samples: [
        { labels: { quantile: 'mean' }, value: nanosToSeconds(this.#loopDelay.mean) },
        { labels: { quantile: '0.99' }, value: nanosToSeconds(this.#loopDelay.percentile(99)) },
      ] },
    ];
    if (this.#diskBytes !== undefined) {
      families.push({ name: 'riffle_storage_bytes', type: 'gauge', help: 'Bytes in the data directory (measured every 30 s)', samples: [{ value: this.#diskBytes }] });
    }
    return families;
  }
}

function nanosToSeconds(nanos: number): number {
  return Number.isFinite(nanos) ? nanos / 1e9 : 0;
}

/** The bytes of every file under `directory`; a file that vanishes meanwhile counts 0. */
async function directorySize(directory: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) total += await directorySize(path);
    else if (entry.isFile()) total += await stat(path).then((info) => info.size, () => 0);
  }
  return total;
}
