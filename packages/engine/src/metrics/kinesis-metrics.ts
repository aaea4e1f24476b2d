import { KINESIS_NAMESPACE, MetricRegistry, type SeriesHandle } from '@riffle/metrics';
import type { StreamRecord } from '@riffle/storage';
import type { Clock } from '../clock.js';
import { shardIdOf } from '../shard-id.js';

/** What one call did to one shard, for the shard-level metrics. */
export interface ShardWrite {
  readonly shardIndex: number;
  readonly records: number;
  readonly bytes: number;
  readonly throttled: number;
}

export interface PutRecordsOutcome {
  readonly total: number;
  readonly successful: number;
  readonly failed: number;
  readonly throttled: number;
  /** Data bytes of the records stored. */
  readonly bytes: number;
  readonly shards: readonly ShardWrite[];
}

export interface ReadOutcome {
  readonly shardIndex: number;
  readonly records: number;
  readonly bytes: number;
  readonly iteratorAgeMs: number;
}

type StreamMetricName =
  | 'IncomingBytes'
  | 'IncomingRecords'
  | 'PutRecord.Bytes'
  | 'PutRecord.Latency'
  | 'PutRecord.Success'
  | 'PutRecords.Bytes'
  | 'PutRecords.Latency'
  | 'PutRecords.Success'
  | 'PutRecords.TotalRecords'
  | 'PutRecords.SuccessfulRecords'
  | 'PutRecords.FailedRecords'
  | 'PutRecords.ThrottledRecords'
  | 'GetRecords.Bytes'
  | 'GetRecords.IteratorAgeMilliseconds'
  | 'GetRecords.Latency'
  | 'GetRecords.Records'
  | 'GetRecords.Success'
  | 'ReadProvisionedThroughputExceeded'
  | 'WriteProvisionedThroughputExceeded';

type ConsumerMetricName =
  | 'SubscribeToShard.RateExceeded'
  | 'SubscribeToShard.Success'
  | 'SubscribeToShardEvent.Bytes'
  | 'SubscribeToShardEvent.MillisBehindLatest'
  | 'SubscribeToShardEvent.Records'
  | 'SubscribeToShardEvent.Success';

type ShardMetricName =
  | 'IncomingBytes'
  | 'IncomingRecords'
  | 'IteratorAgeMilliseconds'
  | 'OutgoingBytes'
  | 'OutgoingRecords'
  | 'ReadProvisionedThroughputExceeded'
  | 'WriteProvisionedThroughputExceeded';

/**
 * The AWS/Kinesis metrics of one account, as Kinesis sends them to CloudWatch: stream-level ones always (dimension
 * StreamName, plus ConsumerName for enhanced fan-out), shard-level ones (StreamName and ShardId) only for those
 * EnableEnhancedMonitoring turned on for the stream. One sample per call (per shard for shard-level metrics), so
 * that Sum, Average, Minimum and Maximum mean what AWS's metric descriptions say. Bytes are data bytes; the
 * `*.Success` metrics are 1 or 0 per call; throttle metrics count what was refused (0 for a call with none).
 * Handles are cached per stream, so that a call costs a few additions, not a key built per sample.
 */
export class KinesisMetrics {
  readonly #streams = new Map<string, Map<string, SeriesHandle>>();

  constructor(
    readonly registry: MetricRegistry,
    private readonly clock: Clock,
  ) {}

  putRecord(stream: StreamRecord, latencyMs: number, write: ShardWrite | undefined, failed: boolean): void {
    const now = this.clock.now();
    const stored = write !== undefined && write.records > 0;
    this.#stream(stream, 'PutRecord.Latency').record(now, latencyMs);
    this.#stream(stream, 'PutRecord.Success').record(now, stored ? 1 : 0);
    if (failed) return;
    this.#stream(stream, 'WriteProvisionedThroughputExceeded').record(now, write?.throttled ?? 0);
    if (stored) {
      this.#stream(stream, 'PutRecord.Bytes').record(now, write.bytes);
      this.#stream(stream, 'IncomingBytes').record(now, write.bytes);
      this.#stream(stream, 'IncomingRecords').record(now, write.records);
    }
    if (write !== undefined) this.#shardWrites(stream, now, [write]);
  }

  putRecords(stream: StreamRecord, latencyMs: number, outcome: PutRecordsOutcome | undefined): void {
    const now = this.clock.now();
    this.#stream(stream, 'PutRecords.Latency').record(now, latencyMs);
    this.#stream(stream, 'PutRecords.Success').record(now, outcome !== undefined && outcome.successful > 0 ? 1 : 0);
    if (outcome === undefined) return;
    this.#stream(stream, 'PutRecords.TotalRecords').record(now, outcome.total);
    this.#stream(stream, 'PutRecords.SuccessfulRecords').record(now, outcome.successful);
    this.#stream(stream, 'PutRecords.FailedRecords').record(now, outcome.failed);
    this.#stream(stream, 'PutRecords.ThrottledRecords').record(now, outcome.throttled);
    this.#stream(stream, 'WriteProvisionedThroughputExceeded').record(now, outcome.throttled);
    if (outcome.successful > 0) {
      this.#stream(stream, 'PutRecords.Bytes').record(now, outcome.bytes);
      this.#stream(stream, 'IncomingBytes').record(now, outcome.bytes);
      this.#stream(stream, 'IncomingRecords').record(now, outcome.successful);
    }
    this.#shardWrites(stream, now, outcome.shards);
  }

