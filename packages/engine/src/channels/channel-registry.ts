import { randomUUID } from 'node:crypto';
import type {
  ChannelDeadLetterQueueRecord,
  ChannelDestinationRecord,
  ChannelRecord,
  ChannelS3TableRecord,
  MetadataStore,
  ObjectStore,
  StreamRecord,
} from '@riffle/storage';
import type { Clock, TimerHandle } from '../clock.js';
import type { EngineConfig } from '../engine-config.js';
import { EngineError } from '../engine-error.js';
import { ChannelDelivery, withoutPending } from './channel-delivery.js';
import type { ChannelSource } from './channel-source.js';
import { compressionAvailable } from './delivery-batch.js';
import { DEFAULT_OUTPUT_KEY_TEMPLATE, errorOutputPrefixProblem, outputKeyTemplateProblem } from './object-key-template.js';

type RecordFormat = ChannelRecord['stream']['recordFormat'];
type DestinationType = ChannelDestinationRecord['type'];

export interface DeadLetterQueueInput {
  readonly bucketArn: string;
  readonly expectedBucketOwner: string;
  readonly errorOutputPrefix?: string;
}

export interface LoggingInput {
  readonly enabled: boolean;
  readonly logGroupName?: string;
  readonly logStreamName?: string;
}

/** CreateChannel after the API layer's argument checks: one stream, one destination. */
export interface CreateChannelInput {
  readonly name: string;
  readonly serviceExecutionRoleArn: string;
  readonly stream: { readonly name: string; readonly recordFormat: RecordFormat; readonly gsrSchemaArn?: string };
  readonly destination:
    | {
        readonly type: 'S3';
        readonly dataFreshnessSeconds?: number;
        readonly storage: {
          readonly bucketArn: string;
          readonly expectedBucketOwner: string;
          readonly compressionType: 'NONE' | 'GZIP' | 'ZSTD';
          readonly outputKeyTemplate?: string;
          readonly storageClass?: 'STANDARD' | 'INTELLIGENT_TIERING' | 'GLACIER_IR';
        };
        readonly deadLetterQueue?: DeadLetterQueueInput;
      }
    | {
        readonly type: 'S3_TABLES';
        readonly dataFreshnessSeconds?: number;
        readonly tables: readonly ChannelS3TableRecord[];
        readonly deadLetterQueue: DeadLetterQueueInput;
      };
  readonly encryption?: { readonly type: 'KMS'; readonly keyId: string };
  readonly logging?: LoggingInput;
  readonly tags?: Readonly<Record<string, string>>;
}

/** UpdateChannel: only the data freshness (of the channel's destination type) and logging change. */
export interface UpdateChannelInput {
  readonly dataFreshness?: { readonly destinationType: DestinationType; readonly member: string; readonly seconds: number };
  readonly logging?: LoggingInput;
}

/** A read-only view of one channel, as DescribeChannel and ListChannels show it. */
export interface ChannelSnapshot {
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  readonly status: ChannelRecord['status'];
  readonly failure?: ChannelRecord['failure'];
  readonly createdAt: number;
  readonly serviceExecutionRoleArn: string;
  readonly stream: {
    readonly name: string;
    readonly arn: string;
    readonly createdAt: number;
    readonly recordFormat: RecordFormat;
    readonly gsrSchemaArn?: string;
  };
  readonly destination: ChannelDestinationRecord;
  readonly encryption?: ChannelRecord['encryption'];
  readonly logging: ChannelRecord['logging'];
  readonly tags: ChannelRecord['tags'];
}

export interface ChannelRegistryOptions {
  readonly config: EngineConfig;
  readonly clock: Clock;
  readonly metadata: MetadataStore;
  /** Where S3 destinations are written; without it channels are managed but deliver nothing. */
  readonly objects: ObjectStore | undefined;
  readonly source: ChannelSource;
  /** Runs a task in the engine's control queue, after every control-plane change queued before it. */
  run<T>(task: () => Promise<T>): Promise<T>;
  streamArn(name: string): string;
  /**
   * Distributed mode: this node's id. Its channels are the ones it created; the others' are theirs to deliver,
   * so that no two nodes deliver one channel.
   */
  readonly homeNode?: string;
}

