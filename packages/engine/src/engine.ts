import { randomBytes } from 'node:crypto';
import type { ObjectStore, ShardLog, ShardRecord, Storage, StreamRecord } from '@riffle/storage';
import { ChannelRegistry } from './channels/channel-registry.js';
import type { ChannelSource } from './channels/channel-source.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import type { EngineConfig } from './engine-config.js';
import { EngineError, type ShardIteratorType } from './engine-error.js';
import { hashKeyOf, initialHashRanges, parseExplicitHashKey, type HashKeyRange } from './hash-key.js';
import { KINESIS_LIMITS } from './kinesis-limits.js';
import {
  decodeSequenceNumber,
  MAX_SEQUENCE_COUNTER,
  offsetOfCounter,
  ShardSequenceNumbers,
} from './sequence-number.js';
import { SerialQueue } from './serial-queue.js';
import { resolveShardIndex, shardIdOf } from './shard-id.js';
import { SHARD_ITERATOR_TTL_MS, ShardIteratorCodec } from './shard-iterator.js';
import { ShardRouter } from './shard-router.js';
import {
  streamSnapshotOf,
  type EncryptionType,
  type StreamMode,
  type StreamSnapshot,
  type StreamStatus,
} from './stream-snapshot.js';
import { checkTagsToAdd } from './tag-rules.js';

export interface EngineOptions {
  readonly storage: Storage;
  readonly clock?: Clock;
  readonly config: EngineConfig;
  /** Where channels deliver (the local S3 buckets); without it channels are managed but deliver nothing. */
  readonly objects?: ObjectStore;
}

export interface CreateStreamInput {
  readonly name: string;
  /** Required for PROVISIONED; ignored for ON_DEMAND, which starts with 4 shards. */
  readonly shardCount?: number;
  readonly mode: StreamMode;
  readonly tags?: Readonly<Record<string, string>>;
  readonly maxRecordSizeKiB?: number;
}

export interface PutRecordEntry {
  readonly data: Uint8Array;
  readonly partitionKey: string;
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
  | { readonly errorCode: 'InternalFailure' }
  | { readonly errorCode: string; readonly errorMessage: string };

export interface ShardIteratorOptions {
  readonly startingSequenceNumber?: string;
  /** Epoch ms, for AT_TIMESTAMP. */
  readonly timestamp?: number;
}

export interface GetRecordsOptions {
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

const HOUR_MS = 3_600_000;
const ITERATOR_KEY_SETTING = 'shardIteratorKey';
const TRANSITION_RETRY_MS = 1_000;
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
  readonly #storage: Storage;
  #iterators: ShardIteratorCodec;
  readonly #control = new SerialQueue();
  #streams = new Map<string, StreamRecord>();
  readonly #timers = new Map<string, TimerHandle>();
  readonly #logs = new Map<string, Map<number, Promise<ShardLog>>>();
  readonly #routers = new WeakMap<StreamRecord, ShardRouter>();
  #retentionTimer: TimerHandle | undefined;
  #sweeping: Promise<void> | undefined;
  #closed = false;

