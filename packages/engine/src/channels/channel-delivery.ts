import { randomUUID } from 'node:crypto';
import type { ChannelPositionRecord, ChannelRecord, ObjectStore, ShardRecord, StreamRecord } from '@riffle/storage';
import type { Clock, TimerHandle } from '../clock.js';
import { shardIdOf } from '../shard-id.js';
import type { ChannelSource } from './channel-source.js';
import { buildBatch, extensionOf, type BufferedRecord } from './delivery-batch.js';
import { renderObjectKey } from './object-key-template.js';

export interface ChannelDeliveryOptions {
  readonly clock: Clock;
  readonly source: ChannelSource;
  readonly objects: ObjectStore;
  /** The channel's record as last committed; undefined once it is gone. */
  current(): ChannelRecord | undefined;
  /** Commits `change` of the current record (in the engine's control queue); false when the channel is gone. */
  commit(change: (channel: ChannelRecord) => ChannelRecord): Promise<boolean>;
  /** How long records may wait in the buffer: the channel's DataFreshnessInSeconds unless the config overrides it. */
  freshnessMs(channel: ChannelRecord): number;
  /** An object is written once the buffer holds this many bytes of record data, however fresh. */
  readonly maxObjectBytes: number;
}

const READ_BATCH_RECORDS = 10_000;
const RETRY_MS = 1_000;
const MAX_POLL_MS = 1_000;

/** Dead letters: `<ErrorOutputPrefix>YYYY/MM/DD/HH/<name>-<id>-YYYY-MM-DD-HH-mm-<unique>` (Riffle's layout). */
const DEAD_LETTER_NAME = '!{yyyy}/!{MM}/!{dd}/!{HH}/!{channel-name}-!{channel-id}-!{yyyy}-!{MM}-!{dd}-!{HH}-!{mm}';

const bucketOf = (bucketArn: string) => bucketArn.slice(bucketArn.indexOf(':::') + 3);

export function withoutPending(channel: ChannelRecord): ChannelRecord {
  const { pendingDelivery: _pending, ...rest } = channel;
  return rest;
}

/**
 * One ACTIVE channel's delivery: reads every shard of its stream (a closed parent to its end before its children,
 * as KCL does), buffers the records, and writes them as one object once the oldest has waited the data freshness
 * time or the buffer is full. Progress is committed per shard only after the object is durable, with the objects
 * named in the metadata first (ChannelRecord.pendingDelivery), so a crash at any point neither loses nor repeats
 * records.
 */
export class ChannelDelivery {
  readonly #options: ChannelDeliveryOptions;
  /** Next offset to read per shard; ahead of the committed positions by what is buffered. */
  readonly #cursors = new Map<number, number>();
  #buffer: BufferedRecord[] = [];
  #bufferBytes = 0;
  #oldestArrival = Infinity;
  #timer: TimerHandle | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  /** Positions of objects already durable whose commit failed; committed before anything else is done. */
  #unconfirmed: ChannelPositionRecord[] | undefined;

  constructor(options: ChannelDeliveryOptions) {
    this.#options = options;
    this.#rewind();
  }

  start(): void {
    this.#schedule(0);
  }