/** AWS's limits and defaults for channels (Developer Guide: data delivery concepts and quotas; the API reference). */
export const CHANNEL_LIMITS = {
  minDataFreshnessSeconds: 300,
  maxDataFreshnessSeconds: 900,
  defaultDataFreshnessSeconds: 300,
  /** One channel to S3 and one to S3 Tables per stream. */
  channelsPerStreamPerDestination: 1,
  defaultLogStreamName: 'DestinationDelivery',
} as const;

/** Riffle's size bound of one delivered object (AWS batches into "optimally sized objects", size unpublished). */
export const DEFAULT_CHANNEL_OBJECT_BYTES = 64 * 1024 * 1024;

const TRANSITION_RETRY_MS = 1_000;
const SERVICE_KEYS = new Set(['aws/kinesis', 'alias/aws/kinesis']);

/**
 * The account's channels: their records, CREATING -> ACTIVE -> UPDATING / DELETING -> gone with the engine's
 * lifecycle delays, and one ChannelDelivery per ACTIVE channel. Every change of a record runs in the engine's
 * control queue, so it is ordered with stream changes (a stream with channels cannot be deleted).
 */
export class ChannelRegistry {
  readonly #options: ChannelRegistryOptions;
  #channels = new Map<string, ChannelRecord>();
  #others = new Map<string, ChannelRecord>();
  readonly #timers = new Map<string, TimerHandle>();
  readonly #deliveries = new Map<string, ChannelDelivery>();
  #closed = false;

  constructor(options: ChannelRegistryOptions) {
    this.#options = options;
  }

  arnOf(id: string): string {
    const { region, accountId } = this.#options.config;
    return `arn:aws:kinesis:${region}:${accountId}:channel/${id}`;
  }