  constructor(options: EngineOptions) {
    this.config = options.config;
    this.clock = options.clock ?? systemClock;
    this.#storage = options.storage;
    this.#iterators = new ShardIteratorCodec(options.config.iteratorKey);
    this.channels = new ChannelRegistry({
      config: this.config,
      clock: this.clock,
      metadata: this.#storage.metadata,
      objects: options.objects,
      source: this.#channelSource(),
      run: (task) => this.#control.run(task),
      streamArn: (name) => this.streamArn(name),
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
        await this.#storage.metadata.commit([{ type: 'putSetting', key: ITERATOR_KEY_SETTING, value: key }]);
      }
      this.#iterators = new ShardIteratorCodec(Buffer.from(key, 'base64'));
    }
    this.#streams = new Map(snapshot.streams.map((stream) => [stream.name, stream]));
    for (const stream of this.#streams.values()) {
      if (stream.status !== 'ACTIVE') this.#scheduleTransition(stream);
    }
    // Logs of streams the metadata no longer names: a crash came between deleting the files and the record.
    const live = new Set([...this.#streams.values()].map((stream) => stream.streamKey));
    for (const key of await this.#storage.listStreamKeys()) if (!live.has(key)) await this.#storage.deleteStreamLogs(key);
    await this.channels.open(snapshot.channels);
    this.#scheduleRetentionSweep();
  }

  /** Stops lifecycle timers and waits for control-plane work in flight. Storage belongs to the caller. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.channels.close();
    for (const timer of this.#timers.values()) this.clock.clearTimeout(timer);
    this.#timers.clear();
    if (this.#retentionTimer !== undefined) this.clock.clearTimeout(this.#retentionTimer);
    await this.#sweeping;
    await this.#control.drain();
  }

  // ---- streams ----

  streamArn(name: string): string {
    return `arn:aws:kinesis:${this.config.region}:${this.config.accountId}:stream/${name}`;
  }

  createStream(input: CreateStreamInput): Promise<void> {
    return this.#control.run(async () => {
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
        const current = streams.filter((stream) => stream.mode === 'ON_DEMAND').length;
        const limit = this.config.onDemandStreamCountLimit;
        if (current >= limit) throw new EngineError('OnDemandStreamLimit', { current, limit });
      } else {
        const current = this.#provisionedOpenShards();
        const limit = this.config.shardLimit;
        if (current + shardCount > limit) {
          throw new EngineError('ShardLimitExceeded', { current, limit, additional: shardCount });
        }
      }
      const tags = input.tags ?? {};
      checkTagsToAdd(name, tags, []);

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
      };
      await this.#putStream(stream);
      if (stream.status !== 'ACTIVE') this.#scheduleTransition(stream);
    });
  }

  /** `enforceConsumerDeletion` matters once consumers exist; there are none yet. */
  deleteStream(name: string, _options: { enforceConsumerDeletion?: boolean } = {}): Promise<void> {
    return this.#control.run(async () => {
      const stream = this.#activeStream(name);
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
    return streamSnapshotOf(this.#stream(name), this.streamArn(name));
  }

  /** Every stream, in any state, sorted by name. */
  listStreams(): StreamSnapshot[] {
    return [...this.#streams.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((stream) => streamSnapshotOf(stream, this.streamArn(stream.name)));
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
    return this.#control.run(async () => {
      const stream = this.#activeStream(name);
      this.#checkRetentionBounds(hours);
      if (hours < stream.retentionHours) {
        throw new EngineError('RetentionNotIncrease', { stream: name, requested: hours, current: stream.retentionHours });
      }
      // What has already expired stays gone: trimmed before the longer period could show it again.
      await this.#trimExpired(stream);
      await this.#putStream({ ...stream, retentionHours: hours });
    });
  }

  decreaseRetention(name: string, hours: number): Promise<void> {
    return this.#control.run(async () => {
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
      await this.#control.run(async () => {
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

  async #trimExpired(stream: StreamRecord): Promise<void> {
    for (const shard of stream.shards) {
      const log = await this.#log(stream, shard.index);
      const start = await this.#retentionStart(stream, log);
      if (start > log.startOffset) await log.trimBefore(start);
    }
  }

  // ---- tags ----

  addTags(name: string, tags: Readonly<Record<string, string>>): Promise<void> {
    return this.#control.run(async () => {
      const stream = this.#stream(name);
      checkTagsToAdd(name, tags, stream.tags.map((tag) => tag.key));
      const merged = new Map(stream.tags.map((tag) => [tag.key, tag.value]));
      for (const [key, value] of Object.entries(tags)) merged.set(key, value);
      await this.#putStream({ ...stream, tags: [...merged].map(([key, value]) => ({ key, value })) });
    });
  }

  /** Keys the stream does not have are ignored. */
  removeTags(name: string, keys: readonly string[]): Promise<void> {
    return this.#control.run(async () => {
      const stream = this.#stream(name);
      const removed = new Set(keys);
      await this.#putStream({ ...stream, tags: stream.tags.filter((tag) => !removed.has(tag.key)) });
    });
  }

