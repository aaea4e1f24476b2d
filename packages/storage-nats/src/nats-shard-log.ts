import { setTimeout as sleep } from 'node:timers/promises';
import { DeliverPolicy, JetStreamApiError, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders, nanos, nuid } from '@nats-io/transport-node';
import {
  ShardLogFencedError,
  StorageClosedError,
  storedRecordSize,
  type AppendOptions,
  type ReadLimits,
  type RecordToAppend,
  type ShardLog,
  type StoredRecord,
} from '@riffle/storage';
import { decodeRecordBatch, encodeRecordBatch } from './record-batch-codec.js';
import { HEADER, LogIndex, readHeaders, type BatchEntry, type MessageHeaders } from './log-index.js';
import type { AppendReceipt, ForwardedAppend, NatsAppendRouter } from './nats-append-router.js';

/** What every log of one storage shares. */
export interface NatsLogContext {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** 3 on a 3-node cluster, 1 on a single server. */
  readonly replicas: number;
  /** Bytes of batch data per message: the server's max_payload less room for headers. */
  readonly partBytes: number;
  /** Milliseconds to wait for one publish's ack. */
  readonly ackTimeoutMs: number;
  /** How often a publish that failed for a reason other than a concurrent writer is retried. */
  readonly publishAttempts: number;
  /** Where several nodes share the store: which node writes each log (see NatsAppendRouter). */
  readonly router?: NatsAppendRouter;
}

/** The shard a log is, as the store names it (what a forwarded append names). */
export interface LogTarget {
  readonly streamKey: string;
  readonly shardId: string;
}

/** Tries to read a new log's state while its stream elects a leader (each try waits for the request timeout). */
const OPEN_ATTEMPTS = 6;

/** JetStream's "wrong last sequence": another writer appended first. */
const WRONG_LAST_SEQUENCE = 10071;
const STREAM_NOT_FOUND = 10059;
/** Appends published before the first one's ack is awaited. */
const WINDOW = 64;
/** Batches fetched concurrently by a read. */
const READ_AHEAD = 8;
/** Headers-only messages per fetch while catching up with other writers. */
const CATCH_UP_BATCH = 10_000;
/** Catch-ups at most this many messages behind read them by sequence instead of through a consumer. */
const DIRECT_CATCH_UP = 8;
const FETCH_EXPIRES_MS = 5_000;
/** Dedupe window: retries of a publish within it with the same message id are not stored twice. */
const DUPLICATE_WINDOW_MS = 120_000;

interface PendingWrite {
  /** The batch's encoded records (empty for a trim marker). */
  readonly bytes: Buffer;
  readonly count: number;
  readonly maxTime: number;
  /** Set on a trim: the offset to trim before. */
  readonly trim?: number;
  /** Set on a fence marker: the revision appends need after it. */
  readonly fence?: number;
  /** The stream record revision an append was routed with. */
  readonly revision?: number;
  /** With the batch's first message, so that a forwarded append's receipt can name it. */
  readonly resolve: (firstOffset: number, first: MessageHeaders) => void;
  readonly reject: (error: unknown) => void;
}

interface Plan {
  readonly write: PendingWrite;
  readonly first: MessageHeaders;
  /** Each part's payload and the sequence the stream must have last when it arrives. */
  readonly parts: readonly { readonly data: Uint8Array; readonly expectLastSeq: number; readonly msgId: string }[];
}