  /** Settles deliveries a crash interrupted, resumes pending transitions and starts delivering. */
  async open(stored: readonly ChannelRecord[]): Promise<void> {
    const records = stored.filter((record) => this.#isHome(record));
    this.#channels = new Map(records.map((record) => [record.id, record]));
    this.follow(stored);
    for (const record of records) {
      if (record.pendingDelivery) await this.#settlePending(record);
      const current = this.#channels.get(record.id)!;
      if (current.status === 'CREATING' || current.status === 'UPDATING' || current.status === 'DELETING') this.#scheduleTransition(current);
      if (current.status === 'ACTIVE' || current.status === 'UPDATING') this.#startDelivery(current);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers.values()) this.#options.clock.clearTimeout(timer);
    this.#timers.clear();
    await Promise.all([...this.#deliveries.values()].map((delivery) => delivery.close()));
    this.#deliveries.clear();
  }

  /**
   * Distributed mode: the channels other nodes keep, as the shared metadata now holds them. They are described,
   * listed and counted here (names stay unique across nodes); only their home node changes and delivers them.
   */
  follow(stored: readonly ChannelRecord[]): void {
    this.#others = new Map(stored.filter((record) => !this.#isHome(record)).map((record) => [record.id, record]));
  }

  #isHome(record: ChannelRecord): boolean {
    return record.homeNode === undefined || record.homeNode === this.#options.homeNode;
  }

  /** This node's channels and the others'. */
  #all(): ChannelRecord[] {
    return [...this.#channels.values(), ...this.#others.values()];
  }

  // ---- reads ----

  describe(id: string): ChannelSnapshot {
    const other = this.#others.get(id);
    return this.#snapshotOf(other ?? this.#channel(id));
  }

  /** Every channel, in any state, sorted by name. */
  list(): ChannelSnapshot[] {
    return this.#all()
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((record) => this.#snapshotOf(record));
  }

  count(): number {
    return this.#channels.size + this.#others.size;
  }

  /** Each on-demand stream can have two channels, so the account's quota follows from the stream quota (Developer Guide). */
  countLimit(): number {
    return this.#options.config.onDemandStreamCountLimit * 2;
  }

  countForStream(name: string): number {
    let count = 0;
    for (const record of this.#all()) if (record.stream.name === name) count++;
    return count;
  }

  /** DeleteStream's check ("a stream cannot be deleted while it has active channels"); run it in the control queue. */
  assertStreamDeletable(name: string): void {
    if (this.countForStream(name) > 0) throw new EngineError('StreamHasChannels', { stream: name });
  }

  // ---- changes ----

  create(input: CreateChannelInput): Promise<ChannelSnapshot> {
    return this.#options.run(async () => {
      const destination = this.#checkDestination(input);
      this.#checkRecordFormat(input);
      if (input.encryption && SERVICE_KEYS.has(input.encryption.keyId)) {
        throw new EngineError('ChannelServiceKey', { keyId: input.encryption.keyId });
      }
      const stream = this.#options.source.stream(input.stream.name);
      if (!stream) throw new EngineError('StreamNotFound', { stream: input.stream.name });
      if (stream.status !== 'ACTIVE') throw new EngineError('StreamNotActive', { stream: stream.name, status: stream.status });
      if (stream.mode !== 'ON_DEMAND') throw new EngineError('ChannelStreamNotOnDemand', { stream: stream.name });
      const existing = this.#all();
      if (existing.some((record) => record.name === input.name)) throw new EngineError('ChannelExists', { channel: input.name });
      const sameType = existing.filter((record) => record.stream.name === stream.name && record.destination.type === destination.type);
      if (sameType.length >= CHANNEL_LIMITS.channelsPerStreamPerDestination) {
        throw new EngineError('ChannelsPerStreamExceeded', { stream: stream.name, destinationType: destination.type });
      }

      const id = randomUUID();
      const now = this.#options.clock.now();
      const delay = this.#options.config.createStreamMs;
      const record: ChannelRecord = {
        id,
        name: input.name,
        status: 'CREATING',
        ...(this.#options.homeNode === undefined ? {} : { homeNode: this.#options.homeNode }),
        ...(delay > 0 ? { transitionDueAt: now + delay } : {}),
        createdAt: now,
        serviceExecutionRoleArn: input.serviceExecutionRoleArn,
        stream: {
          name: stream.name,
          streamKey: stream.streamKey,
          createdAt: stream.createdAt,
          recordFormat: input.stream.recordFormat,
          ...(input.stream.gsrSchemaArn === undefined ? {} : { gsrSchemaArn: input.stream.gsrSchemaArn }),
        },
        destination: withDefaults(destination, input.name, id),
        ...(input.encryption ? { encryption: { type: input.encryption.type, keyId: input.encryption.keyId } } : {}),
        logging: loggingOf(input.logging, undefined, input.name, id),
        tags: Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value })),
        positions: [],
      };
      if (delay > 0) {
        await this.#put(record);
        this.#scheduleTransition(record);
        return this.#snapshotOf(record);
      }
      // No delay: the description says CREATING, as CreateChannel's always does, and the channel is ACTIVE already.
      await this.#put(await this.#activated(record));
      this.#startDelivery(this.#channels.get(id)!);
      return this.#snapshotOf(record);
    });
  }

  update(id: string, input: UpdateChannelInput): Promise<ChannelSnapshot> {
    return this.#options.run(async () => {
      const record = this.#channel(id);
      if (record.status !== 'ACTIVE') throw new EngineError('ChannelNotActive', { channelId: id, status: record.status });
      let destination = record.destination;
      if (input.dataFreshness) {
        const { destinationType, member, seconds } = input.dataFreshness;
        if (destinationType !== destination.type) {
          throw new EngineError('ChannelDestinationMismatch', { channelId: id, member, destinationType: destination.type });
        }
        checkFreshness(seconds);
        destination = { ...destination, dataFreshnessSeconds: seconds };
      }
      const logging = input.logging ? loggingOf(input.logging, record.logging, record.name, id) : record.logging;
      const delay = this.#options.config.updateStreamMs;
      const updated: ChannelRecord = {
        ...record,
        destination,
        logging,
        status: delay > 0 ? 'UPDATING' : 'ACTIVE',
        ...(delay > 0 ? { transitionDueAt: this.#options.clock.now() + delay } : {}),
      };
      await this.#put(updated);
      if (delay > 0) this.#scheduleTransition(updated);
      // As UpdateChannel answers: UPDATING, even when the change is made at once.
      return this.#snapshotOf({ ...updated, status: 'UPDATING' });
    });
  }

  delete(id: string): Promise<void> {
    return this.#options.run(async () => {
      const record = this.#channel(id);
      if (record.status !== 'ACTIVE' && record.status !== 'FAILED') {
        throw new EngineError('ChannelNotActive', { channelId: id, status: record.status });
      }
      // Delivery stops now; what is buffered and not yet written is not delivered.
      this.#stopDelivery(id);
      const delay = this.#options.config.deleteStreamMs;
      if (delay <= 0) {
        await this.#remove(record);
        return;
      }
      const deleting: ChannelRecord = { ...record, status: 'DELETING', transitionDueAt: this.#options.clock.now() + delay };
      await this.#put(deleting);
      this.#scheduleTransition(deleting);
    });
  }