  /** Sorted by key. */
  listTags(name: string): Tag[] {
    return this.#stream(name)
      .tags.map((tag) => ({ key: tag.key, value: tag.value }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  // ---- writes ----

  async putRecord(name: string, entry: PutRecordEntry, sequenceNumberForOrdering?: string): Promise<PutRecordResult> {
    const stream = this.#writableStream(name);
    const hashKey = this.#checkEntry(stream, entry);
    if (sequenceNumberForOrdering !== undefined) {
      const parts = decodeSequenceNumber(sequenceNumberForOrdering);
      // Our numbers rise strictly per shard already; a number from the future was never handed out (kinesalite).
      if (!parts || parts.writtenAt > this.clock.now()) {
        throw new EngineError('InvalidSequenceNumberForOrdering', { value: sequenceNumberForOrdering, stream: name });
      }
    }
    const [result] = await this.#append(stream, [entry], [hashKey]);
    return result as PutRecordResult;
  }

  /** All entries are checked before any is written; results come back in request order. */
  async putRecords(name: string, entries: readonly PutRecordEntry[]): Promise<PutRecordsResultEntry[]> {
    const stream = this.#writableStream(name);
    const hashKeys = entries.map((entry) => this.#checkEntry(stream, entry));
    return this.#append(stream, entries, hashKeys, { perShardFailures: true });
  }

  // ---- reads ----

  async getShardIterator(
    name: string,
    shardId: string,
    type: ShardIteratorType,
    options: ShardIteratorOptions = {},
  ): Promise<string> {
    const index = resolveShardIndex(shardId);
    if (index === undefined) throw new EngineError('CouldNotFindShard', { stream: name, shardId });
    const canonicalId = shardIdOf(index);
    const stream = this.#streams.get(name);
    const shard = stream && stream.status !== 'CREATING' ? this.#shardOf(stream, index) : undefined;
    if (!stream || !shard) throw new EngineError('ShardNotFound', { stream: name, shardId: canonicalId });

    const sequenceNumber = options.startingSequenceNumber;
    const needsSequenceNumber = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
    if (needsSequenceNumber !== (sequenceNumber !== undefined)) {
      throw new EngineError('IteratorTypeMismatch', { type, hasSequenceNumber: sequenceNumber !== undefined });
    }

    const now = this.clock.now();
    const log = await this.#log(stream, index);
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
    return this.#iterators.seal({
      streamName: name,
      streamCreatedAt: stream.createdAt,
      shardIndex: index,
      offset,
      issuedAt: now,
    });
  }

  async getRecords(iterator: string, options: GetRecordsOptions = {}): Promise<GetRecordsResult> {
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
    if (!stream || !shard) {
      throw new EngineError('ShardNotFound', { stream: name, shardId: shardIdOf(position.shardIndex) });
    }

    const log = await this.#log(stream, shard.index);
    const from = Math.max(position.offset, await this.#retentionStart(stream, log));
    const limit = Math.min(Math.max(1, options.limit ?? KINESIS_LIMITS.getRecordsMaxRecords), KINESIS_LIMITS.getRecordsMaxRecords);
    const stored = await log.read(from, { maxRecords: limit, maxBytes: KINESIS_LIMITS.getRecordsMaxBytes });
    const sequenceNumbers = new ShardSequenceNumbers(shard);
    const records = stored.map((record) => ({
      sequenceNumber: sequenceNumbers.of(record.offset, record.arrivalTime),
      arrivalTime: record.arrivalTime,
      data: record.data,
      partitionKey: record.partitionKey,
      encryptionType: stream.encryptionType,
    }));
    const next = stored.length > 0 ? stored[stored.length - 1]!.offset + 1 : from;

    if (shard.closedEndOffset !== undefined && next >= shard.closedEndOffset) {
      return { records, millisBehindLatest: 0, childShards: this.#childShardsOf(stream, shard) };
    }
    return {
      records,
      nextShardIterator: this.#iterators.seal({ ...position, offset: next, issuedAt: now }),
      millisBehindLatest: await this.#millisBehind(log, next, now),
    };
  }

  // ---- internals ----

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
        const sequenceNumbers = new ShardSequenceNumbers(shard);
        const records = (await log.read(start, limits)).map((record) => ({
          offset: record.offset,
          arrivalTime: record.arrivalTime,
          partitionKey: record.partitionKey,
          sequenceNumber: sequenceNumbers.of(record.offset, record.arrivalTime),
          data: record.data,
        }));
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
  #checkEntry(stream: StreamRecord, entry: PutRecordEntry): bigint {
    const size = entry.data.byteLength + Buffer.byteLength(entry.partitionKey, 'utf8');
    const limit = stream.maxRecordSizeKiB * 1024;
    if (size > limit) throw new EngineError('RecordTooLarge', { size, limit, stream: stream.name });
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
    options: { perShardFailures?: boolean } = {},
  ): Promise<PutRecordsResultEntry[]> {
    let router = this.#routers.get(stream);
    if (!router) this.#routers.set(stream, (router = new ShardRouter(stream)));
    const byShard = new Map<ShardRecord, number[]>();
    hashKeys.forEach((hashKey, position) => {
      const shard = router.route(hashKey);
      const positions = byShard.get(shard);
      if (positions) positions.push(position);
      else byShard.set(shard, [position]);
    });

    const arrivalTime = this.clock.now();
    const results: PutRecordsResultEntry[] = new Array(entries.length);
    const outcomes = await Promise.allSettled(
      [...byShard].map(async ([shard, positions]) => {
        const log = await this.#log(stream, shard.index);
        const { firstOffset } = await log.append(
          positions.map((position) => {
            const entry = entries[position]!;
            // One literal of one shape (no conditional spread): logs treat an undefined explicitHashKey as none.
            return { arrivalTime, partitionKey: entry.partitionKey, explicitHashKey: entry.explicitHashKey, data: entry.data };
          }),
        );
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

  async #putStream(stream: StreamRecord): Promise<void> {
    await this.#storage.metadata.commit([{ type: 'putStream', stream }]);
    this.#streams.set(stream.name, stream);
  }

  /**
   * The record goes first, then the files: a crash in between leaves files no stream names, which open()
   * removes, never a stream whose records are half gone.
   */
  async #removeStream(stream: StreamRecord): Promise<void> {
    await this.#storage.metadata.commit([{ type: 'deleteStream', name: stream.name }]);
    this.#streams.delete(stream.name);
    this.#logs.delete(stream.streamKey);
    try {
      await this.#storage.deleteStreamLogs(stream.streamKey);
    } catch {
      // Left for the next start's sweep of unnamed stream files.
    }
  }

  #scheduleTransition(stream: StreamRecord): void {
    const previous = this.#timers.get(stream.name);
    if (previous !== undefined) this.clock.clearTimeout(previous);
    const delay = Math.max(0, (stream.transitionDueAt ?? 0) - this.clock.now());
    const timer = this.clock.setTimeout(
      () =>
        this.#control.run(async () => {
          this.#timers.delete(stream.name);
          if (this.#closed) return;
          try {
            await this.#completeTransition(stream.name, stream.streamKey);
          } catch {
            // The store refused the change: the stream keeps its state and the transition is tried again.
            const current = this.#streams.get(stream.name);
            if (current) this.#scheduleTransition({ ...current, transitionDueAt: this.clock.now() + TRANSITION_RETRY_MS });
          }
        }),
      delay,
    );
    this.#timers.set(stream.name, timer);
  }

  async #completeTransition(name: string, streamKey: string): Promise<void> {
    const stream = this.#streams.get(name);
    if (!stream || stream.streamKey !== streamKey) return;
    if (stream.status === 'DELETING') {
      await this.#removeStream(stream);
      return;
    }
    if (stream.status === 'CREATING' || stream.status === 'UPDATING') {
      const { transitionDueAt: _done, ...rest } = stream;
      await this.#putStream({ ...rest, status: 'ACTIVE' satisfies StreamStatus });
    }
  }
}