/**
 * A shard log as one JetStream stream (one subject, file storage, R3 on a cluster).
 *
 * JetStream 2.9 has no atomic multi-message publish, and a 10 MiB record does not fit a 1 MiB message, so an
 * append is one batch: its records encoded in one buffer, cut into parts of at most partBytes, each part a
 * message whose headers name the batch, its first offset and record count, the part number, and the batch it
 * follows. Every part is published with an expected last sequence (compare-and-set on the stream's tail), so a
 * batch's parts stand in consecutive sequences; a concurrent writer (another Riffle node) that gets in between
 * makes the rest fail with "wrong last sequence", and its writer catches up and publishes the batch again with
 * new offsets. Readers (LogIndex) count a batch only once all its parts are there and it follows the batch
 * before it, so an interrupted batch is ignored and offsets never collide. Retries after a lost ack reuse the
 * message ids, which JetStream deduplicates. The cost: two writers on one log slow each other (each conflict
 * re-sends a window), so the engine should route a shard's writes through one node where it can.
 *
 * Offsets are per record, kept in the headers (not JetStream sequences, since a batch may take several
 * messages). Trimming publishes a marker naming the new startOffset, so every node learns it, then purges the
 * messages of whole batches before it; purging keeps later sequences, and the marker keeps the tail.
 *
 * Every node keeps an index of the batches (offsets, sequences, running maximum arrival time) in memory,
 * built from a headers-only consumer at open and caught up before reads. A log of very many small appends
 * costs memory per append (about 100 bytes); compacting it is future work.
 */
export class NatsShardLog implements ShardLog {
  readonly #context: NatsLogContext;
  readonly #name: string;
  readonly #subject: string;
  #index = new LogIndex();
  #queue: PendingWrite[] = [];
  #pumping: Promise<void> | undefined;
  /** Held by the writer and by catch-up, which both move the index forward. */
  #lock: Promise<void> = Promise.resolve();
  #locked = false;
  #closed = false;
  readonly #onClose: () => void;

  readonly #target: LogTarget;

  private constructor(context: NatsLogContext, name: string, subject: string, target: LogTarget, onClose: () => void) {
    this.#context = context;
    this.#name = name;
    this.#subject = subject;
    this.#target = target;
    this.#onClose = onClose;
  }

  /** Opens the log's stream (creating it if needed) and reads its index. */
  static async open(
    context: NatsLogContext,
    name: string,
    subject: string,
    target: LogTarget,
    onClose: () => void = () => undefined,
  ): Promise<NatsShardLog> {
    const log = new NatsShardLog(context, name, subject, target, onClose);
    // A new R3 stream answers once its replicas have elected a leader, and two nodes may create it at once: until
    // then requests time out. Bounded tries, each waiting for the request timeout.
    for (let attempt = 1; ; attempt++) {
      try {
        await NatsShardLog.#ensureStream(context, name, subject);
        await log.#exclusive(() => log.#catchUp());
        return log;
      } catch (error) {
        if ((error as Error).name !== 'TimeoutError' || attempt >= OPEN_ATTEMPTS) throw error;
        await sleep(Math.min(1_000, 100 * attempt));
      }
    }
  }

