import { setTimeout as sleep } from 'node:timers/promises';
import { JetStreamApiError } from '@nats-io/jetstream';
import type { KV, KvEntry } from '@nats-io/kv';
import { nuid } from '@nats-io/transport-node';
import {
  MetadataConflictError,
  StorageClosedError,
  failedCondition,
  snapshotLookup,
  type ChannelRecord,
  type DataKeyRecord,
  type MetadataMutation,
  type MetadataSnapshot,
  type MetadataStore,
  type StreamRecord,
  fromMetadataJson,
  toMetadataJson,
} from '@riffle/storage';

const HEAD = 'head';
const WRONG_LAST_SEQUENCE = 10071;
/** Compare-and-set rounds a commit may lose to other nodes before it gives up. */
const COMMIT_ATTEMPTS = 100;
/** Loads that may find their chunks replaced by a concurrent commit before one gives up. */
const LOAD_ATTEMPTS = 20;

/** The head key's value: the snapshot itself, or where its chunks are when it is larger than one value. */
/**
 * What the head holds: the snapshot (inline or in chunks), and the revision it was computed from with the mutations
 * applied to it, so that a reader can put right a write that overtook another (see #resolve).
 */
type Head = ({ readonly inline: string } | { readonly chunks: string; readonly parts: number }) & { readonly base?: number; readonly mutations?: string };

/** How many overtaken writes in a row a read puts right (the bucket keeps METADATA_HISTORY heads). */
const RESOLVE_DEPTH = 6;

/** Mutations larger than this are not kept in the head (a repair is then not possible for that write). */
const MAX_HEAD_MUTATION_BYTES = 64 * 1024;

/** A change another node (or this one) committed, as the engine will consume it. */
export type MetadataChangeListener = (snapshot: MetadataSnapshot, revision: number) => void;

export interface MetadataSubscription {
  stop(): void;
}

const EMPTY: MetadataSnapshot = { streams: [], channels: [], dataKeys: [], settings: {} };

/**
 * The metadata as one snapshot in a JetStream key-value bucket, replaced whole by compare-and-set on the head
 * key's revision.
 *
 * commit() guarantees: the mutations are applied all or none, in order, on top of the latest snapshot of any
 * node, and the commit resolves once the new head is stored on a quorum. When another node committed first,
 * the update fails ("wrong last sequence"), and this store reloads and re-applies its mutations on the newer
 * snapshot, so no node's change is lost; mutations are puts and deletes by key, so re-applying them is sound.
 * A read-modify-write of a stream record (read it, change it, commit it) names the version it read in
 * `replaces`; the condition is checked on the latest snapshot at each attempt, so of two nodes changing one
 * stream at once the second is refused (MetadataConflictError) and reloads, never silently undoing the first.
 *
 * A snapshot larger than one value (the server's max_payload) is stored as chunks under a fresh id, and the
 * head names them; chunks of replaced snapshots are purged afterwards.
 */
export class NatsMetadataStore implements MetadataStore {
  readonly #kv: KV;
  readonly #valueBytes: number;
  #commits: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #subscriptions = new Set<MetadataSubscription>();
  /** Told about this store's own commits at once, with the whole snapshot committed (see `follow`). */
  readonly #followers = new Set<MetadataChangeListener>();
  /** The newest revision followers were given: a watch entry at or below it is old news. */
  #followedRevision = 0;

  constructor(kv: KV, valueBytes: number) {
    this.#kv = kv;
    this.#valueBytes = valueBytes;
  }