  // ---- internals ----

  /** One of this node's channels, to change. */
  #channel(id: string): ChannelRecord {
    const record = this.#channels.get(id);
    if (record) return record;
    const other = this.#others.get(id);
    if (other) throw new EngineError('ChannelOnAnotherNode', { channelId: id, node: other.homeNode ?? '' });
    throw new EngineError('ChannelNotFound', { channelId: id });
  }

  #snapshotOf(record: ChannelRecord): ChannelSnapshot {
    return {
      arn: this.arnOf(record.id),
      id: record.id,
      name: record.name,
      status: record.status,
      ...(record.failure === undefined ? {} : { failure: record.failure }),
      createdAt: record.createdAt,
      serviceExecutionRoleArn: record.serviceExecutionRoleArn,
      stream: {
        name: record.stream.name,
        arn: this.#options.streamArn(record.stream.name),
        createdAt: record.stream.createdAt,
        recordFormat: record.stream.recordFormat,
        ...(record.stream.gsrSchemaArn === undefined ? {} : { gsrSchemaArn: record.stream.gsrSchemaArn }),
      },
      destination: record.destination,
      ...(record.encryption === undefined ? {} : { encryption: record.encryption }),
      logging: record.logging,
      tags: record.tags,
    };
  }

  #checkDestination(input: CreateChannelInput): CreateChannelInput['destination'] {
    const destination = input.destination;
    if (destination.dataFreshnessSeconds !== undefined) checkFreshness(destination.dataFreshnessSeconds);
    if (destination.type === 'S3') {
      const template = destination.storage.outputKeyTemplate;
      const problem = template === undefined ? undefined : outputKeyTemplateProblem(template);
      if (problem) throw new EngineError('InvalidObjectKeyTemplate', { member: 'OutputKeyTemplate', value: template!, ...problem });
    } else if (destination.tables.length !== 1) {
      throw new EngineError('ChannelTableCount', { count: destination.tables.length });
    }
    const prefix = destination.deadLetterQueue?.errorOutputPrefix;
    const problem = prefix === undefined ? undefined : errorOutputPrefixProblem(prefix);
    if (problem) throw new EngineError('InvalidObjectKeyTemplate', { member: 'ErrorOutputPrefix', value: prefix!, ...problem });
    return destination;
  }

  /** GSR_JSON only to streaming tables, STRING and BYTE_ARRAY only to S3, JSON to both (API reference, RecordConfiguration). */
  #checkRecordFormat(input: CreateChannelInput): void {
    const format = input.stream.recordFormat;
    const type = input.destination.type;
    const supported = type === 'S3' ? format !== 'GSR_JSON' : format === 'JSON' || format === 'GSR_JSON';
    if (!supported) throw new EngineError('RecordFormatNotSupported', { format, destinationType: type });
    // "Required when the channel destination is a streaming table."
    if (type === 'S3_TABLES' && input.stream.gsrSchemaArn === undefined) throw new EngineError('GsrSchemaRequired');
  }

  /**
   * The record as it becomes ACTIVE, or FAILED when Riffle cannot deliver it. Delivery starts at each open shard's
   * end: AWS delivers only records produced after the channel is ACTIVE ("no backfill", aws/agent-toolkit-for-aws,
   * managing-amazon-kinesis-data-streams, general-purpose-delivery-to-s3.md).
   */
  async #activated(record: ChannelRecord): Promise<ChannelRecord> {
    const { transitionDueAt: _done, ...rest } = record;
    if (record.destination.type === 'S3_TABLES') return { ...rest, status: 'FAILED', failure: 'S3TablesNotDelivered' };
    if (!compressionAvailable(record.destination.storage.compressionType)) {
      return { ...rest, status: 'FAILED', failure: 'CompressionUnavailable' };
    }
    const stream = this.#options.source.stream(record.stream.name);
    const positions: { shardIndex: number; offset: number }[] = [];
    if (stream && stream.streamKey === record.stream.streamKey) {
      for (const shard of stream.shards) {
        const offset = shard.closedEndOffset ?? (await this.#options.source.endOffset(stream, shard.index));
        positions.push({ shardIndex: shard.index, offset });
      }
    }
    return { ...rest, status: 'ACTIVE', positions };
  }

  /**
   * A crash came while a delivery's objects were being written: when all of them are there, their positions are
   * taken; otherwise they are removed and delivery repeats from the positions before them.
   */
  async #settlePending(record: ChannelRecord): Promise<void> {
    const pending = record.pendingDelivery!;
    const objects = this.#options.objects;
    let complete = false;
    if (objects) {
      const present = await Promise.all(pending.objects.map((object) => objects.hasObject(object.bucket, object.key)));
      complete = present.every(Boolean);
      if (!complete) for (const object of pending.objects) await objects.deleteObject(object.bucket, object.key);
    }
    const settled = withoutPending(record);
    await this.#put(complete ? { ...settled, positions: pending.positions } : settled);
  }

  #startDelivery(record: ChannelRecord): void {
    const objects = this.#options.objects;
    if (this.#closed || !objects || this.#deliveries.has(record.id) || record.destination.type !== 'S3') return;
    const { config, clock, source } = this.#options;
    const id = record.id;
    const delivery = new ChannelDelivery({
      clock,
      source,
      objects,
      current: () => this.#channels.get(id),
      commit: (change) =>
        this.#options.run(async () => {
          const current = this.#channels.get(id);
          if (!current) return false;
          await this.#put(change(current));
          return true;
        }),
      freshnessMs: (channel) => config.channelFreshnessMs ?? channel.destination.dataFreshnessSeconds * 1000,
      maxObjectBytes: config.channelObjectBytes ?? DEFAULT_CHANNEL_OBJECT_BYTES,
    });
    this.#deliveries.set(id, delivery);
    delivery.start();
  }

  #stopDelivery(id: string): void {
    this.#deliveries.get(id)?.stop();
    this.#deliveries.delete(id);
  }

  async #put(record: ChannelRecord): Promise<void> {
    await this.#options.metadata.commit([{ type: 'putChannel', channel: record }]);
    this.#channels.set(record.id, record);
  }

  async #remove(record: ChannelRecord): Promise<void> {
    await this.#options.metadata.commit([{ type: 'deleteChannel', id: record.id }]);
    this.#channels.delete(record.id);
  }

  #scheduleTransition(record: ChannelRecord): void {
    const { clock } = this.#options;
    const previous = this.#timers.get(record.id);
    if (previous !== undefined) clock.clearTimeout(previous);
    const delay = Math.max(0, (record.transitionDueAt ?? 0) - clock.now());
    const timer = clock.setTimeout(
      () =>
        this.#options.run(async () => {
          this.#timers.delete(record.id);
          if (this.#closed) return;
          try {
            await this.#completeTransition(record.id);
          } catch {
            // The store refused the change: the channel keeps its state and the transition is tried again.
            const current = this.#channels.get(record.id);
            if (current) this.#scheduleTransition({ ...current, transitionDueAt: clock.now() + TRANSITION_RETRY_MS });
          }
        }),
      delay,
    );
    this.#timers.set(record.id, timer);
  }

  async #completeTransition(id: string): Promise<void> {
    const record = this.#channels.get(id);
    if (!record) return;
    switch (record.status) {
      case 'DELETING':
        await this.#remove(record);
        return;
      case 'CREATING':
        await this.#put(await this.#activated(record));
        this.#startDelivery(this.#channels.get(id)!);
        return;
      case 'UPDATING': {
        const { transitionDueAt: _done, ...rest } = record;
        await this.#put({ ...rest, status: 'ACTIVE' });
        return;
      }
      default:
        return;
    }
  }
}

