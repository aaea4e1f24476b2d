import { randomBytes } from 'node:crypto';
import {
  MetadataConflictError,
  ShardLogFencedError,
  storedRecordSize,
  streamVersionOf,
  type ConsumerRecord,
  type DataPlaneUsage,
  type MetadataSnapshot,
  type ObjectStore,
  type ShardLog,
  type ShardRecord,
  type Storage,
  type StoredRecord,
  type StreamChangeEvent,
  type StreamRecord,
  type StreamUpdate,
} from '@riffle/storage';
import { ChannelRegistry } from './channels/channel-registry.js';
import type { ChannelSource } from './channels/channel-source.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import type { EngineConfig } from './engine-config.js';
import { EngineError, type ShardIteratorType } from './engine-error.js';
import { hashKeyOf, initialHashRanges, parseExplicitHashKey, type HashKeyRange } from './hash-key.js';
import { KINESIS_LIMITS } from './kinesis-limits.js';
import {
  decodeSequenceNumber,
  encodeSequenceNumber,
  MAX_SEQUENCE_COUNTER,
  offsetOfCounter,
  ShardSequenceNumbers,
  startingSequenceNumber,
} from './sequence-number.js';
import {
  foldPeak,
  onDemandWriteCapacity,
  shardsForCapacity,
  WriteRateTracker,
} from './on-demand-capacity.js';
import { mergeShards, openShards, scaleUniformly, splitHottest, splitShard, type ReshardResult } from './resharding.js';
import { SerialQueue } from './serial-queue.js';
import { resolveShardIndex, shardIdOf } from './shard-id.js';
import { SHARD_ITERATOR_TTL_MS, ShardIteratorCodec } from './shard-iterator.js';
import { ShardRouter } from './shard-router.js';
import {
  isExpiredShard,
  streamSnapshotOf,
  type EncryptionType,
  type ShardLevelMetric,
  type StreamMode,
  type StreamSnapshot,
  type StreamStatus,
} from './stream-snapshot.js';
import { checkTagsToAdd, sortedTags, withoutTags, withTags } from './tag-rules.js';
import { TokenBucket } from './throughput/token-bucket.js';
import { WriteGate } from './write-gate.js';
import { consumerArnOf, consumerSnapshotOf, type ConsumerSnapshot } from './consumer-snapshot.js';
import { ShardAppendSignal } from './fan-out/shard-append-signal.js';
import {
  Subscription,
  SUBSCRIPTION_BYTES_PER_SECOND,
  SUBSCRIPTION_EVENT_MAX_BYTES,
  SUBSCRIPTION_HEARTBEAT_MS,
  SUBSCRIPTION_LIFETIME_MS,
  SUBSCRIPTION_TAKEOVER_MS,
} from './fan-out/subscription.js';
import { encryptionChangeAt, retainedEncryptionHistory, storedEncrypted } from './encryption-history.js';
import { DataKeys } from './encryption/data-keys.js';
import { Keyring } from './encryption/keyring.js';
import { dataKeyIdOf, undecryptable, type RecordCipher } from './encryption/record-cipher.js';
import { checkPolicyDocument } from './resource-policy.js';
import {
  billingCommitmentAt,
  NO_BILLING_COMMITMENT,
  updatedBillingCommitment,
  type BillingCommitment,
} from './billing-commitment.js';
import { DataPlaneGate, writeRefusalError, type WriteRefusal } from './throughput/data-plane-gate.js';
import { MetricRegistry } from '@riffle/metrics';
import { KinesisMetrics, type PutRecordsOutcome, type ReadOutcome, type ShardWrite } from './metrics/kinesis-metrics.js';

export interface EngineOptions {
  readonly storage: Storage;
  readonly clock?: Clock;
  readonly config: EngineConfig;
  /** Where channels deliver (the local S3 buckets); without it channels are managed but deliver nothing. */
  readonly objects?: ObjectStore;
  /**
   * The keyring of encryption at rest, asked for at its first need, at most once (again only if that failed):
   * `read` at open, when the metadata holds data keys (a new master key would open none of them), or `encrypt`
   * at the first StartStreamEncryption. Without it, a keyring with a random master key lives as long as the
   * engine: what it encrypts cannot be read by another engine.
   */
  readonly keyring?: (need: KeyringNeed) => Keyring | Promise<Keyring>;
  /** Where the account's AWS/Kinesis metrics go (a registry of its own when absent). */
  readonly metrics?: MetricRegistry;
  /** Milliseconds for the Latency metrics; a monotonic clock by default (not `clock`, which is wall time). */
  readonly elapsed?: () => number;
  /** Distributed mode: this Riffle node's stable id (it names the channels it keeps). */
  readonly nodeId?: string;
}

export type KeyringNeed = 'read' | 'encrypt';

export interface CreateStreamInput {
  readonly name: string;
  /** Required for PROVISIONED; ignored for ON_DEMAND, which starts with 4 shards. */
  readonly shardCount?: number;
  readonly mode: StreamMode;
  readonly tags?: Readonly<Record<string, string>>;
  readonly maxRecordSizeKiB?: number;
  /** On-demand streams of accounts with the billing commitment only. */
  readonly warmThroughputMiBps?: number;
  /** On-demand streams only; USER_PARTITION_KEY when absent. */
  readonly recordDistribution?: 'AUTO' | 'USER_PARTITION_KEY';
}

export interface PutRecordEntry {
  readonly data: Uint8Array;
  /** Required unless the stream distributes records AUTO, which ignores it (and ExplicitHashKey). */
  readonly partitionKey: string | undefined;
  readonly explicitHashKey?: string;
}

export interface PutRecordResult {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly encryptionType: EncryptionType;
}

/**
 * Per entry: where it was stored, or why not. InternalFailure (its shard's storage failed) carries no message:
 * the API layer words it.
 */
export type PutRecordsResultEntry =
  | PutRecordResult
  | WriteRefusal
  | { readonly errorCode: 'InternalFailure' }
  | { readonly errorCode: string; readonly errorMessage: string };

/** DryRun (2026-09): check everything a call would check, then answer DryRunOperationException instead of doing it. */
export interface DryRunOption {
  readonly dryRun?: boolean;
}

export interface ShardIteratorOptions extends DryRunOption {
  readonly startingSequenceNumber?: string;
  /** Epoch ms, for AT_TIMESTAMP. */
  readonly timestamp?: number;
}

export interface GetRecordsOptions extends DryRunOption {
  /** 1..10000; default 10000. */
  readonly limit?: number;
  /** When the request named its stream (StreamARN), the iterator must belong to it. */
  readonly streamName?: string;
}

export interface RecordView {
  readonly sequenceNumber: string;
  /** Epoch ms. */
  readonly arrivalTime: number;
  readonly data: Uint8Array;
  readonly partitionKey: string;
  readonly encryptionType: EncryptionType;
}

export interface ChildShard {
  readonly shardId: string;
  readonly parentShards: string[];
  readonly hashKeyRange: HashKeyRange;
}

export interface GetRecordsResult {
  readonly records: readonly RecordView[];
  /** Absent once a closed shard has been read to its end. */
  readonly nextShardIterator?: string;
  readonly millisBehindLatest: number;
  /** Present exactly when nextShardIterator is absent. */
  readonly childShards?: readonly ChildShard[];
}

/** One SubscribeToShardEvent. */
export interface SubscriptionEvent {
  readonly records: readonly RecordView[];
  /** Absent in the last event of a closed shard, as on AWS. */
  readonly continuationSequenceNumber?: string;
  readonly millisBehindLatest: number;
  /** In the last event of a closed shard, after which the subscription ends. */
  readonly childShards?: readonly ChildShard[];
}

export interface AccountLimits {
  readonly shardLimit: number;
  readonly openShardCount: number;
  readonly onDemandStreamCount: number;
  readonly onDemandStreamCountLimit: number;
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** A consumer of a stream, by name and, from its ARN, the registration (creation second) it names. */
export interface ConsumerAddress {
  readonly name: string;
  readonly createdAtSeconds?: number;
}

export interface ShardLevelMetricsChange {
  readonly current: ShardLevelMetric[];
  readonly desired: ShardLevelMetric[];
}

/** The seven shard-level metrics, in the order AWS lists them for `ALL` (aws-cli examples enable-enhanced-monitoring.rst). */
export const SHARD_LEVEL_METRICS: readonly ShardLevelMetric[] = [
  'IncomingBytes',
  'OutgoingRecords',
  'IteratorAgeMilliseconds',
  'IncomingRecords',
  'ReadProvisionedThroughputExceeded',
  'WriteProvisionedThroughputExceeded',
  'OutgoingBytes',
];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const ITERATOR_KEY_SETTING = 'shardIteratorKey';
const BILLING_COMMITMENT_SETTING = 'minimumThroughputBillingCommitment';
/** How often on-demand streams are checked for the shards their capacity needs, when the config does not say. */
const DEFAULT_ON_DEMAND_SCALING_CHECK_MS = 60_000;
const TRANSITION_RETRY_MS = 1_000;
/** Runs of one control-plane operation whose commits another node's changes may refuse before it gives up. */
const CONFLICT_ATTEMPTS = 5;
/** Times an append refused by a fence is routed again before it fails. */
const REROUTE_ATTEMPTS = 3;
/** Waits for the record a fence was for (see #streamAtRevision): about 2 s in all. */
const FENCE_WAIT_ATTEMPTS = 40;
const FENCE_WAIT_MS = 50;
/** How often expired records are trimmed (and whole expired segments deleted) when the config does not say. */
const DEFAULT_RETENTION_CHECK_MS = 60_000;

/**
 * Kinesis Data Streams semantics over a Storage: streams and their lifecycle, routing, sequence numbers,
 * iterators, retention and tags. Wire-agnostic: streams are addressed by name and errors are EngineErrors.
 * Control-plane changes run one at a time; reads and writes of records run concurrently.
 */
export class Engine {
  readonly config: EngineConfig;
  readonly clock: Clock;
  /** CreateChannel and the other channel operations, and channel delivery (channels/). */
  readonly channels: ChannelRegistry;
  /** The account's AWS/Kinesis metrics, per minute (CloudWatch's GetMetricData, `/metrics`, the console). */
  readonly metrics: MetricRegistry;
  readonly #kinesisMetrics: KinesisMetrics;
  readonly #elapsed: () => number;
  readonly #storage: Storage;
  readonly #keyringSource: (need: KeyringNeed) => Keyring | Promise<Keyring>;
  #keyring: Promise<Keyring> | undefined;
  readonly #dataKeys = new DataKeys();
  #iterators: ShardIteratorCodec;
  readonly #control = new SerialQueue();
  #streams = new Map<string, StreamRecord>();
  /** Whether any stream or consumer has a resource policy; undefined: to be counted again after a change. */
  #anyResourcePolicy: boolean | undefined;
  readonly #timers = new Map<string, TimerHandle>();
  readonly #logs = new Map<string, Map<number, Promise<ShardLog>>>();
  readonly #routers = new WeakMap<StreamRecord, ShardRouter>();
  readonly #gates = new Map<string, WriteGate>();
  readonly #writeRates = new WriteRateTracker();
  /** Round-robin position of AUTO record distribution, per stream. */
  readonly #autoNext = new Map<string, number>();
  readonly #dryRuns = new Map<string, TokenBucket>();
  readonly #appendSignal = new ShardAppendSignal();
  /** The latest SubscribeToShard of each consumer and shard. */
  readonly #subscriptions = new Map<string, Subscription>();
  #billingCommitment = NO_BILLING_COMMITMENT;
  /** The setting as stored, which a change names as the value it replaces. */
  #billingCommitmentSetting: string | undefined;
  /** Stops listening to other nodes' data-plane use (distributed mode). */
  #stopPeerUsage: (() => void) | undefined;
  /** Opening the data keys the last followed snapshot brought. */
  #followedDataKeys: Promise<void> = Promise.resolve();
  /** Throughput limits and injected faults of the data plane. */
  readonly #dataPlane: DataPlaneGate;
  #retentionTimer: TimerHandle | undefined;
  #scalingTimer: TimerHandle | undefined;
  #sweeping: Promise<void> | undefined;
  #closed = false;