  /** A GetRecords call on a stream that exists: `read` when it answered, 'throttled' or 'failed' otherwise. */
  getRecords(stream: StreamRecord, shardIndex: number, latencyMs: number, read: ReadOutcome | 'throttled' | 'failed'): void {
    const now = this.clock.now();
    this.#stream(stream, 'GetRecords.Latency').record(now, latencyMs);
    this.#stream(stream, 'GetRecords.Success').record(now, typeof read === 'object' ? 1 : 0);
    if (read === 'failed') return;
    const throttled = read === 'throttled' ? 1 : 0;
    this.#stream(stream, 'ReadProvisionedThroughputExceeded').record(now, throttled);
    this.#shard(stream, shardIndex, 'ReadProvisionedThroughputExceeded')?.record(now, throttled);
    if (read === 'throttled') return;
    this.#stream(stream, 'GetRecords.Bytes').record(now, read.bytes);
    this.#stream(stream, 'GetRecords.Records').record(now, read.records);
    this.#stream(stream, 'GetRecords.IteratorAgeMilliseconds').record(now, read.iteratorAgeMs);
    this.#shardReads(stream, now, read);
  }

  subscribed(stream: StreamRecord, consumerName: string): void {
    this.#consumer(stream, consumerName, 'SubscribeToShard.Success').record(this.clock.now(), 1);
  }

  /** A subscription refused because another one of the consumer on the shard is active (ResourceInUseException). */
  subscriptionRefused(stream: StreamRecord, consumerName: string): void {
    this.#consumer(stream, consumerName, 'SubscribeToShard.RateExceeded').record(this.clock.now(), 1);
  }

  subscriptionEvent(stream: StreamRecord, consumerName: string, read: ReadOutcome): void {
    const now = this.clock.now();
    this.#consumer(stream, consumerName, 'SubscribeToShardEvent.Success').record(now, 1);
    this.#consumer(stream, consumerName, 'SubscribeToShardEvent.Records').record(now, read.records);
    this.#consumer(stream, consumerName, 'SubscribeToShardEvent.Bytes').record(now, read.bytes);
    this.#consumer(stream, consumerName, 'SubscribeToShardEvent.MillisBehindLatest').record(now, read.iteratorAgeMs);
    if (read.records > 0) this.#shardReads(stream, now, read);
  }

  /** A deleted stream's handles (its series stay, as CloudWatch keeps a deleted stream's metrics). */
  forgetStream(streamKey: string): void {
    this.#streams.delete(streamKey);
  }

  #shardWrites(stream: StreamRecord, now: number, writes: readonly ShardWrite[]): void {
    if (stream.shardLevelMetrics.length === 0) return;
    for (const write of writes) {
      this.#shard(stream, write.shardIndex, 'WriteProvisionedThroughputExceeded')?.record(now, write.throttled);
      if (write.records === 0) continue;
      this.#shard(stream, write.shardIndex, 'IncomingBytes')?.record(now, write.bytes);
      this.#shard(stream, write.shardIndex, 'IncomingRecords')?.record(now, write.records);
    }
  }

  #shardReads(stream: StreamRecord, now: number, read: ReadOutcome): void {
    if (stream.shardLevelMetrics.length === 0) return;
    this.#shard(stream, read.shardIndex, 'OutgoingBytes')?.record(now, read.bytes);
    this.#shard(stream, read.shardIndex, 'OutgoingRecords')?.record(now, read.records);
    this.#shard(stream, read.shardIndex, 'IteratorAgeMilliseconds')?.record(now, read.iteratorAgeMs);
  }

  #handles(stream: StreamRecord): Map<string, SeriesHandle> {
    let handles = this.#streams.get(stream.streamKey);
    if (handles === undefined) this.#streams.set(stream.streamKey, (handles = new Map()));
    return handles;
  }

  #stream(stream: StreamRecord, name: StreamMetricName): SeriesHandle {
    return this.#cached(stream, name, () => ({ StreamName: stream.name }));
  }

  #consumer(stream: StreamRecord, consumerName: string, name: ConsumerMetricName): SeriesHandle {
    return this.#cached(stream, `${name}\u0000${consumerName}`, () => ({ StreamName: stream.name, ConsumerName: consumerName }), name);
  }

  /** Undefined unless enhanced monitoring is on for this metric of the stream. */
  #shard(stream: StreamRecord, shardIndex: number, name: ShardMetricName): SeriesHandle | undefined {
    if (!stream.shardLevelMetrics.includes(name)) return undefined;
    const shardId = shardIdOf(shardIndex);
    return this.#cached(stream, `${name}\u0000${shardId}`, () => ({ StreamName: stream.name, ShardId: shardId }), name);
  }

  #cached(stream: StreamRecord, key: string, dimensions: () => Record<string, string>, name = key): SeriesHandle {
    const handles = this.#handles(stream);
    let handle = handles.get(key);
    if (handle === undefined) {
      handle = this.registry.handle({ namespace: KINESIS_NAMESPACE, name, dimensions: dimensions() });
      handles.set(key, handle);
    }
    return handle;
  }
}