  async load(): Promise<MetadataSnapshot> {
    this.#assertOpen();
    return (await this.#loadLatest()).snapshot;
  }

  commit(mutations: readonly MetadataMutation[]): Promise<void> {
    if (this.#closed) return Promise.reject(new StorageClosedError('metadata store'));
    // Copied before anything is sent: the caller may change its objects once commit returns.
    const copies = structuredClone(mutations);
    const run = this.#commits.then(() => this.#commitNow(copies));
    this.#commits = run.catch(() => undefined);
    return run;
  }

  /**
   * Calls `onChange` with the new snapshot after every commit to the bucket (this node's and others'), in
   * revision order, until stopped. The engine will use it to refresh its copy when another node commits.
   */
  async subscribe(onChange: MetadataChangeListener): Promise<MetadataSubscription> {
    this.#assertOpen();
    const watch = await this.#kv.watch({ key: HEAD, include: 'updates' });
    const subscription = { stop: () => watch.stop() };
    this.#subscriptions.add(subscription);
    void (async () => {
      for await (const entry of watch) {
        if (entry.operation !== 'PUT') continue;
        try {
          onChange(await this.#resolve(entry), entry.revision);
        } catch {
          // The chunks were replaced by a later commit already: that commit's entry follows.
        }
      }
      this.#subscriptions.delete(subscription);
    })();
    return subscription;
  }

  /**
   * Every change of the metadata in revision order, this store's own commits included, each as the whole snapshot
   * (what the engine replaces its copy with). Own commits are given as soon as they are stored, with the snapshot
   * they produced (which holds what other nodes committed before them), so a follower never sees its own change
   * go back to an older state when a watch entry arrives late.
   */
  async follow(onChange: MetadataChangeListener): Promise<MetadataSubscription> {
    this.#followers.add(onChange);
    const watch = await this.subscribe((snapshot, revision) => {
      if (revision <= this.#followedRevision) return;
      this.#followedRevision = revision;
      onChange(snapshot, revision);
    });
    return {
      stop: () => {
        this.#followers.delete(onChange);
        watch.stop();
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#commits;
    for (const subscription of this.#subscriptions) subscription.stop();
    this.#subscriptions.clear();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageClosedError('metadata store');
  }

  async #commitNow(mutations: readonly MetadataMutation[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { snapshot, revision, head } = await this.#loadLatest();
      const conflict = failedCondition(mutations, snapshotLookup(snapshot));
      if (conflict !== undefined) throw new MetadataConflictError(conflict);
      const next = applyMutations(snapshot, mutations);
      const { value, chunks, head: written } = this.#encode(next, revision, mutations);
      if ('chunks' in written) for (const [i, chunk] of chunks.entries()) await this.#kv.put(chunkKey(written.chunks, i), chunk);
      let committed: number;
      try {
        committed = revision === 0 ? await this.#kv.create(HEAD, value) : await this.#kv.update(HEAD, value, revision);
      } catch (error) {
        await this.#purgeChunks(written);
        if (attempt >= COMMIT_ATTEMPTS || !isConflict(error)) throw error;
        // Another node committed first: re-apply on its snapshot, after a short random pause so two nodes do not collide forever.
        await sleep(Math.floor(Math.random() * Math.min(100, 5 * attempt)));
        continue;
      }
      // Our write may have overtaken another's (#resolve): what a reader will read, and whether ours counts in it.
      const { snapshot: committedSnapshot, applied } =
        committed === revision + 1 ? { snapshot: next, applied: true } : await this.#resolution(committed, written, next);
      if (committed > this.#followedRevision) {
        this.#followedRevision = committed;
        for (const follower of this.#followers) follower(committedSnapshot, committed);
      }
      if (head) await this.#purgeChunks(head);
      if (!applied) throw new MetadataConflictError(failedCondition(mutations, snapshotLookup(committedSnapshot)) ?? '');
      return;
    }
  }

  /** The newest head another writer stored after `base` and before `ours`, if there is one. */
  async #headBetween(base: number, ours: number): Promise<KvEntry | undefined> {
    for (let revision = ours - 1; revision > base; revision--) {
      const entry = await this.#kv.get(HEAD, { revision }).catch(() => null);
      if (entry && entry.operation === 'PUT' && entry.revision === revision) return entry;
    }
    return undefined;
  }

  /**
   * The snapshot a head stands for. nats-server before 2.9.21 checks a write's expected revision before its
   * consensus, not in it (issue #4320), so two writes computed from one revision can both be stored, the later
   * one without the earlier's change. A head stored between a head's base and the head itself is such an earlier
   * write: the head's mutations are applied again, onto what that earlier head stands for.
   */
  async #resolve(entry: KvEntry, depth = 0): Promise<MetadataSnapshot> {
    const head = headOf(entry.value);
    return this.#resolveAt(entry.revision, head, await this.#decode(head), depth);
  }

  async #resolveAt(revision: number, head: Head, decoded: MetadataSnapshot, depth = 0): Promise<MetadataSnapshot> {
    return (await this.#resolution(revision, head, decoded, depth)).snapshot;
  }

  /**
   * `applied` is false when the head's mutations are void: a condition of theirs fails on the write they overtook
   * (say two creates of one name), so the snapshot is that write's. Every reader decides it alike.
   */
  async #resolution(revision: number, head: Head, decoded: MetadataSnapshot, depth = 0): Promise<{ snapshot: MetadataSnapshot; applied: boolean }> {
    if (head.base === undefined || head.mutations === undefined || depth >= RESOLVE_DEPTH || revision <= head.base + 1) return { snapshot: decoded, applied: true };
    const overtaken = await this.#headBetween(head.base, revision);
    if (overtaken === undefined) return { snapshot: decoded, applied: true };
    const mutations = fromMetadataJson<MetadataMutation[]>(head.mutations);
    const before = await this.#resolve(overtaken, depth + 1);
    if (failedCondition(mutations, snapshotLookup(before)) !== undefined) return { snapshot: before, applied: false };
    return { snapshot: applyMutations(before, mutations), applied: true };
  }

  async #loadLatest(): Promise<{ snapshot: MetadataSnapshot; revision: number; head?: Head }> {
    for (let attempt = 1; ; attempt++) {
      const entry = await this.#kv.get(HEAD);
      if (!entry || entry.operation !== 'PUT') return { snapshot: structuredClone(EMPTY), revision: entry?.revision ?? 0 };
      try {
        const head = headOf(entry.value);
        return { snapshot: await this.#resolveAt(entry.revision, head, await this.#decode(head)), revision: entry.revision, head };
      } catch (error) {
        if (attempt >= LOAD_ATTEMPTS) throw error;
      }
    }
  }

  #encode(snapshot: MetadataSnapshot, base: number, mutations: readonly MetadataMutation[]): { value: Uint8Array; chunks: Buffer[]; head: Head } {
    const json = toMetadataJson(snapshot);
    const changes = toMetadataJson(mutations);
    const lineage = changes.length <= MAX_HEAD_MUTATION_BYTES ? { base, mutations: changes } : {};
    const inlineHead: Head = { inline: json, ...lineage };
    const inline = Buffer.from(JSON.stringify(inlineHead));
    if (inline.length <= this.#valueBytes) return { value: inline, chunks: [], head: inlineHead };
    const bytes = Buffer.from(json);
    const parts = Math.ceil(bytes.length / this.#valueBytes);
    const chunks = Array.from({ length: parts }, (_, i) => bytes.subarray(i * this.#valueBytes, (i + 1) * this.#valueBytes));
    const chunkedHead: Head = { chunks: nuid.next(), parts, ...lineage };
    return { value: Buffer.from(JSON.stringify(chunkedHead)), chunks, head: chunkedHead };
  }

  async #decode(head: Head): Promise<MetadataSnapshot> {
    if ('inline' in head) return fromMetadataJson<MetadataSnapshot>(head.inline);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < head.parts; i++) {
      const chunk = await this.#kv.get(chunkKey(head.chunks, i));
      if (!chunk || chunk.operation !== 'PUT') throw new Error('metadata snapshot chunk is gone (replaced by a later commit)');
      chunks.push(chunk.value);
    }
    return fromMetadataJson<MetadataSnapshot>(Buffer.concat(chunks).toString('utf8'));
  }

  async #purgeChunks(head: Head): Promise<void> {
    if ('inline' in head) return;
    for (let i = 0; i < head.parts; i++) await this.#kv.purge(chunkKey(head.chunks, i)).catch(() => undefined);
  }
}

function headOf(value: Uint8Array): Head {
  return JSON.parse(Buffer.from(value).toString('utf8')) as Head;
}

function chunkKey(snapshotId: string, part: number): string {
  return `chunk.${snapshotId}.${part}`;
}

function isConflict(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE;
}

/** The snapshot after `mutations`, in order; by name, id or key, as the memory store keeps them. */
export function applyMutations(snapshot: MetadataSnapshot, mutations: readonly MetadataMutation[]): MetadataSnapshot {
  const streams = new Map<string, StreamRecord>(snapshot.streams.map((s) => [s.name, s]));
  const channels = new Map<string, ChannelRecord>(snapshot.channels.map((c) => [c.id, c]));
  const dataKeys = new Map<number, DataKeyRecord>(snapshot.dataKeys.map((k) => [k.id, k]));
  const settings = new Map(Object.entries(snapshot.settings));
  for (const mutation of mutations) {
    switch (mutation.type) {
      case 'putStream':
        streams.set(mutation.stream.name, mutation.stream);
        break;
      case 'deleteStream':
        streams.delete(mutation.name);
        break;
      case 'putChannel':
        channels.set(mutation.channel.id, mutation.channel);
        break;
      case 'deleteChannel':
        channels.delete(mutation.id);
        break;
      case 'putDataKey':
        dataKeys.set(mutation.dataKey.id, mutation.dataKey);
        break;
      case 'putSetting':
        settings.set(mutation.key, mutation.value);
        break;
      case 'deleteSetting':
        settings.delete(mutation.key);
        break;
    }
  }
  return {
    streams: [...streams.values()],
    channels: [...channels.values()],
    dataKeys: [...dataKeys.values()].sort((a, b) => a.id - b.id),
    settings: Object.fromEntries(settings),
  };
}