  /** Stops after the pass in flight, without waiting for it: the control queue calls this and a pass may need the queue. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Stops and waits for the pass in flight. */
  async close(): Promise<void> {
    this.stop();
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timer = undefined;
      const pass = this.#pass();
      this.#running = pass;
      return pass;
    }, ms);
  }

  async #pass(): Promise<void> {
    let next: number;
    try {
      next = await this.#deliver();
    } catch {
      // A read, write or commit the disk refused. Unless the objects are already durable, start again from the
      // committed positions, so the buffer's records are read again rather than lost.
      if (this.#unconfirmed === undefined) this.#rewind();
      next = RETRY_MS;
    }
    this.#running = undefined;
    this.#schedule(next);
  }

  /** Back to the committed positions, with nothing buffered. */
  #rewind(): void {
    this.#cursors.clear();
    for (const position of this.#options.current()?.positions ?? []) this.#cursors.set(position.shardIndex, position.offset);
    this.#buffer = [];
    this.#bufferBytes = 0;
    this.#oldestArrival = Infinity;
  }

  /** One round: read what is new, write an object when the buffer is old or full enough. Returns the next delay. */
  async #deliver(): Promise<number> {
    if (this.#unconfirmed !== undefined) await this.#confirm(this.#unconfirmed);
    const channel = this.#options.current();
    if (!channel || (channel.status !== 'ACTIVE' && channel.status !== 'UPDATING')) {
      this.stop();
      return 0;
    }
    const freshness = this.#options.freshnessMs(channel);
    const poll = Math.min(MAX_POLL_MS, Math.max(1, freshness));
    const stream = this.#options.source.stream(channel.stream.name);
    if (stream && stream.streamKey === channel.stream.streamKey) await this.#fill(stream);
    if (this.#buffer.length === 0) return poll;
    const full = this.#bufferBytes >= this.#options.maxObjectBytes;
    const age = this.#options.clock.now() - this.#oldestArrival;
    if (!full && age < freshness) return Math.max(1, Math.min(poll, freshness - age));
    await this.#flush(channel);
    // A full buffer may have left records unread.
    return full ? 0 : poll;
  }

  async #fill(stream: StreamRecord): Promise<void> {
    const shards = [...stream.shards].sort((a, b) => a.index - b.index);
    const byIndex = new Map(shards.map((shard) => [shard.index, shard]));
    // Each round can only finish more parents, so there are at most as many rounds as shards.
    for (let round = 0; round <= shards.length; round++) {
      let finished = false;
      for (const shard of shards) {
        if (this.#bufferBytes >= this.#options.maxObjectBytes) return;
        if (this.#done(shard) || !this.#parentsDone(shard, byIndex)) continue;
        await this.#readShard(stream, shard);
        if (this.#done(shard)) finished = true;
      }
      if (!finished) return;
    }
  }

  /** A closed shard read to its end. */
  #done(shard: ShardRecord): boolean {
    return shard.closedEndOffset !== undefined && (this.#cursors.get(shard.index) ?? 0) >= shard.closedEndOffset;
  }

  /** Children wait until every parent still in the stream has been read to its end. */
  #parentsDone(shard: ShardRecord, byIndex: ReadonlyMap<number, ShardRecord>): boolean {
    for (const parent of [shard.parentIndex, shard.adjacentParentIndex]) {
      if (parent === undefined) continue;
      const record = byIndex.get(parent);
      if (record && !this.#done(record)) return false;
    }
    return true;
  }

  /** Shards that appeared after the channel became ACTIVE (children) start at their beginning. */
  async #readShard(stream: StreamRecord, shard: ShardRecord): Promise<void> {
    const shardId = shardIdOf(shard.index);
    let cursor = this.#cursors.get(shard.index) ?? 0;
    while (this.#bufferBytes < this.#options.maxObjectBytes) {
      const { from, records } = await this.#options.source.read(stream, shard.index, cursor, {
        maxRecords: READ_BATCH_RECORDS,
        maxBytes: this.#options.maxObjectBytes - this.#bufferBytes,
      });
      // Records past the retention period are gone: delivery goes on from the oldest one left.
      cursor = Math.max(cursor, from);
      if (records.length === 0) break;
      for (const record of records) {
        this.#buffer.push({ ...record, shardId });
        this.#bufferBytes += record.data.byteLength;
        if (record.arrivalTime < this.#oldestArrival) this.#oldestArrival = record.arrivalTime;
      }
      cursor = records[records.length - 1]!.offset + 1;
    }
    this.#cursors.set(shard.index, cursor);
  }

  async #flush(channel: ChannelRecord): Promise<void> {
    const destination = channel.destination;
    if (destination.type !== 'S3') return;
    const positions = [...this.#cursors]
      .map(([shardIndex, offset]) => ({ shardIndex, offset }))
      .sort((a, b) => a.shardIndex - b.shardIndex);
    const content = await buildBatch(channel, this.#buffer);
    const names = { channelName: channel.name, channelId: channel.id };
    const objects: { bucket: string; key: string; bytes: Uint8Array }[] = [];
    if (content.delivered) {
      const { storage } = destination;
      const key = renderObjectKey(storage.outputKeyTemplate, {
        ...names,
        time: content.delivered.firstArrival,
        extension: extensionOf(storage.compressionType),
        unique: randomUUID(),
      });
      objects.push({ bucket: bucketOf(storage.bucketArn), key, bytes: content.delivered.bytes });
    }
    if (content.deadLetters) {
      const { deadLetterQueue } = destination;
      const key = renderObjectKey(`${deadLetterQueue.errorOutputPrefix}${DEAD_LETTER_NAME}`, {
        ...names,
        time: content.deadLetters.firstArrival,
        extension: '',
        unique: randomUUID(),
      });
      objects.push({ bucket: bucketOf(deadLetterQueue.bucketArn), key, bytes: content.deadLetters.bytes });
    }
    const pendingDelivery = { objects: objects.map(({ bucket, key }) => ({ bucket, key })), positions };
    if (!(await this.#options.commit((current) => ({ ...current, pendingDelivery })))) {
      this.stop();
      return;
    }
    try {
      for (const object of objects) await this.#options.objects.putObject(object.bucket, object.key, object.bytes);
    } catch (error) {
      for (const object of objects) await this.#options.objects.deleteObject(object.bucket, object.key).catch(() => undefined);
      await this.#options.commit(withoutPending).catch(() => undefined);
      throw error;
    }
    this.#buffer = [];
    this.#bufferBytes = 0;
    this.#oldestArrival = Infinity;
    await this.#confirm(positions);
  }

  async #confirm(positions: ChannelPositionRecord[]): Promise<void> {
    this.#unconfirmed = positions;
    const present = await this.#options.commit((current) => ({ ...withoutPending(current), positions }));
    this.#unconfirmed = undefined;
    if (!present) this.stop();
  }
}