function checkFreshness(seconds: number): void {
  const { minDataFreshnessSeconds: min, maxDataFreshnessSeconds: max } = CHANNEL_LIMITS;
  if (seconds < min || seconds > max) throw new EngineError('DataFreshnessOutOfRange', { value: seconds, min, max });
}

/**
 * What DescribeChannel shows for what CreateChannel left out: freshness 300 s, the default key template, STANDARD,
 * and a dead-letter queue in the destination bucket under `kinesis-channel/errors/<name>/<id>/` (the SDK's
 * CreateChannel example response; S3DestinationConfiguration documentation).
 */
function withDefaults(destination: CreateChannelInput['destination'], name: string, id: string): ChannelDestinationRecord {
  const dataFreshnessSeconds = destination.dataFreshnessSeconds ?? CHANNEL_LIMITS.defaultDataFreshnessSeconds;
  const deadLetterQueueOf = (dlq: DeadLetterQueueInput): ChannelDeadLetterQueueRecord => ({
    bucketArn: dlq.bucketArn,
    expectedBucketOwner: dlq.expectedBucketOwner,
    errorOutputPrefix: dlq.errorOutputPrefix ?? `kinesis-channel/errors/${name}/${id}/`,
  });
  if (destination.type === 'S3_TABLES') {
    return { type: 'S3_TABLES', dataFreshnessSeconds, tables: destination.tables, deadLetterQueue: deadLetterQueueOf(destination.deadLetterQueue) };
  }
  const { storage } = destination;
  return {
    type: 'S3',
    dataFreshnessSeconds,
    storage: {
      bucketArn: storage.bucketArn,
      expectedBucketOwner: storage.expectedBucketOwner,
      compressionType: storage.compressionType,
      outputKeyTemplate: storage.outputKeyTemplate ?? DEFAULT_OUTPUT_KEY_TEMPLATE,
      storageClass: storage.storageClass ?? 'STANDARD',
    },
    deadLetterQueue: deadLetterQueueOf(destination.deadLetterQueue ?? { bucketArn: storage.bucketArn, expectedBucketOwner: storage.expectedBucketOwner }),
  };
}

/**
 * Logging as DescribeChannel shows it: off when not given; when on, the log group and stream default to
 * `/aws/kinesis/<name>/<id>` and `DestinationDelivery` (API reference, CloudWatchLogs). An update keeps names it
 * does not give. Riffle writes no CloudWatch logs; the setting is kept and reported.
 */
function loggingOf(input: LoggingInput | undefined, previous: ChannelRecord['logging'] | undefined, name: string, id: string): ChannelRecord['logging'] {
  if (!input) return { enabled: false };
  const logGroupName = input.logGroupName ?? previous?.logGroupName ?? (input.enabled ? `/aws/kinesis/${name}/${id}` : undefined);
  const logStreamName = input.logStreamName ?? previous?.logStreamName ?? (input.enabled ? CHANNEL_LIMITS.defaultLogStreamName : undefined);
  return {
    enabled: input.enabled,
    ...(logGroupName === undefined ? {} : { logGroupName }),
    ...(logStreamName === undefined ? {} : { logStreamName }),
  };
}