  constructor(options: EngineOptions) {
    this.config = options.config;
    this.clock = options.clock ?? systemClock;
    this.#storage = options.storage;
    this.metrics = options.metrics ?? new MetricRegistry();
    this.#kinesisMetrics = new KinesisMetrics(this.metrics, this.clock);
    this.#elapsed = options.elapsed ?? (() => performance.now());
    this.#keyringSource = options.keyring ?? (() => Keyring.generate());
    this.#iterators = new ShardIteratorCodec(options.config.iteratorKey);
    this.#dataPlane = new DataPlaneGate({
      clock: this.clock,
      throughputLimits: options.config.throughputLimits ?? true,
      faults: options.config.faultInjection,
    });
    this.channels = new ChannelRegistry({
      config: this.config,
      clock: this.clock,
      metadata: this.#storage.metadata,
      objects: options.objects,
      source: this.#channelSource(),
      run: (task) => this.#controlled(task),
      streamArn: (name) => this.streamArn(name),
      ...(options.nodeId === undefined ? {} : { homeNode: options.nodeId }),
    });
  }

  /** Creates an engine and loads its metadata. */
  static async open(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    await engine.open();
    return engine;
  }

  /** Loads metadata and resumes lifecycle transitions that were pending when the store was last written. */
  async open(): Promise<void> {
    const snapshot = await this.#storage.metadata.load();
    if (this.config.iteratorKey === undefined) {
      // Kept with the metadata, so that iterators handed out before a restart still work after it, as on AWS.
      let key = snapshot.settings[ITERATOR_KEY_SETTING];
      if (key === undefined) {
        key = randomBytes(32).toString('base64');
        try {
          await this.#storage.metadata.commit([{ type: 'putSetting', key: ITERATOR_KEY_SETTING, value: key, replaces: null }]);
        } catch (error) {
          // Another node sharing the store made the key first: every node must use one key.
          if (!(error instanceof MetadataConflictError)) throw error;
          key = (await this.#storage.metadata.load()).settings[ITERATOR_KEY_SETTING]!;
        }
      }
      this.#iterators = new ShardIteratorCodec(Buffer.from(key, 'base64'));
    }
    // Every data key is opened now, so that a wrong master key stops the start instead of a later read.
    if (snapshot.dataKeys.length > 0) this.#dataKeys.load(snapshot.dataKeys, await this.#loadKeyring('read'));
    const commitment = snapshot.settings[BILLING_COMMITMENT_SETTING];
    this.#billingCommitmentSetting = commitment;
    if (commitment !== undefined) this.#billingCommitment = JSON.parse(commitment) as BillingCommitment;
    this.#streams = new Map(snapshot.streams.map((stream) => [stream.name, stream]));
    for (const stream of this.#streams.values()) {
      if (stream.status !== 'ACTIVE') this.#scheduleTransition(stream);
      for (const consumer of stream.consumers ?? []) if (consumer.status !== 'ACTIVE') this.#scheduleConsumerTransition(stream.name, consumer);
    }
    // Logs of streams the metadata no longer names: a crash came between deleting the files and the record.
    const live = new Set([...this.#streams.values()].map((stream) => stream.streamKey));
    for (const key of await this.#storage.listStreamKeys()) if (!live.has(key)) await this.#storage.deleteStreamLogs(key);
    await this.channels.open(snapshot.channels);
    this.#stopPeerUsage = this.#storage.cluster?.subscribe((usage) => this.#onPeerUsage(usage));
    this.#scheduleRetentionSweep();
    this.#scheduleOnDemandScaling();
  }

  /** Stops lifecycle timers and waits for control-plane work in flight. Storage belongs to the caller. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stopPeerUsage?.();
    await this.channels.close();
    for (const timer of this.#timers.values()) this.clock.clearTimeout(timer);
    this.#timers.clear();
    if (this.#retentionTimer !== undefined) this.clock.clearTimeout(this.#retentionTimer);
    if (this.#scalingTimer !== undefined) this.clock.clearTimeout(this.#scalingTimer);
    await this.#sweeping;
    await this.#control.drain();
  }

  // ---- streams ----

  streamArn(name: string): string {
    return `arn:aws:kinesis:${this.config.region}:${this.config.accountId}:stream/${name}`;
  }

  createStream(input: CreateStreamInput): Promise<void> {
    return this.#controlled(async () => {
      const { name, mode } = input;
      if (mode === 'PROVISIONED' && input.shardCount === undefined) throw new EngineError('ShardCountRequired');
      if (this.#streams.has(name)) throw new EngineError('StreamExists', { stream: name });
      const streams = [...this.#streams.values()];
      const creating = streams.filter((stream) => stream.status === 'CREATING').length;
      if (creating >= KINESIS_LIMITS.streamsCreatingAtOnce) {
        throw new EngineError('TooManyCreatingStreams', { limit: KINESIS_LIMITS.streamsCreatingAtOnce });
      }
      const shardCount = mode === 'ON_DEMAND' ? KINESIS_LIMITS.onDemandInitialShards : input.shardCount!;
      if (mode === 'ON_DEMAND') {
        const current = this.#onDemandStreamsInQuota();
        const limit = this.config.onDemandStreamCountLimit;
        if (current >= limit) throw new EngineError('OnDemandStreamLimit', { current, limit });
      } else {
        const current = this.#provisionedShardsInQuota();
        const limit = this.config.shardLimit;
        if (current + shardCount > limit) {
          throw new EngineError('ShardLimitExceeded', { current, limit, additional: shardCount });
        }
      }
      const tags = input.tags ?? {};
      checkTagsToAdd(name, tags, []);
      if (input.recordDistribution === 'AUTO' && mode !== 'ON_DEMAND') throw new EngineError('AutoNeedsOnDemand', { stream: name });
      const warm = input.warmThroughputMiBps;
      if (warm !== undefined) {
        if (mode !== 'ON_DEMAND') throw new EngineError('RequiresOnDemand', { operation: 'CreateStream', stream: name });
        this.#checkWarmThroughput(warm);
      }

      const now = this.clock.now();
      const delay = this.config.createStreamMs;
      const stream: StreamRecord = {
        name,
        streamKey: `${name}@${now}`,
        status: delay > 0 ? 'CREATING' : 'ACTIVE',
        ...(delay > 0 ? { transitionDueAt: now + delay } : {}),
        mode,
        createdAt: now,
        retentionHours: KINESIS_LIMITS.defaultRetentionHours,
        encryptionType: 'NONE',
        shardLevelMetrics: [],
        maxRecordSizeKiB: input.maxRecordSizeKiB ?? KINESIS_LIMITS.defaultMaxRecordSizeKiB,
        nextShardIndex: shardCount,
        shards: initialHashRanges(shardCount).map((range, index) => ({
          index,
          hashKeyStart: range.start,
          hashKeyEnd: range.end,
          createdAt: now,
        })),
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
        ...(warm === undefined ? {} : { warmThroughput: { targetMiBps: warm, currentMiBps: warm } }),
        ...(mode === 'ON_DEMAND' && input.recordDistribution !== undefined ? { recordDistribution: input.recordDistribution } : {}),
      };
      await this.#putStream(stream);
      if (stream.status !== 'ACTIVE') this.#scheduleTransition(stream);
      this.#openLogsAhead(stream);
    });
  }

  /**
   * Distributed mode: a shard log's first open makes its JetStream stream (a raft group, 0.1-1 s); made now, while
   * the stream is CREATING or the reshard is answered, rather than by its first write.
   */
  #openLogsAhead(stream: StreamRecord): void {
    if (this.#storage.cluster === undefined) return;
    for (const shard of openShards(stream.shards)) this.#log(stream, shard.index).catch(() => undefined);
  }

  /** `enforceConsumerDeletion` matters once consumers exist; there are none yet. */
  /** With consumers registered, only with `enforceConsumerDeletion`, which removes them with the stream. */
  deleteStream(name: string, options: { enforceConsumerDeletion?: boolean } = {}): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      if ((stream.consumers ?? []).length > 0 && !options.enforceConsumerDeletion) {
        throw new EngineError('StreamHasConsumers', { stream: name });
      }
      this.channels.assertStreamDeletable(name);
      if (this.config.deleteStreamMs <= 0) {
        await this.#removeStream(stream);
        return;
      }
      const deleting: StreamRecord = {
        ...stream,
        status: 'DELETING',
        transitionDueAt: this.clock.now() + this.config.deleteStreamMs,
      };
      await this.#putStream(deleting);
      this.#scheduleTransition(deleting);
    });
  }

  describeStream(name: string): StreamSnapshot {
    return streamSnapshotOf(this.#stream(name), this.streamArn(name), this.clock.now());
  }

  /** Every stream, in any state, sorted by name. */
  listStreams(): StreamSnapshot[] {
    return [...this.#streams.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((stream) => streamSnapshotOf(stream, this.streamArn(stream.name), this.clock.now()));
  }

  describeLimits(): AccountLimits {
    return {
      shardLimit: this.config.shardLimit,
      openShardCount: this.#provisionedOpenShards(),
      onDemandStreamCount: [...this.#streams.values()].filter((stream) => stream.mode === 'ON_DEMAND').length,
      onDemandStreamCountLimit: this.config.onDemandStreamCountLimit,
    };
  }

  // ---- retention ----

  increaseRetention(name: string, hours: number): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      this.#checkRetentionBounds(hours);
      if (hours < stream.retentionHours) {
        throw new EngineError('RetentionNotIncrease', { stream: name, requested: hours, current: stream.retentionHours });
      }
      // What has already expired stays gone: trimmed before the longer period could show it again.
      await this.#trimExpired(stream);
      await this.#putStream({ ...this.#streams.get(name)!, retentionHours: hours });
    });
  }

  decreaseRetention(name: string, hours: number): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      this.#checkRetentionBounds(hours);
      if (hours > stream.retentionHours) {
        throw new EngineError('RetentionNotDecrease', { stream: name, requested: hours, current: stream.retentionHours });
      }
      const updated: StreamRecord = { ...stream, retentionHours: hours };
      await this.#putStream(updated);
      // Trimmed now, so that a later increase cannot bring the hidden records back.
      await this.#trimExpired(updated);
    });
  }

  /**
   * Trims every shard of every stream to its retention period; the file store deletes whole expired segments.
   * Runs on a timer; exposed so that tests can run it at a chosen moment.
   */
  async sweepRetention(): Promise<void> {
    for (const name of [...this.#streams.keys()]) {
      if (this.#closed) return;
      // One stream at a time in the control queue: a stream deleted meanwhile is skipped, never reopened.
      await this.#controlled(async () => {
        const stream = this.#streams.get(name);
        if (!stream || stream.status === 'CREATING' || stream.status === 'DELETING') return;
        try {
          await this.#trimExpired(stream);
        } catch {
          // The disk refused: the next sweep tries again.
        }
      });
    }
  }

  #scheduleRetentionSweep(): void {
    if (this.#closed) return;
    const interval = this.config.retentionCheckMs ?? DEFAULT_RETENTION_CHECK_MS;
    if (interval <= 0) return;
    this.#retentionTimer = this.clock.setTimeout(async () => {
      this.#sweeping = this.sweepRetention();
      await this.#sweeping;
      this.#sweeping = undefined;
      this.#scheduleRetentionSweep();
    }, interval);
  }

  /** Trims every shard to the retention period and forgets closed shards that have expired whole. */
  async #trimExpired(stream: StreamRecord): Promise<void> {
    const now = this.clock.now();
    for (const shard of stream.shards) {
      const log = await this.#log(stream, shard.index);
      const start = await this.#retentionStart(stream, log);
      if (start > log.startOffset) await log.trimBefore(start);
    }
    const kept = stream.shards.filter((shard) => !isExpiredShard(shard, stream, now));
    if (kept.length < stream.shards.length) {
      const current = this.#streams.get(stream.name);
      // Only the record this sweep read: a stream changed meanwhile is trimmed again by the next sweep.
      if (current === stream) await this.#putStream({ ...stream, shards: kept });
    }
  }

  // ---- tags ----

  addTags(name: string, tags: Readonly<Record<string, string>>): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#stream(name);
      checkTagsToAdd(name, tags, stream.tags.map((tag) => tag.key));
      await this.#putStream({ ...stream, tags: withTags(stream.tags, tags) });
    });
  }

  /** Keys the stream does not have are ignored. */
  removeTags(name: string, keys: readonly string[]): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#stream(name);
      await this.#putStream({ ...stream, tags: withoutTags(stream.tags, keys) });
    });
  }

  /** Sorted by key. */
  listTags(name: string): Tag[] {
    return sortedTags(this.#stream(name).tags);
  }


  // ---- resharding ----

  splitShard(name: string, shardId: string, newStartingHashKey: string): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      this.#checkProvisioned(stream, 'SplitShard');
      this.#checkShardQuota(stream, 1);
      const shard = this.#openShardForResharding(stream, shardId);
      const key = BigInt(newStartingHashKey);
      if (key <= shard.hashKeyStart + 1n || key >= shard.hashKeyEnd) {
        throw new EngineError('InvalidSplitHashKey', {
          key: newStartingHashKey,
          shardId: shardIdOf(shard.index),
          stream: name,
          start: shard.hashKeyStart.toString(),
          end: shard.hashKeyEnd.toString(),
        });
      }
      await this.#beginUpdate(stream, { kind: 'split', shardIndex: shard.index, newStartingHashKey: key });
    });
  }

  mergeShards(name: string, shardId: string, adjacentShardId: string): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      this.#checkProvisioned(stream, 'MergeShards');
      const shard = this.#openShardForResharding(stream, shardId);
      const adjacent = this.#openShardForResharding(stream, adjacentShardId);
      if (shard.hashKeyEnd + 1n !== adjacent.hashKeyStart && adjacent.hashKeyEnd + 1n !== shard.hashKeyStart) {
        throw new EngineError('ShardsNotAdjacent', {
          stream: name,
          shardId: shardIdOf(shard.index),
          adjacentShardId: shardIdOf(adjacent.index),
        });
      }
      await this.#beginUpdate(stream, { kind: 'merge', shardIndex: shard.index, adjacentShardIndex: adjacent.index });
    });
  }

  /** UNIFORM_SCALING to `target` open shards; answers the open count before and the target. */
  updateShardCount(name: string, target: number): Promise<{ current: number; target: number }> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      this.#checkProvisioned(stream, 'UpdateShardCount');
      const current = openShards(stream.shards).length;
      const limit = KINESIS_LIMITS.maxShardsPerStream;
      // kinesalite PR #103's order: the per-stream maximum, then double, then half.
      // Nor may a stream above the maximum be scaled to a count that is not below it.
      if (target > limit || (current > limit && target >= limit)) {
        throw new EngineError('TooManyShardsPerStream', { stream: name, target, current, limit });
      }
      if (target > current * 2) throw new EngineError('ScaleUpTooFar', { stream: name, target, current });
      if (target * 2 < current) throw new EngineError('ScaleDownTooFar', { stream: name, target, current });
      this.#checkDailyLimit(stream, 'scale', KINESIS_LIMITS.scalingOperationsPerDay);
      this.#checkShardQuota(stream, target - current);
      await this.#beginUpdate(this.#withChange(stream, 'scale'), { kind: 'scale', targetShardCount: target });
      return { current, target };
    });
  }

  // ---- capacity modes and stream settings ----

  updateStreamMode(name: string, mode: StreamMode, warmThroughputMiBps?: number): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      if (stream.mode === mode) throw new EngineError('StreamModeUnchanged', { stream: name, mode });
      if (warmThroughputMiBps !== undefined) {
        if (mode !== 'ON_DEMAND') throw new EngineError('WarmThroughputNeedsOnDemandTarget');
        this.#checkWarmThroughput(warmThroughputMiBps);
      }
      this.#checkDailyLimit(stream, 'mode', KINESIS_LIMITS.modeSwitchesPerDay);
      if (mode === 'ON_DEMAND') {
        const current = this.#onDemandStreamsInQuota();
        const limit = this.config.onDemandStreamCountLimit;
        if (current >= limit) throw new EngineError('OnDemandStreamLimit', { current, limit });
      } else {
        const additional = openShards(stream.shards).length;
        const current = this.#provisionedShardsInQuota();
        if (current + additional > this.config.shardLimit) {
          throw new EngineError('ShardLimitExceeded', { current, limit: this.config.shardLimit, additional });
        }
      }
      await this.#beginUpdate(this.#withChange(stream, 'mode'), {
        kind: 'mode',
        mode,
        ...(warmThroughputMiBps === undefined ? {} : { warmThroughputMiBps }),
      });
    });
  }

  startStreamEncryption(name: string, encryptionType: string, keyId: string): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      if (encryptionType !== 'KMS') {
        throw new EngineError('InvalidEncryptionType', { stream: name, operation: 'StartStreamEncryption', type: encryptionType });
      }
      this.#checkDailyLimit(stream, 'startEncryption', KINESIS_LIMITS.encryptionChangesPerDay);
      const keyring = await this.#loadKeyring('encrypt');
      const key = keyring.resolve(keyId, this.config);
      if (!key.found) throw new EngineError('KmsKeyNotFound', key.kind === 'invalid' ? { keyId, kind: key.kind } : { keyId, kind: key.kind, arn: key.arn });
      const dataKeyId = await this.#dataKeys.forKmsKey(key.kmsKeyArn, keyring, this.clock.now(), (dataKey) =>
        this.#storage.metadata.commit([{ type: 'putDataKey', dataKey, replaces: null }]),
      );
      await this.#beginUpdate(this.#withChange(stream, 'startEncryption'), { kind: 'encryption', encryptionType: 'KMS', keyId, dataKeyId });
    });
  }

  #loadKeyring(need: KeyringNeed): Promise<Keyring> {
    if (!this.#keyring) {
      const loading = Promise.resolve().then(() => this.#keyringSource(need));
      this.#keyring = loading;
      // A keyring that failed to load is asked for again at the next need.
      loading.catch(() => {
        if (this.#keyring === loading) this.#keyring = undefined;
      });
    }
    return this.#keyring;
  }

  stopStreamEncryption(name: string, encryptionType: string, _keyId: string): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      if (encryptionType !== 'KMS') {
        throw new EngineError('InvalidEncryptionType', { stream: name, operation: 'StopStreamEncryption', type: encryptionType });
      }
      if (stream.encryptionType !== 'KMS') throw new EngineError('StreamNotEncrypted', { stream: name });
      this.#checkDailyLimit(stream, 'stopEncryption', KINESIS_LIMITS.encryptionChangesPerDay);
      await this.#beginUpdate(this.#withChange(stream, 'stopEncryption'), { kind: 'encryption', encryptionType: 'NONE' });
    });
  }

  /** Enable (add) or disable (remove) shard-level metrics; `ALL` names all seven. */
  updateShardLevelMetrics(name: string, metrics: readonly string[], enable: boolean): Promise<ShardLevelMetricsChange> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      const named = new Set<string>(metrics.includes('ALL') ? SHARD_LEVEL_METRICS : metrics);
      const current = [...stream.shardLevelMetrics] as ShardLevelMetric[];
      const desired = SHARD_LEVEL_METRICS.filter((metric) =>
        enable ? named.has(metric) || current.includes(metric) : current.includes(metric) && !named.has(metric),
      );
      // The stream passes through UPDATING (terraform-provider-aws waits for it after both calls).
      await this.#beginUpdate(stream, { kind: 'shardLevelMetrics', metrics: desired });
      return { current, desired };
    });
  }

  updateMaxRecordSize(name: string, maxRecordSizeKiB: number): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      await this.#beginUpdate(stream, { kind: 'maxRecordSize', maxRecordSizeKiB });
    });
  }

  updateRecordDistribution(name: string, strategy: 'AUTO' | 'USER_PARTITION_KEY'): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      if (stream.mode !== 'ON_DEMAND') throw new EngineError('AutoNeedsOnDemand', { stream: name });
      await this.#putStream({ ...stream, recordDistribution: strategy });
    });
  }

  /** Answers the warm throughput as it stands once the call returns: the target asked for, the current one. */
  updateWarmThroughput(name: string, targetMiBps: number): Promise<{ targetMiBps: number; currentMiBps: number }> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(name);
      if (stream.mode !== 'ON_DEMAND') throw new EngineError('RequiresOnDemand', { operation: 'UpdateStreamWarmThroughput', stream: name });
      this.#checkWarmThroughput(targetMiBps);
      const currentMiBps = stream.warmThroughput?.currentMiBps ?? 0;
      const pending = { ...stream, warmThroughput: { targetMiBps, currentMiBps } };
      await this.#beginUpdate(pending, { kind: 'warmThroughput', targetMiBps });
      return this.#streams.get(name)!.warmThroughput!;
    });
  }

  // ---- resource policies ----

  /** A stream's policy, or with `consumer` a registered consumer's (stream and consumer ARNs both take one). */
  putResourcePolicy(name: string, policy: string, consumer?: ConsumerAddress): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#stream(name);
      checkPolicyDocument(policy);
      if (consumer === undefined) await this.#putStream({ ...stream, resourcePolicy: policy });
      else await this.#putConsumer(name, { ...this.#consumer(name, consumer.name, consumer.createdAtSeconds), resourcePolicy: policy });
    });
  }

  /** The policy, or undefined when none is attached. */
  /**
   * Whether any stream or consumer of this account has a resource policy: without one, an account's root
   * user is allowed everything in its own account, and authorization can skip the rest (the hot path).
   */
  hasResourcePolicies(): boolean {
    this.#anyResourcePolicy ??= [...this.#streams.values()].some(
      (stream) => stream.resourcePolicy !== undefined || (stream.consumers ?? []).some((consumer) => consumer.resourcePolicy !== undefined),
    );
    return this.#anyResourcePolicy;
  }

  getResourcePolicy(name: string, consumer?: ConsumerAddress): string | undefined {
    if (consumer === undefined) return this.#stream(name).resourcePolicy;
    return this.#consumer(name, consumer.name, consumer.createdAtSeconds).resourcePolicy;
  }

  deleteResourcePolicy(name: string, consumer?: ConsumerAddress): Promise<void> {
    return this.#controlled(async () => {
      const stream = this.#stream(name);
      if (consumer === undefined) {
        if (stream.resourcePolicy === undefined) throw new EngineError('ResourcePolicyNotFound', { arn: this.streamArn(name) });
        const { resourcePolicy: _removed, ...rest } = stream;
        await this.#putStream(rest);
        return;
      }
      const record = this.#consumer(name, consumer.name, consumer.createdAtSeconds);
      if (record.resourcePolicy === undefined) {
        throw new EngineError('ResourcePolicyNotFound', { arn: consumerArnOf(this.streamArn(name), record) });
      }
      const { resourcePolicy: _removed, ...rest } = record;
      await this.#putConsumer(name, rest);
    });
  }

  // ---- account settings ----

  describeAccountSettings(): BillingCommitment {
    return billingCommitmentAt(this.#billingCommitment, this.clock.now());
  }

  updateAccountSettings(status: 'ENABLED' | 'DISABLED'): Promise<BillingCommitment> {
    return this.#controlled(async () => {
      const next = updatedBillingCommitment(this.describeAccountSettings(), status, this.clock.now());
      const value = JSON.stringify(next);
      await this.#storage.metadata.commit([{ type: 'putSetting', key: BILLING_COMMITMENT_SETTING, value, replaces: this.#billingCommitmentSetting ?? null }]);
      this.#billingCommitment = next;
      this.#billingCommitmentSetting = value;
      return next;
    });
  }

  // ---- on-demand scaling ----

  /**
   * Gives every ACTIVE on-demand stream the open shards its capacity needs: twice the peak one-minute write
   * rate of the last 30 days (at least 4 MiB/s and 4,000 records/s), or its warm throughput. The hottest
   * shards of the last minute are split first. Runs on a timer; exposed so that tests choose the moment.
   */
  async scaleOnDemandStreams(): Promise<void> {
    for (const name of [...this.#streams.keys()]) {
      if (this.#closed) return;
      await this.#controlled(async () => {
        const stream = this.#streams.get(name);
        if (!stream || stream.mode !== 'ON_DEMAND' || stream.status !== 'ACTIVE') return;
        const now = this.clock.now();
        const { rate, bytesByShard } = this.#writeRates.lastMinute(stream.streamKey, now);
        const peaks = foldPeak(stream, rate, now);
        let updated = peaks === undefined ? stream : { ...stream, writePeaks: peaks };
        const open = openShards(updated.shards);
        const needed = Math.min(shardsForCapacity(onDemandWriteCapacity(updated, now)), this.#onDemandMaxShards());
        if (needed > open.length) {
          const base = updated;
          updated = await this.#reshard(base, (endOffsetOf) =>
            splitHottest(base.shards, base.nextShardIndex, needed - open.length, (index) => bytesByShard.get(index) ?? 0, now, endOffsetOf),
          );
        } else if (updated !== stream) {
          await this.#putStream(updated);
        }
      });
    }
  }

  #scheduleOnDemandScaling(): void {
    if (this.#closed) return;
    const interval = this.config.onDemandScalingCheckMs ?? DEFAULT_ON_DEMAND_SCALING_CHECK_MS;
    if (interval <= 0) return;
    this.#scalingTimer = this.clock.setTimeout(async () => {
      try {
        await this.scaleOnDemandStreams();
      } catch {
        // The store refused: the next check tries again.
      }
      this.#scheduleOnDemandScaling();
    }, interval);
  }

  /** On-demand write maximum: 10 GiB/s in us-east-1, us-west-2 and eu-west-1, 200 MiB/s elsewhere (developer guide quotas). */
  #onDemandMaxShards(): number {
    return ['us-east-1', 'us-west-2', 'eu-west-1'].includes(this.config.region) ? 10_240 : 200;
  }

  // ---- stream updates ----

  /** Makes `update` now when UPDATING takes no time, else marks the stream UPDATING until it is made. */
  async #beginUpdate(stream: StreamRecord, update: StreamUpdate): Promise<void> {
    if (this.config.updateStreamMs <= 0) {
      await this.#applyUpdate(stream, update);
      return;
    }
    const updating: StreamRecord = {
      ...stream,
      status: 'UPDATING',
      transitionDueAt: this.clock.now() + this.config.updateStreamMs,
      pendingUpdate: update,
    };
    await this.#putStream(updating);
    this.#scheduleTransition(updating);
  }

  /** Makes the change and returns the stream to ACTIVE, in one commit. */
  async #applyUpdate(stream: StreamRecord, update: StreamUpdate): Promise<void> {
    const { transitionDueAt: _due, pendingUpdate: _pending, ...rest } = stream;
    const base: StreamRecord = { ...rest, status: 'ACTIVE' };
    const now = this.clock.now();
    switch (update.kind) {
      case 'split':
        await this.#reshard(base, (endOffsetOf) =>
          splitShard(base.shards, base.nextShardIndex, update.shardIndex, update.newStartingHashKey, now, endOffsetOf),
        );
        return;
      case 'merge':
        await this.#reshard(base, (endOffsetOf) =>
          mergeShards(base.shards, base.nextShardIndex, update.shardIndex, update.adjacentShardIndex, now, endOffsetOf),
        );
        return;
      case 'scale':
        await this.#reshard(base, (endOffsetOf) =>
          scaleUniformly(base.shards, base.nextShardIndex, update.targetShardCount, now, endOffsetOf),
        );
        return;
      case 'mode': {
        const { recordDistribution: _strategy, warmThroughput: _warm, ...provisioned } = base;
        await this.#putStream(
          update.mode === 'PROVISIONED'
            ? { ...provisioned, mode: 'PROVISIONED' }
            : {
                ...base,
                mode: 'ON_DEMAND',
                ...(update.warmThroughputMiBps === undefined
                  ? {}
                  : { warmThroughput: { targetMiBps: update.warmThroughputMiBps, currentMiBps: update.warmThroughputMiBps } }),
              },
        );
        return;
      }
      case 'encryption': {
        // At a clean cut, so that every record is written wholly before or wholly after the change.
        await this.#atCleanCut(base, (endOffsetOf) => {
          const startOffsets: Record<string, number> = {};
          for (const shard of openShards(base.shards)) startOffsets[shard.index] = endOffsetOf(shard.index);
          const { keyId: _oldKey, ...withoutKey } = base;
          return {
            ...withoutKey,
            encryptionType: update.encryptionType,
            ...(update.keyId === undefined ? {} : { keyId: update.keyId }),
            encryptionHistory: [
              ...retainedEncryptionHistory(base, now),
              {
                type: update.encryptionType,
                since: now,
                startOffsets,
                ...(update.keyId === undefined ? {} : { keyId: update.keyId }),
                ...(update.dataKeyId === undefined ? {} : { dataKeyId: update.dataKeyId }),
              },
            ],
          };
        });
        return;
      }
      case 'warmThroughput':
        await this.#putStream({ ...base, warmThroughput: { targetMiBps: update.targetMiBps, currentMiBps: update.targetMiBps } });
        return;
      case 'shardLevelMetrics':
        await this.#putStream({ ...base, shardLevelMetrics: update.metrics });
        return;
      case 'maxRecordSize':
        await this.#putStream({ ...base, maxRecordSizeKiB: update.maxRecordSizeKiB });
        return;
    }
  }

  /**
   * Closes shards at a clean cut: new writes to the stream wait, the ones in flight finish, each shard's end is
   * read from its log, and the new shard list is committed before writes resume.
   */
  #reshard(stream: StreamRecord, change: (endOffsetOf: (index: number) => number) => ReshardResult): Promise<StreamRecord> {
    return this.#atCleanCut(stream, (endOffsetOf) => {
      const result = change(endOffsetOf);
      return { ...stream, shards: result.shards, nextShardIndex: result.nextShardIndex };
    });
  }

  /** Commits `change` while the stream's writes are held back, given where each open shard's log ends. */
  async #atCleanCut(stream: StreamRecord, change: (endOffsetOf: (index: number) => number) => StreamRecord): Promise<StreamRecord> {
    return this.#gateOf(stream.name).exclusive(async () => {
      const ends = new Map<number, number>();
      // The record committed below gets the next revision: from the fence on, no node appends by this one.
      const next = (this.#streams.get(stream.name)?.revision ?? 0) + 1;
      for (const shard of openShards(stream.shards)) {
        const log = await this.#log(stream, shard.index);
        // A cut must be on disk before the metadata naming it (fence syncs): with --fsync interval, records counted
        // in endOffset may not be yet, and a shard closed past its durable end after a power loss would never end.
        ends.set(shard.index, await log.fence(next));
      }
      const updated = change((index) => ends.get(index) ?? 0);
      await this.#putStream(updated);
      this.#openLogsAhead(updated);
      return updated;
    });
  }

  /**
   * A dry run that passed its checks: DryRunOperationException, or ThrottlingException past the dedicated
   * 1 call/s per stream that all dry runs share (developer guide, kds-dryrun-validation).
   */
  #dryRunSucceeded(stream: StreamRecord): never {
    if (this.config.throughputLimits !== false) {
      const now = this.clock.now();
      let bucket = this.#dryRuns.get(stream.streamKey);
      if (!bucket) this.#dryRuns.set(stream.streamKey, (bucket = new TokenBucket(1, 1, now)));
      if (!bucket.tryTake(1, now)) throw new EngineError('DryRunThrottled', { stream: stream.name });
    }
    throw new EngineError('DryRunSucceeded');
  }

  #checkProvisioned(stream: StreamRecord, operation: string): void {
    if (stream.mode === 'ON_DEMAND') throw new EngineError('NotSupportedOnDemand', { operation, stream: stream.name });
  }

  #checkShardQuota(stream: StreamRecord, additional: number): void {
    if (stream.mode !== 'PROVISIONED' || additional <= 0) return;
    const current = this.#provisionedShardsInQuota();
    const limit = this.config.shardLimit;
    if (current + additional > limit) throw new EngineError('ShardLimitExceeded', { current, limit, additional });
  }

  /** An open shard named by a split or merge: unreadable or unknown ids are "could not find", closed ones refused. */
  #openShardForResharding(stream: StreamRecord, shardId: string): ShardRecord {
    const index = resolveShardIndex(shardId);
    const shard = index === undefined ? undefined : this.#shardOf(stream, index);
    if (!shard) throw new EngineError('CouldNotFindShard', { stream: stream.name, shardId });
    if (shard.closedAt !== undefined) throw new EngineError('ShardNotOpen', { stream: stream.name, shardId: shardIdOf(shard.index) });
    return shard;
  }

  #checkDailyLimit(stream: StreamRecord, kind: StreamChangeEvent['kind'], limit: number): void {
    const since = this.clock.now() - DAY_MS;
    const count = (stream.recentChanges ?? []).filter((change) => change.kind === kind && change.at > since).length;
    if (count >= limit) throw new EngineError('DailyChangeLimit', { stream: stream.name, kind, limit });
  }

  /** The stream with one more change of `kind` remembered; changes older than a day are forgotten. */
  #withChange(stream: StreamRecord, kind: StreamChangeEvent['kind']): StreamRecord {
    const now = this.clock.now();
    const recent = (stream.recentChanges ?? []).filter((change) => change.at > now - DAY_MS);
    return { ...stream, recentChanges: [...recent, { kind, at: now }] };
  }

  #checkWarmThroughput(mibps: number): void {
    if (this.describeAccountSettings().status === 'DISABLED') throw new EngineError('WarmThroughputNeedsCommitment');
    const limit = KINESIS_LIMITS.maxWarmThroughputMiBps;
    if (mibps > limit) throw new EngineError('WarmThroughputTooHigh', { requested: mibps, limit });
  }


  // ---- enhanced fan-out consumers ----

  /** RegisterStreamConsumer: CREATING for the create delay, then ACTIVE. */
  registerConsumer(streamName: string, consumerName: string, tags: Readonly<Record<string, string>> = {}): Promise<ConsumerSnapshot> {
    return this.#controlled(async () => {
      const stream = this.#activeStream(streamName);
      const consumers = stream.consumers ?? [];
      if (consumers.some((consumer) => consumer.name === consumerName)) {
        throw new EngineError('ConsumerExists', { stream: streamName, consumer: consumerName });
      }
      // 50 for on-demand streams of accounts with the billing commitment (On-demand Advantage), 20 otherwise.
      const advantage = stream.mode === 'ON_DEMAND' && this.describeAccountSettings().status !== 'DISABLED';
      const limit = advantage ? KINESIS_LIMITS.consumersPerAdvantageStream : KINESIS_LIMITS.consumersPerStream;
      if (consumers.length >= limit) throw new EngineError('ConsumerLimitExceeded', { stream: streamName, limit });
      let creating = 0;
      for (const other of this.#streams.values()) for (const consumer of other.consumers ?? []) if (consumer.status === 'CREATING') creating++;
      if (creating >= KINESIS_LIMITS.consumersCreatingAtOnce) {
        throw new EngineError('TooManyCreatingConsumers', { limit: KINESIS_LIMITS.consumersCreatingAtOnce });
      }
      checkTagsToAdd(consumerName, tags, []);
      const now = this.clock.now();
      const delay = this.config.createStreamMs;
      const consumer: ConsumerRecord = {
        name: consumerName,
        createdAt: now,
        status: delay > 0 ? 'CREATING' : 'ACTIVE',
        ...(delay > 0 ? { transitionDueAt: now + delay } : {}),
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      };
      await this.#putStream({ ...stream, consumers: [...consumers, consumer] });
      if (consumer.status !== 'ACTIVE') this.#scheduleConsumerTransition(streamName, consumer);
      return consumerSnapshotOf(consumer, streamName, this.streamArn(streamName));
    });
  }

  /** A consumer by name, or by the creation time its ARN carries too (an ARN names one registration only). */
  describeConsumer(streamName: string, consumerName: string, createdAtSeconds?: number): ConsumerSnapshot {
    return consumerSnapshotOf(this.#consumer(streamName, consumerName, createdAtSeconds), streamName, this.streamArn(streamName));
  }

  /** Every consumer of the stream, in registration order. */
  listConsumers(streamName: string): ConsumerSnapshot[] {
    const stream = this.#stream(streamName);
    return (stream.consumers ?? []).map((consumer) => consumerSnapshotOf(consumer, streamName, this.streamArn(streamName)));
  }

  /** DeregisterStreamConsumer: DELETING for the delete delay, then gone. */
  deregisterConsumer(streamName: string, consumerName: string, createdAtSeconds?: number): Promise<void> {
    return this.#controlled(async () => {
      const consumer = this.#consumer(streamName, consumerName, createdAtSeconds);
      const stream = this.#stream(streamName);
      if (consumer.status === 'DELETING') return;
      if (this.config.deleteStreamMs <= 0) {
        await this.#putStream({ ...stream, consumers: (stream.consumers ?? []).filter((other) => other !== consumer) });
        return;
      }
      const deleting: ConsumerRecord = { ...consumer, status: 'DELETING', transitionDueAt: this.clock.now() + this.config.deleteStreamMs };
      await this.#putStream({ ...stream, consumers: (stream.consumers ?? []).map((other) => (other === consumer ? deleting : other)) });
      this.#scheduleConsumerTransition(streamName, deleting);
    });
  }

  addConsumerTags(streamName: string, consumerName: string, tags: Readonly<Record<string, string>>, createdAtSeconds?: number): Promise<void> {
    return this.#controlled(async () => {
      const consumer = this.#consumer(streamName, consumerName, createdAtSeconds);
      checkTagsToAdd(consumerName, tags, consumer.tags.map((tag) => tag.key));
      await this.#putConsumer(streamName, { ...consumer, tags: withTags(consumer.tags, tags) });
    });
  }

  removeConsumerTags(streamName: string, consumerName: string, keys: readonly string[], createdAtSeconds?: number): Promise<void> {
    return this.#controlled(async () => {
      const consumer = this.#consumer(streamName, consumerName, createdAtSeconds);
      await this.#putConsumer(streamName, { ...consumer, tags: withoutTags(consumer.tags, keys) });
    });
  }

  /** Sorted by key. */
  listConsumerTags(streamName: string, consumerName: string, createdAtSeconds?: number): Tag[] {
    return sortedTags(this.#consumer(streamName, consumerName, createdAtSeconds).tags);
  }

  #consumer(streamName: string, consumerName: string, createdAtSeconds?: number): ConsumerRecord {
    const stream = this.#stream(streamName);
    const consumer = (stream.consumers ?? []).find(
      (candidate) =>
        candidate.name === consumerName && (createdAtSeconds === undefined || Math.floor(candidate.createdAt / 1000) === createdAtSeconds),
    );
    if (!consumer) throw new EngineError('ConsumerNotFound', { stream: streamName, consumer: consumerName });
    return consumer;
  }

  async #putConsumer(streamName: string, consumer: ConsumerRecord): Promise<void> {
    const stream = this.#stream(streamName);
    await this.#putStream({
      ...stream,
      consumers: (stream.consumers ?? []).map((other) => (other.name === consumer.name ? consumer : other)),
    });
  }

  #scheduleConsumerTransition(streamName: string, consumer: ConsumerRecord): void {
    this.#scheduleAt(`consumer\u0000${streamName}\u0000${consumer.name}`, consumer.transitionDueAt ?? 0, async () => {
      const stream = this.#streams.get(streamName);
      const current = stream?.consumers?.find((other) => other.name === consumer.name && other.createdAt === consumer.createdAt);
      if (!stream || !current || current.status === 'ACTIVE') return;
      if (current.status === 'DELETING') {
        await this.#putStream({ ...stream, consumers: (stream.consumers ?? []).filter((other) => other !== current) });
      } else {
        const { transitionDueAt: _done, ...active } = current;
        await this.#putConsumer(streamName, { ...active, status: 'ACTIVE' });
      }
    });
  }

  // ---- SubscribeToShard ----

  /**
   * Checks a SubscribeToShard as AWS does before the 200 and answers its events: records pushed as soon as
   * they are durable, an event every 5 s while idle, ChildShards at the end of a closed shard, and the end
   * after 5 minutes. A subscription of the same consumer and shard younger than 5 s refuses this one; an older
   * one is taken over and ends with ResourceInUseException. Events are read only as the caller pulls them.
   */
  async subscribeToShard(
    streamName: string,
    consumer: ConsumerAddress,
    shardId: string,
    type: ShardIteratorType,
    options: ShardIteratorOptions = {},
  ): Promise<AsyncIterable<SubscriptionEvent>> {
    const record = this.#consumer(streamName, consumer.name, consumer.createdAtSeconds);
    if (record.status !== 'ACTIVE') {
      throw new EngineError('ConsumerNotActive', {
        consumer: record.name,
        createdAtSeconds: Math.floor(record.createdAt / 1000),
        stream: streamName,
      });
    }
    const { stream, shard } = this.#readableShard(streamName, shardId);
    this.#checkStartingPosition(stream, shard, type, options);
    if (options.dryRun) this.#dryRunSucceeded(stream);
    const arn = consumerArnOf(this.streamArn(streamName), record);
    const key = `${arn}\u0000${shard.index}`;
    const now = this.clock.now();
    const previous = this.#subscriptions.get(key);
    if (previous && now - previous.startedAt < SUBSCRIPTION_TAKEOVER_MS) {
      this.#kinesisMetrics.subscriptionRefused(stream, record.name);
      throw new EngineError('SubscriptionInUse', { stream: streamName, shardId: shardIdOf(shard.index), consumer: record.name });
    }
    const offset = await this.#startOffset(stream, shard, type, options);
    previous?.replace();
    const subscription = new Subscription(now);
    this.#subscriptions.set(key, subscription);
    this.#kinesisMetrics.subscribed(stream, record.name);
    return this.#subscriptionEvents(stream, shard.index, record.name, offset, subscription);
  }

  async *#subscriptionEvents(
    first: StreamRecord,
    shardIndex: number,
    consumerName: string,
    offset: number,
    subscription: Subscription,
  ): AsyncGenerator<SubscriptionEvent> {
    const deadline = subscription.startedAt + SUBSCRIPTION_LIFETIME_MS;
    const signalKey = ShardAppendSignal.key(first.streamKey, shardIndex);
    const budget =
      this.config.throughputLimits === false
        ? undefined
        : new TokenBucket(SUBSCRIPTION_BYTES_PER_SECOND, SUBSCRIPTION_BYTES_PER_SECOND, subscription.startedAt);
    let position = offset;
    let continuation: string | undefined;
    let lastEventAt = Number.NEGATIVE_INFINITY;
    for (;;) {
      if (subscription.replaced) {
        throw new EngineError('SubscriptionInUse', { stream: first.name, shardId: shardIdOf(shardIndex), consumer: consumerName });
      }
      const now = this.clock.now();
      if (now >= deadline) return;
      const stream = this.#streams.get(first.name);
      const shard = stream && stream.streamKey === first.streamKey ? this.#shardOf(stream, shardIndex) : undefined;
      if (!stream || !shard || isExpiredShard(shard, stream, now)) {
        throw new EngineError('ShardNotFound', { stream: first.name, shardId: shardIdOf(shardIndex) });
      }
      if (!(stream.consumers ?? []).some((consumer) => consumer.name === consumerName && consumer.status === 'ACTIVE')) {
        throw new EngineError('ConsumerNotFound', { stream: first.name, consumer: consumerName });
      }
      const log = await this.#log(stream, shardIndex);
      const appendsBefore = this.#appendSignal.observe(signalKey);
      const end = shard.closedEndOffset === undefined ? undefined : Math.min(shard.closedEndOffset, log.endOffset);
      const wanted = Math.min(KINESIS_LIMITS.getRecordsMaxRecords, end === undefined ? Number.MAX_SAFE_INTEGER : end - position);
      // Past its 2 MiB/s, a subscription waits for the budget instead of reading.
      const available = budget === undefined ? SUBSCRIPTION_EVENT_MAX_BYTES : budget.available(now);
      const allowed = available > 0;
      const from = Math.max(position, await this.#retentionStart(stream, log));
      // Within what the budget holds now (a first record larger than that still comes alone, and is owed).
      const maxBytes = Math.min(SUBSCRIPTION_EVENT_MAX_BYTES, Math.max(1, Math.floor(available)));
      const stored = allowed && wanted > 0 ? await log.read(from, { maxRecords: wanted, maxBytes }) : [];
      if (stored.length > 0) {
        let bytes = 0;
        for (const record of stored) bytes += storedRecordSize(record);
        budget?.take(bytes, now);
        position = stored[stored.length - 1]!.offset + 1;
      } else if (allowed) {
        position = Math.max(position, from);
      }
      const records = this.#recordViews(stream, shard, stored);
      if (records.length > 0) continuation = records[records.length - 1]!.sequenceNumber;
      continuation ??= await this.#sequenceNumberBefore(stream, shard, log, position);
      const atEnd = end !== undefined && position >= end;
      if (records.length > 0 || atEnd || now - lastEventAt >= SUBSCRIPTION_HEARTBEAT_MS) {
        const millisBehindLatest = await this.#millisBehind(log, position, now);
        this.#kinesisMetrics.subscriptionEvent(stream, consumerName, readOutcome(shardIndex, records, now, millisBehindLatest));
        yield {
          records,
          // The last event of a closed shard has none: clients read that as the shard's end (KCL PR #1744).
          ...(atEnd ? { childShards: this.#childShardsOf(stream, shard) } : { continuationSequenceNumber: continuation }),
          millisBehindLatest,
        };
        lastEventAt = this.clock.now();
        if (atEnd) return;
        // Records may have arrived while the event waited for its reader: read again before any wait.
        continue;
      }
      const until = Math.min(lastEventAt + SUBSCRIPTION_HEARTBEAT_MS, deadline, allowed ? Number.POSITIVE_INFINITY : now + 100);
      const reached = position;
      await this.#waitForAppend(
        signalKey,
        subscription,
        until - this.clock.now(),
        () => allowed && (log.endOffset > reached || this.#appendSignal.observe(signalKey) !== appendsBefore),
      );
    }
  }

  /**
   * Until records are appended to the shard, `ms` pass, or the subscription is replaced. `arrived` is asked
   * just before listening, so that an append between the last read and now is never missed.
   */
  #waitForAppend(signalKey: string, subscription: Subscription, ms: number, arrived: () => boolean): Promise<void> {
    // Taken over while its last event was being sent, or records appended since the last read: no wait.
    if (subscription.replaced || arrived() || ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: TimerHandle | undefined;
      const done = () => {
        stopListening();
        if (timer !== undefined) this.clock.clearTimeout(timer);
        subscription.wake = undefined;
        resolve();
      };
      const stopListening = this.#appendSignal.listen(signalKey, done);
      subscription.wake = done;
      timer = this.clock.setTimeout(done, ms);
    });
  }

  /** The number a reader resumes from with AFTER_SEQUENCE_NUMBER to read `offset` next. */
  async #sequenceNumberBefore(stream: StreamRecord, shard: ShardRecord, log: ShardLog, offset: number): Promise<string> {
    if (offset === 0) return startingSequenceNumber(shard);
    const [previous] = await log.read(offset - 1, { maxRecords: 1, maxBytes: 0 });
    if (previous && previous.offset === offset - 1) return new ShardSequenceNumbers(shard).of(previous.offset, previous.arrivalTime);
    // Trimmed away: the same counter, stamped with the shard's creation (only the counter decides where reading resumes).
    return encodeSequenceNumber({ shardCreatedAt: shard.createdAt, shardIndex: shard.index, counter: BigInt(offset), writtenAt: shard.createdAt });
  }

  #recordViews(stream: StreamRecord, shard: ShardRecord, stored: readonly StoredRecord[]): RecordView[] {
    const sequenceNumbers = new ShardSequenceNumbers(shard);
    const history = stream.encryptionHistory;
    return stored.map((record) => {
      const change = history === undefined ? undefined : encryptionChangeAt(history, shard, record.offset);
      const plain = this.#decrypted(stream, shard, record, storedEncrypted(change));
      return {
        sequenceNumber: sequenceNumbers.of(record.offset, record.arrivalTime),
        arrivalTime: record.arrivalTime,
        data: plain.data,
        partitionKey: plain.partitionKey,
        encryptionType: change?.type ?? 'NONE',
      };
    });
  }

  /**
   * A record as it was written. The shard's encryption cuts say which records must be encrypted; an encrypted
   * record names its data key itself.
   */
  #decrypted(stream: StreamRecord, shard: ShardRecord, record: StoredRecord, mustBeEncrypted: boolean): StoredRecord {
    if (record.plainSize === undefined) {
      if (mustBeEncrypted) throw undecryptable(record, stream.streamKey, shard.index, 'it is stored in plain text where its shard is encrypted');
      return record;
    }
    const id = dataKeyIdOf(record);
    const cipher = id === undefined ? undefined : this.#dataKeys.cipher(id);
    if (!cipher) throw undecryptable(record, stream.streamKey, shard.index, `its data key (${id ?? 'none'}) is not in the metadata store`);
    return cipher.decrypt(record, stream.streamKey, shard.index);
  }

  /** The cipher new records of the stream are encrypted with, if it is encrypted. */
  #writeCipher(stream: StreamRecord): RecordCipher | undefined {
    if (stream.encryptionType !== 'KMS') return undefined;
    const history = stream.encryptionHistory;
    const current = history?.[history.length - 1];
    if (!storedEncrypted(current)) return undefined;
    const cipher = this.#dataKeys.cipher(current!.dataKeyId!);
    if (!cipher) throw new Error(`data key ${current!.dataKeyId} of stream ${stream.name} is not loaded`);
    return cipher;
  }

  // ---- writes ----

  async putRecord(
    name: string,
    entry: PutRecordEntry,
    sequenceNumberForOrdering?: string,
    options: DryRunOption = {},
  ): Promise<PutRecordResult> {
    const gate = await this.#enterWriteGate(name);
    const startedAt = this.#elapsed();
    let metered: StreamRecord | undefined;
    const tally: ShardWrite[] = [];
    let failed = false;
    try {
      const stream = this.#writableStream(name);
      const hashKey = this.#checkEntry(stream, entry);
      if (sequenceNumberForOrdering !== undefined) {
        const parts = decodeSequenceNumber(sequenceNumberForOrdering);
        // Our numbers rise strictly per shard already; a number from the future was never handed out (kinesalite).
        if (!parts || parts.writtenAt > this.clock.now()) {
          throw new EngineError('InvalidSequenceNumberForOrdering', { value: sequenceNumberForOrdering, stream: name });
        }
      }
      if (options.dryRun) this.#dryRunSucceeded(stream);
      metered = stream;
      const [result] = await this.#append(stream, [entry], [hashKey], { tally });
      if ('errorCode' in result!) throw writeRefusalError(name, result as WriteRefusal);
      return result as PutRecordResult;
    } catch (error) {
      failed = tally.length === 0;
      throw error;
    } finally {
      gate.leave();
      if (metered) this.#kinesisMetrics.putRecord(metered, this.#elapsed() - startedAt, tally[0], failed);
    }
  }

  /** All entries are checked before any is written; results come back in request order. */
  async putRecords(name: string, entries: readonly PutRecordEntry[], options: DryRunOption = {}): Promise<PutRecordsResultEntry[]> {
    const gate = await this.#enterWriteGate(name);
    const startedAt = this.#elapsed();
    let metered: StreamRecord | undefined;
    let outcome: PutRecordsOutcome | undefined;
    try {
      const stream = this.#writableStream(name);
      const hashKeys = entries.map((entry, position) => this.#checkEntry(stream, entry, position));
      if (options.dryRun) this.#dryRunSucceeded(stream);
      metered = stream;
      const tally: ShardWrite[] = [];
      const results = await this.#append(stream, entries, hashKeys, { perShardFailures: true, tally });
      outcome = putRecordsOutcome(results, tally);
      return results;
    } finally {
      gate.leave();
      if (metered) this.#kinesisMetrics.putRecords(metered, this.#elapsed() - startedAt, outcome);
    }
  }

  #gateOf(name: string): WriteGate {
    let gate = this.#gates.get(name);
    if (!gate) this.#gates.set(name, (gate = new WriteGate()));
    return gate;
  }

  /** Waits while a reshard of the stream closes shards; the caller leaves the gate when its write is done. */
  async #enterWriteGate(name: string): Promise<WriteGate> {
    // Gates only for streams that exist: a name that does not gets its error without leaving anything behind.
    if (!this.#streams.has(name)) this.#writableStream(name);
    const gate = this.#gateOf(name);
    for (let blocked = gate.blocked(); blocked; blocked = gate.blocked()) await blocked;
    gate.enter();
    return gate;
  }

  // ---- reads ----

  async getShardIterator(
    name: string,
    shardId: string,
    type: ShardIteratorType,
    options: ShardIteratorOptions = {},
  ): Promise<string> {
    const { stream, shard } = this.#readableShard(name, shardId);
    this.#checkStartingPosition(stream, shard, type, options);
    if (options.dryRun) this.#dryRunSucceeded(stream);
    this.#dataPlane.checkGetShardIterator(stream, shard.index);
    const offset = await this.#startOffset(stream, shard, type, options);
    return this.#iterators.seal({
      streamName: name,
      streamCreatedAt: stream.createdAt,
      shardIndex: shard.index,
      offset,
      issuedAt: this.clock.now(),
    });
  }

  /** The shard of a stream that reads may start at: not of a CREATING stream, not expired. */
  #readableShard(name: string, shardId: string): { stream: StreamRecord; shard: ShardRecord } {
    const index = resolveShardIndex(shardId);
    if (index === undefined) throw new EngineError('CouldNotFindShard', { stream: name, shardId });
    const stream = this.#streams.get(name);
    const found = stream && stream.status !== 'CREATING' ? this.#shardOf(stream, index) : undefined;
    const shard = found && !isExpiredShard(found, stream!, this.clock.now()) ? found : undefined;
    if (!stream || !shard) throw new EngineError('ShardNotFound', { stream: name, shardId: shardIdOf(index) });
    return { stream, shard };
  }

  /** Every check of a starting position that needs no read. */
  #checkStartingPosition(stream: StreamRecord, shard: ShardRecord, type: ShardIteratorType, options: ShardIteratorOptions): void {
    const sequenceNumber = options.startingSequenceNumber;
    const needsSequenceNumber = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
    if (needsSequenceNumber !== (sequenceNumber !== undefined)) {
      throw new EngineError('IteratorTypeMismatch', { type, hasSequenceNumber: sequenceNumber !== undefined });
    }
    const now = this.clock.now();
    if (type === 'AT_TIMESTAMP' && options.timestamp === undefined) throw new EngineError('MissingTimestamp');
    if (type === 'AT_TIMESTAMP' && options.timestamp! > now) throw new EngineError('TimestampInFuture', { timestamp: options.timestamp!, now });
    if (needsSequenceNumber) this.#offsetOfSequenceNumber(stream, shard, sequenceNumber!, type === 'AFTER_SEQUENCE_NUMBER');
  }

  /** Where reading starts in the shard's log, for a checked starting position. */
  async #startOffset(stream: StreamRecord, shard: ShardRecord, type: ShardIteratorType, options: ShardIteratorOptions): Promise<number> {
    const now = this.clock.now();
    const sequenceNumber = options.startingSequenceNumber;
    const log = await this.#log(stream, shard.index);
    let offset: number;
    switch (type) {
      case 'TRIM_HORIZON':
        offset = await this.#retentionStart(stream, log);
        break;
      case 'LATEST':
        offset = log.endOffset;
        break;
      case 'AT_TIMESTAMP': {
        const timestamp = options.timestamp;
        if (timestamp === undefined) throw new EngineError('MissingTimestamp');
        if (timestamp > now) throw new EngineError('TimestampInFuture', { timestamp, now });
        // Older than the trim horizon means the trim horizon (AWS GetShardIterator).
        offset = Math.max(await log.offsetAtTime(timestamp), await this.#retentionStart(stream, log));
        break;
      }
      case 'AT_SEQUENCE_NUMBER':
      case 'AFTER_SEQUENCE_NUMBER':
        offset = this.#offsetOfSequenceNumber(stream, shard, sequenceNumber!, type === 'AFTER_SEQUENCE_NUMBER');
        break;
    }
    return offset;
  }

  /** The stream a shard iterator of this engine was issued for (authorization needs it before the call runs). */
  streamNameOfIterator(iterator: string): string | undefined {
    return this.#iterators.open(iterator)?.streamName;
  }

  async getRecords(iterator: string, options: GetRecordsOptions = {}): Promise<GetRecordsResult> {
    const startedAt = this.#elapsed();
    const position = this.#iterators.open(iterator);
    if (!position || (options.streamName !== undefined && options.streamName !== position.streamName)) {
      throw new EngineError('InvalidShardIterator');
    }
    const now = this.clock.now();
    if (now - position.issuedAt > SHARD_ITERATOR_TTL_MS) {
      throw new EngineError('ExpiredIterator', { createdAt: position.issuedAt, now });
    }
    const name = position.streamName;
    const stream = this.#streams.get(name);
    const shard =
      stream && stream.status !== 'CREATING' && stream.createdAt === position.streamCreatedAt
        ? this.#shardOf(stream, position.shardIndex)
        : undefined;
    if (!stream || !shard || isExpiredShard(shard, stream, now)) {
      throw new EngineError('ShardNotFound', { stream: name, shardId: shardIdOf(position.shardIndex) });
    }

    if (options.dryRun) this.#dryRunSucceeded(stream);
    let outcome: ReadOutcome | 'throttled' | 'failed' = 'failed';
    try {
      this.#dataPlane.checkGetRecords(stream, shard.index);
      const log = await this.#log(stream, shard.index);
      const from = Math.max(position.offset, await this.#retentionStart(stream, log));
      const limit = Math.min(Math.max(1, options.limit ?? KINESIS_LIMITS.getRecordsMaxRecords), KINESIS_LIMITS.getRecordsMaxRecords);
      const endBeforeRead = log.endOffset;
      // A closed shard ends at its cut, or where its log ends if a power loss took the unsynced tail before the cut.
      const end = shard.closedEndOffset === undefined ? undefined : Math.min(shard.closedEndOffset, endBeforeRead);
      const maxRecords = end === undefined ? limit : Math.min(limit, end - from);
      const stored = maxRecords <= 0 ? [] : await log.read(from, { maxRecords, maxBytes: KINESIS_LIMITS.getRecordsMaxBytes });
      const records = this.#recordViews(stream, shard, stored);
      const next = stored.length > 0 ? stored[stored.length - 1]!.offset + 1 : from;
      // Short of both the record limit and the records that were there: the 10 MiB per call stopped it.
      const cluster = this.#storage.cluster;
      let bytes = 0;
      if (this.#dataPlane.limitsReads || cluster !== undefined) for (const record of stored) bytes += storedRecordSize(record);
      this.#dataPlane.chargeRead(stream, shard.index, bytes, stored.length < limit && next < endBeforeRead);
      // Other nodes sharing the store count this call against the shard's read limits too.
      cluster?.publish({ streamKey: stream.streamKey, shardIndex: shard.index, appendedRecords: 0, appendedBytes: 0, readCalls: 1, readBytes: bytes });

      if (end !== undefined && next >= end) {
        outcome = readOutcome(shard.index, records, now, 0);
        return { records, millisBehindLatest: 0, childShards: this.#childShardsOf(stream, shard) };
      }
      const millisBehindLatest = await this.#millisBehind(log, next, now);
      outcome = readOutcome(shard.index, records, now, millisBehindLatest);
      return {
        records,
        nextShardIterator: this.#iterators.seal({ ...position, offset: next, issuedAt: now }),
        millisBehindLatest,
      };
    } catch (error) {
      if (error instanceof EngineError && error.code === 'ReadThroughputExceeded') outcome = 'throttled';
      throw error;
    } finally {
      this.#kinesisMetrics.getRecords(stream, shard.index, this.#elapsed() - startedAt, outcome);
    }
  }

  // ---- internals ----

  /** What another node did to one of this account's shards: its limits, on-demand rates and subscriptions here. */
  #onPeerUsage(usage: DataPlaneUsage): void {
    let stream: StreamRecord | undefined;
    for (const candidate of this.#streams.values()) {
      if (candidate.streamKey === usage.streamKey) {
        stream = candidate;
        break;
      }
    }
    if (stream === undefined) return;
    this.#dataPlane.chargePeerUsage(stream, usage);
    if (usage.appendedRecords === 0) return;
    if (stream.mode === 'ON_DEMAND') this.#writeRates.record(stream.streamKey, usage.shardIndex, usage.appendedBytes, usage.appendedRecords, this.clock.now());
    this.#appendSignal.notify(ShardAppendSignal.key(stream.streamKey, usage.shardIndex));
  }

  /** Channel delivery reads records here, not through iterators and GetRecords and their limits. */
  #channelSource(): ChannelSource {
    return {
      stream: (name) => this.#streams.get(name),
      read: async (stream, shardIndex, from, limits) => {
        const shard = this.#shardOf(stream, shardIndex);
        // A stream deleted meanwhile is never reopened.
        if (!shard || this.#streams.get(stream.name)?.streamKey !== stream.streamKey) return { from, records: [] };
        const log = await this.#log(stream, shardIndex);
        const start = Math.max(from, await this.#retentionStart(stream, log));
        // Never past a closed shard's cut, as GetRecords.
        const maxRecords = shard.closedEndOffset === undefined ? limits.maxRecords : Math.min(limits.maxRecords, shard.closedEndOffset - start);
        if (maxRecords <= 0) return { from: start, records: [] };
        const sequenceNumbers = new ShardSequenceNumbers(shard);
        const history = stream.encryptionHistory;
        const records = (await log.read(start, { ...limits, maxRecords })).map((stored) => {
          const change = history === undefined ? undefined : encryptionChangeAt(history, shard, stored.offset);
          const record = this.#decrypted(stream, shard, stored, storedEncrypted(change));
          return {
            offset: record.offset,
            arrivalTime: record.arrivalTime,
            partitionKey: record.partitionKey,
            sequenceNumber: sequenceNumbers.of(record.offset, record.arrivalTime),
            data: record.data,
          };
        });
        return { from: start, records };
      },
      endOffset: async (stream, shardIndex) => (await this.#log(stream, shardIndex)).endOffset,
    };
  }

  #stream(name: string): StreamRecord {
    const stream = this.#streams.get(name);
    if (!stream) throw new EngineError('StreamNotFound', { stream: name });
    return stream;
  }

  #activeStream(name: string): StreamRecord {
    const stream = this.#stream(name);
    if (stream.status !== 'ACTIVE') throw new EngineError('StreamNotActive', { stream: name, status: stream.status });
    return stream;
  }

  /** Writes need ACTIVE or UPDATING; a CREATING stream is "not found" to them (kinesalite putRecord). */
  /**
   * The stream's record at `revision` or later, for appends a fence refused. The node that fenced commits that
   * record a moment later; if it stopped first, committing the record as it is (conditionally, so a late commit of
   * that node's is refused and redone) lifts the fence for every node.
   */
  async #streamAtRevision(stream: StreamRecord, revision: number): Promise<StreamRecord> {
    for (let attempt = 1; attempt <= FENCE_WAIT_ATTEMPTS; attempt++) {
      const current = this.#writableStream(stream.name);
      if (current.streamKey !== stream.streamKey) throw new EngineError('StreamNotFound', { stream: stream.name });
      if ((current.revision ?? 0) >= revision) return current;
      try {
        if (attempt > FENCE_WAIT_ATTEMPTS / 2) await this.#putStream(current);
        else await this.#refreshMetadata();
      } catch (error) {
        if (!(error instanceof MetadataConflictError)) throw error;
        await this.#refreshMetadata();
      }
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, FENCE_WAIT_MS));
    }
    throw new ShardLogFencedError(revision);
  }

  #writableStream(name: string): StreamRecord {
    const stream = this.#streams.get(name);
    if (!stream || (stream.status !== 'ACTIVE' && stream.status !== 'UPDATING')) {
      throw new EngineError('StreamNotFound', { stream: name });
    }
    return stream;
  }

  #shardOf(stream: StreamRecord, index: number): ShardRecord | undefined {
    const shard = stream.shards[index];
    return shard?.index === index ? shard : stream.shards.find((candidate) => candidate.index === index);
  }

  /**
   * What the shard quota counts: open shards of provisioned streams plus what pending updates will add (a split,
   * a scale up, a switch to PROVISIONED), so that two calls cannot both take the same room.
   */
  #provisionedShardsInQuota(): number {
    let count = 0;
    for (const stream of this.#streams.values()) {
      const pending = stream.pendingUpdate;
      const toProvisioned = pending?.kind === 'mode' && pending.mode === 'PROVISIONED';
      if (stream.mode !== 'PROVISIONED' && !toProvisioned) continue;
      let open = 0;
      for (const shard of stream.shards) if (shard.closedAt === undefined) open++;
      if (pending?.kind === 'split') open += 1;
      if (pending?.kind === 'scale') open = Math.max(open, pending.targetShardCount);
      count += open;
    }
    return count;
  }

  /** On-demand streams, and those on their way to on-demand, as the on-demand stream quota counts them. */
  #onDemandStreamsInQuota(): number {
    let count = 0;
    for (const stream of this.#streams.values()) {
      const pending = stream.pendingUpdate;
      if (stream.mode === 'ON_DEMAND' || (pending?.kind === 'mode' && pending.mode === 'ON_DEMAND')) count++;
    }
    return count;
  }

  #provisionedOpenShards(): number {
    let open = 0;
    for (const stream of this.#streams.values()) {
      if (stream.mode !== 'PROVISIONED') continue;
      for (const shard of stream.shards) if (shard.closedAt === undefined) open++;
    }
    return open;
  }

  #checkRetentionBounds(hours: number): void {
    const { minRetentionHours: min, maxRetentionHours: max } = KINESIS_LIMITS;
    if (hours < min) throw new EngineError('RetentionTooShort', { hours, min });
    if (hours > max) throw new EngineError('RetentionTooLong', { hours, max });
  }

  /** Returns the entry's hash key after checking its size and explicit hash key. */
  #checkEntry(stream: StreamRecord, entry: PutRecordEntry, position?: number): bigint {
    if (entry.partitionKey === undefined && stream.recordDistribution !== 'AUTO') {
      throw new EngineError('PartitionKeyRequired', position === undefined ? {} : { position });
    }
    const size = entry.data.byteLength + (entry.partitionKey === undefined ? 0 : Buffer.byteLength(entry.partitionKey, 'utf8'));
    const limit = stream.maxRecordSizeKiB * 1024;
    if (size > limit) {
      throw new EngineError('RecordTooLarge', { size, limit, stream: stream.name, ...(position === undefined ? {} : { position }) });
    }
    if (entry.partitionKey === undefined) return 0n;
    if (entry.explicitHashKey === undefined) return hashKeyOf(entry.partitionKey);
    const hashKey = parseExplicitHashKey(entry.explicitHashKey);
    if (hashKey === undefined) throw new EngineError('InvalidExplicitHashKey', { value: entry.explicitHashKey });
    return hashKey;
  }

  /** One append per shard, all shards in parallel, request order kept within each shard. */
  async #append(
    stream: StreamRecord,
    entries: readonly PutRecordEntry[],
    hashKeys: readonly bigint[],
    options: { perShardFailures?: boolean; tally?: ShardWrite[]; rerouted?: number } = {},
  ): Promise<PutRecordsResultEntry[]> {
    let router = this.#routers.get(stream);
    if (!router) this.#routers.set(stream, (router = new ShardRouter(stream)));
    const byShard = new Map<ShardRecord, number[]>();
    const results: PutRecordsResultEntry[] = new Array(entries.length);
    // Only PutRecords answers per entry; the gate needs the operation for its faults.
    const operation = options.perShardFailures ? 'PutRecords' : 'PutRecord';
    const gated = !this.#dataPlane.open;
    const auto = stream.recordDistribution === 'AUTO' ? router.openShards : undefined;
    let autoNext = auto ? (this.#autoNext.get(stream.streamKey) ?? 0) : 0;
    let throttles: Map<number, number> | undefined;
    hashKeys.forEach((hashKey, position) => {
      // AUTO spreads records evenly, ignoring partition and explicit hash keys (UpdateStreamRecordDistributionStrategy).
      const shard = auto ? auto[autoNext++ % auto.length]! : router.route(hashKey);
      // Admitted in request order per shard; a refused record is answered and never written.
      const refusal = gated ? this.#dataPlane.admitWrite(operation, stream, shard.index, entries[position]!) : undefined;
      if (refusal) {
        results[position] = refusal;
        if (refusal.errorCode === 'ProvisionedThroughputExceededException') (throttles ??= new Map()).set(shard.index, (throttles.get(shard.index) ?? 0) + 1);
        return;
      }
      const positions = byShard.get(shard);
      if (positions) positions.push(position);
      else byShard.set(shard, [position]);
    });

    if (auto) this.#autoNext.set(stream.streamKey, autoNext % auto.length);
    const cipher = this.#writeCipher(stream);
    const arrivalTime = this.clock.now();
    // Positions whose shard log another node fenced for a newer record of the stream (a reshard there).
    const fenced: number[] = [];
    let fencedFor = 0;
    const rerouted = options.rerouted ?? 0;
    const outcomes = await Promise.allSettled(
      [...byShard].map(async ([shard, positions]) => {
        const log = await this.#log(stream, shard.index);
        const records = positions.map((position) => {
          const entry = entries[position]!;
          // One literal of one shape (no conditional spread): logs treat an undefined explicitHashKey as none.
          // No partition key (AUTO streams only) is stored as the empty key, which no request can give.
          return { arrivalTime, partitionKey: entry.partitionKey ?? '', explicitHashKey: entry.explicitHashKey, data: entry.data };
        });
        let firstOffset: number;
        try {
          ({ firstOffset } = await log.append(
            cipher ? cipher.encrypt(records, { streamKey: stream.streamKey, shardIndex: shard.index, arrivalTime }) : records,
            { revision: stream.revision ?? 0 },
          ));
        } catch (error) {
          if (!(error instanceof ShardLogFencedError) || rerouted >= REROUTE_ATTEMPTS) throw error;
          fenced.push(...positions);
          fencedFor = Math.max(fencedFor, error.revision);
          return;
        }
        // One pass for all: on-demand capacity and other nodes' limits count data and partition keys, the metrics data alone.
        const onDemand = stream.mode === 'ON_DEMAND';
        const cluster = this.#storage.cluster;
        const withKeys = onDemand || cluster !== undefined;
        let dataBytes = 0;
        let keyBytes = 0;
        if (withKeys || options.tally) {
          for (const position of positions) {
            const entry = entries[position]!;
            dataBytes += entry.data.byteLength;
            if (withKeys) keyBytes += Buffer.byteLength(entry.partitionKey ?? '');
          }
        }
        if (onDemand) this.#writeRates.record(stream.streamKey, shard.index, dataBytes + keyBytes, positions.length, arrivalTime);
        cluster?.publish({
          streamKey: stream.streamKey,
          shardIndex: shard.index,
          appendedRecords: positions.length,
          appendedBytes: dataBytes + keyBytes,
          readCalls: 0,
          readBytes: 0,
        });
        if (options.tally) {
          options.tally.push({ shardIndex: shard.index, records: positions.length, bytes: dataBytes, throttled: throttles?.get(shard.index) ?? 0 });
          throttles?.delete(shard.index);
        }
        this.#appendSignal.notify(ShardAppendSignal.key(stream.streamKey, shard.index));
        const shardId = shardIdOf(shard.index);
        const sequenceNumbers = new ShardSequenceNumbers(shard);
        positions.forEach((position, i) => {
          results[position] = {
            shardId,
            sequenceNumber: sequenceNumbers.of(firstOffset + i, arrivalTime),
            encryptionType: stream.encryptionType,
          };
        });
      }),
    );
    // Shards whose every record was refused for throughput.
    if (options.tally && throttles) for (const [shardIndex, throttled] of throttles) options.tally.push({ shardIndex, records: 0, bytes: 0, throttled });
    if (fenced.length > 0) {
      // Nothing of them was stored: routed again, in request order, by the record the fence was for.
      fenced.sort((a, b) => a - b);
      const latest = await this.#streamAtRevision(stream, fencedFor);
      const again = await this.#append(latest, fenced.map((position) => entries[position]!), fenced.map((position) => hashKeys[position]!), {
        ...options,
        rerouted: rerouted + 1,
      });
      fenced.forEach((position, i) => (results[position] = again[i]!));
    }
    const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failures.length === 0) return results;
    // As AWS does, a PutRecords whose shards partly failed answers per entry; one that stored nothing fails whole.
    if (!options.perShardFailures || failures.length === outcomes.length) throw failures[0]!.reason;
    const shards = [...byShard.values()];
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') for (const position of shards[i]!) results[position] = { errorCode: 'InternalFailure' };
    });
    return results;
  }

  #offsetOfSequenceNumber(stream: StreamRecord, shard: ShardRecord, sequenceNumber: string, after: boolean): number {
    const shardId = shardIdOf(shard.index);
    const parts = decodeSequenceNumber(sequenceNumber);
    if (!parts) throw new EngineError('InvalidSequenceNumber', { sequenceNumber, shardId, stream: stream.name });
    if (parts.shardIndex !== shard.index) {
      throw new EngineError('SequenceNumberOtherShard', { encodedShardId: shardIdOf(parts.shardIndex), shardId });
    }
    if (parts.shardCreatedAt !== Math.floor(shard.createdAt / 1000) * 1000) {
      throw new EngineError('SequenceNumberOtherStream', { sequenceNumber, shardId, stream: stream.name });
    }
    if (parts.counter === MAX_SEQUENCE_COUNTER && shard.closedEndOffset !== undefined) {
      if (after) throw new EngineError('SequenceNumberAtShardEnd');
      return shard.closedEndOffset;
    }
    return offsetOfCounter(parts.counter, after);
  }

  /** The first offset still inside the retention period. Reads never write: trimming is the sweep's. */
  async #retentionStart(stream: StreamRecord, log: ShardLog): Promise<number> {
    const cutoff = this.clock.now() - stream.retentionHours * HOUR_MS;
    return Math.max(await log.offsetAtTime(cutoff), log.startOffset);
  }

  /** How old the next unread record is; 0 when caught up. */
  async #millisBehind(log: ShardLog, next: number, now: number): Promise<number> {
    if (next >= log.endOffset) return 0;
    const [unread] = await log.read(next, { maxRecords: 1, maxBytes: 0 });
    return unread ? Math.max(0, now - unread.arrivalTime) : 0;
  }

  #childShardsOf(stream: StreamRecord, parent: ShardRecord): ChildShard[] {
    return stream.shards
      .filter((shard) => shard.parentIndex === parent.index || shard.adjacentParentIndex === parent.index)
      .map((shard) => ({
        shardId: shardIdOf(shard.index),
        parentShards: [shard.parentIndex, shard.adjacentParentIndex]
          .filter((index): index is number => index !== undefined)
          .map(shardIdOf),
        hashKeyRange: { start: shard.hashKeyStart, end: shard.hashKeyEnd },
      }));
  }

  #log(stream: StreamRecord, shardIndex: number): Promise<ShardLog> {
    let logs = this.#logs.get(stream.streamKey);
    if (!logs) this.#logs.set(stream.streamKey, (logs = new Map()));
    let log = logs.get(shardIndex);
    if (!log) {
      log = this.#storage.openShardLog(stream.streamKey, shardIdOf(shardIndex));
      logs.set(shardIndex, log);
      // A failed open is retried by the next caller rather than cached.
      log.catch(() => logs.delete(shardIndex));
    }
    return log;
  }

  /**
   * Commits a stream's record, on condition that the store still holds the record this engine has (another node
   * sharing the store may have changed it: MetadataConflictError, see #controlled).
   */
  async #putStream(next: StreamRecord): Promise<void> {
    const current = this.#streams.get(next.name);
    const stream: StreamRecord = { ...next, revision: (current?.streamKey === next.streamKey ? (current.revision ?? 0) : 0) + 1 };
    await this.#storage.metadata.commit([{ type: 'putStream', stream, replaces: streamVersionOf(current) }]);
    this.#streams.set(stream.name, stream);
    this.#anyResourcePolicy = undefined;
    // Subscriptions learn at once of closed shards and removed consumers, not at their next idle event.
    this.#appendSignal.notifyStream(stream.streamKey);
  }

  /**
   * The record goes first, then the files: a crash in between leaves files no stream names, which open()
   * removes, never a stream whose records are half gone.
   */
  async #removeStream(stream: StreamRecord): Promise<void> {
    await this.#storage.metadata.commit([{ type: 'deleteStream', name: stream.name, replaces: streamVersionOf(this.#streams.get(stream.name)) }]);
    this.#forgetStream(stream);
    try {
      await this.#storage.deleteStreamLogs(stream.streamKey);
    } catch {
      // Left for the next start's sweep of unnamed stream files.
    }
  }

  /** What this engine holds in memory for a stream that is gone (deleted here or by another node). */
  #forgetStream(stream: StreamRecord): void {
    if (this.#streams.get(stream.name)?.streamKey === stream.streamKey) this.#streams.delete(stream.name);
    this.#anyResourcePolicy = undefined;
    this.#logs.delete(stream.streamKey);
    this.#gates.delete(stream.name);
    this.#writeRates.forget(stream.streamKey);
    this.#autoNext.delete(stream.streamKey);
    this.#dryRuns.delete(stream.streamKey);
    this.#appendSignal.notifyStream(stream.streamKey);
    const consumerArns = `${this.streamArn(stream.name)}/consumer/`;
    for (const key of [...this.#subscriptions.keys()]) if (key.startsWith(consumerArns)) this.#subscriptions.delete(key);
    for (const [key, timer] of [...this.#timers]) {
      if (!key.startsWith(`consumer\u0000${stream.name}\u0000`)) continue;
      this.clock.clearTimeout(timer);
      this.#timers.delete(key);
    }
    this.#dataPlane.forgetStream(stream.streamKey);
    this.#kinesisMetrics.forgetStream(stream.streamKey);
  }

  /**
   * Distributed mode: the metadata as a store shared with other Riffle nodes now holds it (after any node's commit,
   * this one's included). Streams are taken as they are there: created, changed and deleted by other nodes. A
   * lifecycle transition is completed by the node that began it (or by any node at its next start), never by two.
   */
  followMetadata(snapshot: MetadataSnapshot): void {
    if (this.#closed) return;
    const named = new Set<string>();
    for (const record of snapshot.streams) {
      named.add(record.name);
      const ours = this.#streams.get(record.name);
      // The same name created again elsewhere is another stream.
      if (ours !== undefined && ours.streamKey !== record.streamKey) this.#forgetStream(ours);
      this.#streams.set(record.name, record);
    }
    for (const stream of [...this.#streams.values()]) if (!named.has(stream.name)) this.#forgetStream(stream);
    this.channels.follow(snapshot.channels);
    this.#anyResourcePolicy = undefined;
    const commitment = snapshot.settings[BILLING_COMMITMENT_SETTING];
    this.#billingCommitmentSetting = commitment;
    this.#billingCommitment = commitment === undefined ? NO_BILLING_COMMITMENT : (JSON.parse(commitment) as BillingCommitment);
    // Transitions another node began are finished by whichever node gets there first (the others' commits are
    // refused and find the work done), so that a node that stops never leaves a stream CREATING or UPDATING.
    for (const stream of this.#streams.values()) {
      if (stream.status !== 'ACTIVE') this.#scheduleTransition(stream);
      for (const consumer of stream.consumers ?? []) if (consumer.status !== 'ACTIVE') this.#scheduleConsumerTransition(stream.name, consumer);
    }
    this.#followedDataKeys = this.#openNewDataKeys(snapshot);
  }

  /** Data keys another node made (its first StartStreamEncryption of a KMS key), opened before a read needs them. */
  async #openNewDataKeys(snapshot: MetadataSnapshot): Promise<void> {
    const fresh = snapshot.dataKeys.filter((dataKey) => !this.#dataKeys.has(dataKey.id));
    if (fresh.length === 0) return;
    try {
      this.#dataKeys.load(fresh, await this.#loadKeyring('read'));
    } catch {
      // The keyring cannot open them now: reads of records under them fail until it can.
    }
  }

  /**
   * Runs a control-plane operation in the control queue. When the store refuses its commit because another node
   * changed the record first, this engine takes the store's metadata as it is now and runs the operation again,
   * so that it decides on what is there (and answers as AWS would, say ResourceInUseException).
   */
  #controlled<T>(operation: () => Promise<T>): Promise<T> {
    return this.#control.run(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await operation();
        } catch (error) {
          if (!(error instanceof MetadataConflictError) || attempt >= CONFLICT_ATTEMPTS || this.#closed) throw error;
          await this.#refreshMetadata();
        }
      }
    });
  }

  async #refreshMetadata(): Promise<void> {
    this.followMetadata(await this.#storage.metadata.load());
    await this.#followedDataKeys;
  }

  #scheduleTransition(stream: StreamRecord): void {
    this.#scheduleAt(stream.name, stream.transitionDueAt ?? 0, () => this.#completeTransition(stream.name, stream.streamKey));
  }

  /**
   * Runs `work` in the control queue at `dueAt` (one timer per key, replacing an earlier one). If the store
   * refuses the change, the state stays as it is and the work is tried again a moment later.
   */
  #scheduleAt(key: string, dueAt: number, work: () => Promise<void>): void {
    const previous = this.#timers.get(key);
    if (previous !== undefined) this.clock.clearTimeout(previous);
    const timer = this.clock.setTimeout(
      () =>
        this.#controlled(async () => {
          this.#timers.delete(key);
          if (this.#closed) return;
          try {
            await work();
          } catch (error) {
            // Another node did it or changed the stream first: taking the store's state reschedules what is left.
            if (error instanceof MetadataConflictError && (await this.#refreshMetadata().then(() => true, () => false))) return;
            this.#scheduleAt(key, this.clock.now() + TRANSITION_RETRY_MS, work);
          }
        }),
      Math.max(0, dueAt - this.clock.now()),
    );
    this.#timers.set(key, timer);
  }

  async #completeTransition(name: string, streamKey: string): Promise<void> {
    const stream = this.#streams.get(name);
    if (!stream || stream.streamKey !== streamKey) return;
    if (stream.status === 'DELETING') {
      await this.#removeStream(stream);
      return;
    }
    if (stream.status === 'UPDATING' && stream.pendingUpdate !== undefined) {
      await this.#applyUpdate(stream, stream.pendingUpdate);
      return;
    }
    if (stream.status === 'CREATING' || stream.status === 'UPDATING') {
      const { transitionDueAt: _done, ...rest } = stream;
      await this.#putStream({ ...rest, status: 'ACTIVE' satisfies StreamStatus });
    }
  }
}




/** What a PutRecords did, for its metrics: per entry from the answer, per shard from the appends. */
function putRecordsOutcome(results: readonly PutRecordsResultEntry[], shards: readonly ShardWrite[]): PutRecordsOutcome {
  let throttled = 0;
  let failed = 0;
  for (const result of results) {
    if (!('errorCode' in result)) continue;
    if (result.errorCode === 'ProvisionedThroughputExceededException') throttled++;
    else failed++;
  }
  let bytes = 0;
  for (const shard of shards) bytes += shard.bytes;
  return { total: results.length, successful: results.length - throttled - failed, failed, throttled, bytes, shards };
}

/** GetRecords.IteratorAgeMilliseconds: the age of the call's last record, or how far behind the tip an empty read is. */
function readOutcome(shardIndex: number, records: readonly RecordView[], now: number, millisBehindLatest: number): ReadOutcome {
  let bytes = 0;
  for (const record of records) bytes += record.data.byteLength;
  const last = records[records.length - 1];
  return { shardIndex, records: records.length, bytes, iteratorAgeMs: last === undefined ? millisBehindLatest : Math.max(0, now - last.arrivalTime) };
}