  static async #ensureStream(context: NatsLogContext, name: string, subject: string): Promise<void> {
    try {
      await context.jsm.streams.info(name);
      return;
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== STREAM_NOT_FOUND) throw error;
    }
    await context.jsm.streams.add({
      name,
      subjects: [subject],
      storage: StorageType.File,
      num_replicas: context.replicas,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      // Direct gets may be answered by a replica that lags: reads go to the leader instead.
      allow_direct: false,
    });
  }

  get startOffset(): number {
    return this.#index.startOffset;
  }

  get endOffset(): number {
    return this.#index.endOffset;
  }

  append(records: readonly RecordToAppend[], options?: AppendOptions): Promise<{ firstOffset: number }> {
    if (this.#closed) return Promise.reject(new StorageClosedError('shard log'));
    const revision = options?.revision;
    // Encoded now: the caller may reuse its buffers once append returns.
    const bytes = encodeRecordBatch(records);
    let maxTime = -Infinity;
    for (const record of records) maxTime = Math.max(maxTime, record.arrivalTime);
    const router = this.#context.router;
    if (router !== undefined && records.length > 0 && bytes.length <= this.#context.partBytes) {
      const writer = router.writerOf(this.#subject);
      if (writer !== router.node) return this.#forward(writer, { ...this.#target, bytes, count: records.length, maxTime, revision });
    }
    return this.appendEncoded(bytes, records.length, maxTime, revision).then(({ firstOffset }) => ({ firstOffset }));
  }

  /** An append already encoded (this node's, or one another node forwarded here): always written by this node. */
  appendEncoded(bytes: Buffer | Uint8Array, count: number, maxTime: number, revision: number | undefined): Promise<AppendReceipt> {
    if (this.#closed) return Promise.reject(new StorageClosedError('shard log'));
    return new Promise((resolve, reject) => {
      this.#enqueue({
        bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        count,
        maxTime,
        revision,
        resolve: (firstOffset, first) => resolve({ firstOffset, seq: first.seq, batch: first.batch, after: first.after }),
        reject,
      });
    });
  }

  /** Sent to the node that writes this log; appended here if that node is gone. */
  async #forward(writer: string, append: ForwardedAppend): Promise<{ firstOffset: number }> {
    const receipt = await this.#context.router!.forward(writer, append);
    if (receipt === undefined) {
      const local = await this.appendEncoded(append.bytes, append.count, append.maxTime, append.revision);
      return { firstOffset: local.firstOffset };
    }
    // The batch follows what this index holds (nobody else wrote between): taken now, no catch-up needed for it.
    const index = this.#index;
    if (!this.#locked && this.#queue.length === 0 && index.lastSeq + 1 === receipt.seq && index.lastBatch === receipt.after && index.endOffset === receipt.firstOffset) {
      index.acceptOwn(
        { seq: receipt.seq, batch: receipt.batch, after: receipt.after, offset: receipt.firstOffset, count: append.count, part: 0, parts: 1, maxTime: append.maxTime },
        receipt.seq,
      );
    }
    return { firstOffset: receipt.firstOffset };
  }

  /**
   * A fence marker after the writes queued before it. Every node's writer learns it when it catches up, and the
   * compare-and-set on the stream's tail means a write planned without it fails and catches up: so no append
   * routed with an older revision is stored after the marker, whichever node wrote it.
   */
  fence(revision: number): Promise<number> {
    if (this.#closed) return Promise.reject(new StorageClosedError('shard log'));
    return new Promise((resolve, reject) => {
      this.#enqueue({ bytes: Buffer.alloc(0), count: 0, maxTime: -Infinity, fence: revision, resolve: (firstOffset) => resolve(firstOffset), reject });
    });
  }

  async read(fromOffset: number, limits: ReadLimits): Promise<StoredRecord[]> {
    this.#assertOpen();
    if (limits.maxRecords < 1) return [];
    await this.#catchUpUnlessWriting();
    for (let attempt = 0; ; attempt++) {
      const result = await this.#readFromIndex(fromOffset, limits);
      if (result) return result;
      // A batch was purged under us (another node trimmed): learn the new start and read again.
      if (attempt >= 2) return [];
      await this.#exclusive(() => this.#catchUp());
    }
  }

  async offsetAtTime(timeMs: number): Promise<number> {
    this.#assertOpen();
    await this.#catchUpUnlessWriting();
    const index = this.#index;
    const at = index.entryAtTime(timeMs);
    if (at >= index.entries.length) return index.endOffset;
    const entry = index.entries[at]!;
    const records = await this.#readBatch(entry);
    let running = at > 0 ? index.entries[at - 1]!.runningMaxTime : -Infinity;
    for (const [i, record] of (records ?? []).entries()) {
      running = Math.max(running, record.arrivalTime);
      if (running >= timeMs) return Math.max(entry.firstOffset + i, index.startOffset);
    }
    return Math.max(entry.firstOffset, index.startOffset);
  }

  /** An append resolves once JetStream acknowledged every part, i.e. a quorum of replicas stored it. */
  async sync(): Promise<void> {
    this.#assertOpen();
  }

  trimBefore(offset: number): Promise<void> {
    if (this.#closed) return Promise.reject(new StorageClosedError('shard log'));
    // Nothing to move (startOffset never moves back): no marker to publish.
    if (this.#queue.length === 0 && Math.min(offset, this.endOffset) <= this.startOffset) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#enqueue({ bytes: Buffer.alloc(0), count: 0, maxTime: -Infinity, trim: offset, resolve: () => resolve(), reject });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pumping;
    for (const write of this.#queue.splice(0)) write.reject(new StorageClosedError('shard log'));
    this.#onClose();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageClosedError('shard log');
  }

  #enqueue(write: PendingWrite): void {
    this.#queue.push(write);
    // Cleared by the pump itself when its loop ends (not in a later .finally tick), so a write queued just
    // as the loop ends is never left without a pump.
    this.#pumping ??= this.#pump();
  }

  async #pump(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const window = this.#queue.slice(0, WINDOW);
        try {
          await this.#exclusive(() => this.#writeWindow(window));
        } catch (error) {
          for (const write of window) {
            const at = this.#queue.indexOf(write);
            if (at < 0) continue;
            this.#queue.splice(at, 1);
            write.reject(error);
          }
        }
      }
    } finally {
      this.#pumping = undefined;
    }
  }

  /** Publishes a window of queued writes, resolving each in order once its parts are acknowledged. */
  async #writeWindow(window: PendingWrite[]): Promise<void> {
    let plans = this.#plan(this.#refuseFenced(window));
    for (let attempt = 1; plans.length > 0; attempt++) {
      const { done, error } = await this.#publish(plans);
      for (const plan of plans.slice(0, done)) this.#settled(plan);
      plans = plans.slice(done);
      if (plans.length === 0) return;
      if (attempt >= this.#context.publishAttempts) {
        for (const plan of plans) {
          this.#queue.splice(this.#queue.indexOf(plan.write), 1);
          plan.write.reject(error);
        }
        return;
      }
      if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) {
        // Another writer appended: learn its batches and publish ours again after them, under new ids.
        await this.#catchUp().catch(() => sleep(Math.min(1_000, 50 * attempt)));
        plans = this.#plan(this.#refuseFenced(plans.map((plan) => plan.write)));
      } else {
        // A lost ack or a leader election: the same message ids again, so stored parts are not stored twice.
        await sleep(Math.min(1_000, 50 * attempt));
      }
    }
  }

  /** Rejects (and unqueues) the appends a fence before them refuses, in queue order; returns the rest. */
  #refuseFenced(writes: PendingWrite[]): PendingWrite[] {
    let fence = this.#index.fencedBelow;
    const kept: PendingWrite[] = [];
    for (const write of writes) {
      if (write.revision !== undefined && write.revision < fence) {
        this.#queue.splice(this.#queue.indexOf(write), 1);
        write.reject(new ShardLogFencedError(fence));
        continue;
      }
      if (write.fence !== undefined) fence = Math.max(fence, write.fence);
      kept.push(write);
    }
    return kept;
  }

  /** Assigns offsets and expected sequences after the index's tail. */
  #plan(writes: PendingWrite[]): Plan[] {
    let seq = this.#index.lastSeq;
    let offset = this.#index.endOffset;
    let after = this.#index.lastBatch;
    const plans: Plan[] = [];
    for (const write of writes) {
      const batch = nuid.next();
      const partCount = Math.max(1, Math.ceil(write.bytes.length / this.#context.partBytes));
      const first: MessageHeaders = {
        seq: seq + 1,
        batch,
        after,
        offset,
        count: write.count,
        part: 0,
        parts: partCount,
        maxTime: write.maxTime,
        ...(write.trim === undefined ? {} : { trim: write.trim }),
        ...(write.fence === undefined ? {} : { fence: write.fence }),
      };
      const parts = Array.from({ length: partCount }, (_, i) => ({
        data: write.bytes.subarray(i * this.#context.partBytes, (i + 1) * this.#context.partBytes),
        expectLastSeq: seq + i,
        msgId: `${batch}.${i}`,
      }));
      plans.push({ write, first, parts });
      seq += partCount;
      offset += write.count;
      after = batch;
    }
    return plans;
  }

  /** Publishes every part of every plan without waiting, then awaits the acks in order. */
  async #publish(plans: readonly Plan[]): Promise<{ done: number; error?: unknown }> {
    const acks = plans.map((plan) =>
      plan.parts.map((part, i) => {
        const headers = natsHeaders();
        headers.set(HEADER.batch, plan.first.batch);
        headers.set(HEADER.after, plan.first.after);
        headers.set(HEADER.offset, String(plan.first.offset));
        headers.set(HEADER.count, String(plan.first.count));
        headers.set(HEADER.part, String(i));
        headers.set(HEADER.parts, String(plan.parts.length));
        if (plan.first.count > 0) headers.set(HEADER.maxTime, String(plan.first.maxTime));
        if (plan.first.trim !== undefined) headers.set(HEADER.trim, String(plan.first.trim));
        if (plan.first.fence !== undefined) headers.set(HEADER.fence, String(plan.first.fence));
        const ack = this.#context.js.publish(this.#subject, part.data, {
          msgID: part.msgId,
          headers,
          expect: { lastSequence: part.expectLastSeq },
          timeout: this.#context.ackTimeoutMs,
        });
        ack.catch(() => undefined);
        return ack;
      }),
    );
    for (const [done, plan] of plans.entries()) {
      try {
        const results = await Promise.all(acks[done]!);
        results.forEach((result, i) => {
          if (result.seq !== plan.first.seq + i) throw new Error(`part ${i} stored at sequence ${result.seq}, not ${plan.first.seq + i}`);
        });
      } catch (error) {
        await Promise.allSettled(acks.slice(done).flat());
        return { done, error };
      }
    }
    return { done: plans.length };
  }

  #settled(plan: Plan): void {
    this.#queue.splice(this.#queue.indexOf(plan.write), 1);
    const trimmedBefore = this.#index.startOffset;
    this.#index.acceptOwn(plan.first, plan.first.seq + plan.parts.length - 1);
    if (plan.first.trim !== undefined && this.#index.startOffset > trimmedBefore) {
      // Purge whole batches before the new start; the marker (and what follows it) stays.
      const keepFrom = this.#index.entries[0]?.firstSeq ?? plan.first.seq;
      // JetStream 2.9 takes a purge up to sequence 1 (or 0) for a purge of everything: nothing precedes 1 anyway.
      if (keepFrom <= 1) {
        plan.write.resolve(this.#index.startOffset, plan.first);
        return;
      }
      this.#context.jsm.streams.purge(this.#name, { seq: keepFrom }).then(
        () => plan.write.resolve(this.#index.startOffset, plan.first),
        (error: unknown) => plan.write.reject(error),
      );
      return;
    }
    plan.write.resolve(plan.first.offset, plan.first);
  }

  async #exclusive<T>(body: () => Promise<T>): Promise<T> {
    const previous = this.#lock;
    let release!: () => void;
    this.#lock = new Promise((resolve) => (release = resolve));
    await previous;
    this.#locked = true;
    try {
      return await body();
    } finally {
      this.#locked = false;
      release();
    }
  }

  /** Reads never wait for writers: while this node is writing, its index is as current as the tail it writes to. */
  async #catchUpUnlessWriting(): Promise<void> {
    if (this.#locked || this.#queue.length > 0) return;
    await this.#exclusive(() => this.#catchUp());
  }

  /** Applies the headers of every message after the index's last sequence (others' appends and trims). */
  async #catchUp(): Promise<void> {
    const { state } = await this.#context.jsm.streams.info(this.#name);
    if (state.messages > 0 && state.first_seq > this.#index.lastSeq + 1) {
      // Trimmed past everything this node had seen: start over from the stream's first message.
      this.#index = new LogIndex();
      this.#index.lastSeq = state.first_seq - 1;
    }
    if (state.messages > 0) this.#index.dropBefore(state.first_seq);
    if (state.last_seq <= this.#index.lastSeq) return;
    if (state.last_seq - this.#index.lastSeq <= DIRECT_CATCH_UP) {
      // A few messages behind (the usual case for a node reading what another writes): got by sequence, which
      // spares making a consumer (a request to the meta leader in a cluster) for each catch-up.
      const seqs = Array.from({ length: state.last_seq - this.#index.lastSeq }, (_, i) => this.#index.lastSeq + 1 + i);
      const messages = await Promise.all(seqs.map((seq) => this.#context.jsm.streams.getMessage(this.#name, { seq })));
      // A purged sequence (null) is passed over, as a consumer would.
      messages.forEach((message, i) => this.#index.apply(message ? readHeaders(seqs[i]!, message.header) : undefined, seqs[i]!));
      return;
    }
    const consumer = await this.#context.js.consumers.get(this.#name, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.#index.lastSeq + 1,
      headers_only: true,
    });
    try {
      while (this.#index.lastSeq < state.last_seq) {
        const wanted = Math.min(CATCH_UP_BATCH, state.last_seq - this.#index.lastSeq);
        const messages = await consumer.fetch({ max_messages: wanted, expires: FETCH_EXPIRES_MS });
        let got = 0;
        for await (const message of messages) {
          this.#index.apply(readHeaders(message.seq, message.headers), message.seq);
          if (++got >= wanted) break;
        }
        if (got === 0) break;
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  }

  /** Records from the index's batches, or undefined when one of them is no longer in the stream. */
  async #readFromIndex(fromOffset: number, limits: ReadLimits): Promise<StoredRecord[] | undefined> {
    const index = this.#index;
    const start = Math.max(fromOffset, index.startOffset);
    if (start >= index.endOffset || index.entries.length === 0) return [];
    const out: StoredRecord[] = [];
    let bytes = 0;
    let at = index.entryAt(start);
    while (at < index.entries.length) {
      const entries = index.entries.slice(at, at + READ_AHEAD);
      const batches = await Promise.all(entries.map((entry) => this.#readBatch(entry)));
      for (const [n, records] of batches.entries()) {
        if (!records) return out.length > 0 ? out : undefined;
        const entry = entries[n]!;
        for (const [i, record] of records.entries()) {
          const offset = entry.firstOffset + i;
          if (offset < start) continue;
          if (out.length >= limits.maxRecords) return out;
          const size = storedRecordSize(record);
          if (out.length > 0 && bytes + size > limits.maxBytes) return out;
          out.push({ ...record, offset });
          bytes += size;
        }
      }
      // Found again by offset: appends settle into the index, and trims replace its entries, while a step's reads
      // are out. Stops where the next batch is not the one that follows (never a silent skip).
      const last = entries[entries.length - 1]!;
      const following = last.firstOffset + last.count;
      if (following >= index.endOffset) break;
      at = index.entryAt(following);
      if (index.entries[at]?.firstOffset !== following) break;
    }
    return out;
  }

  async #readBatch(entry: BatchEntry): Promise<RecordToAppend[] | undefined> {
    const seqs = Array.from({ length: entry.parts }, (_, i) => entry.firstSeq + i);
    const messages = await Promise.all(seqs.map((seq) => this.#context.jsm.streams.getMessage(this.#name, { seq })));
    if (messages.some((message) => message === null)) return undefined;
    const data = messages.length === 1 ? messages[0]!.data : Buffer.concat(messages.map((message) => message!.data));
    return decodeRecordBatch(data, entry.count);
  }
}
