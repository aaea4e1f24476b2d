import type { ChannelRecord } from './channel-record.js';
import type { DataKeyRecord } from './data-key-record.js';
import type { StreamRecord } from './metadata-record.js';

/** Everything durable except record data, as loaded at start. */
export interface MetadataSnapshot {
  readonly streams: readonly StreamRecord[];
  readonly channels: readonly ChannelRecord[];
  /** Wrapped data keys of encryption at rest, by ascending id. */
  readonly dataKeys: readonly DataKeyRecord[];
  /** Account-level settings, each an opaque string the engine encodes. */
  readonly settings: Readonly<Record<string, string>>;
}

/**
 * Which record of a stream name a change was decided on: its incarnation and revision, or null for "no stream of
 * this name". A conditional change is applied only while the store still holds that record (see MetadataConflictError).
 */
export type StreamVersion = { readonly streamKey: string; readonly revision: number } | null;

export type MetadataMutation =
  | { readonly type: 'putStream'; readonly stream: StreamRecord; readonly replaces?: StreamVersion }
  | { readonly type: 'deleteStream'; readonly name: string; readonly replaces?: StreamVersion }
  | { readonly type: 'putChannel'; readonly channel: ChannelRecord }
  | { readonly type: 'deleteChannel'; readonly id: string }
  /** `replaces: null`: only while no data key has this id (two nodes must never wrap two keys under one id). */
  | { readonly type: 'putDataKey'; readonly dataKey: DataKeyRecord; readonly replaces?: null }
  /** `replaces`: the value the change was decided on, null for "not set". */
  | { readonly type: 'putSetting'; readonly key: string; readonly value: string; readonly replaces?: string | null }
  | { readonly type: 'deleteSetting'; readonly key: string; readonly replaces?: string | null };

/** What a store holds now, for checking conditions. */
export interface MetadataLookup {
  stream(name: string): StreamRecord | undefined;
  setting(key: string): string | undefined;
  hasDataKey(id: number): boolean;
}

/**
 * Durable metadata, shaped for a journal: the owner loads everything once at start, keeps its own copy in
 * memory, and records each change as an atomic batch of mutations.
 */
export interface MetadataStore {
  /** The state after every commit that has resolved. The result shares nothing with the store. */
  load(): Promise<MetadataSnapshot>;
  /**
   * Applies all mutations or none, in order, after every earlier commit; resolves once durable. Rejects with
   * MetadataConflictError, applying none, when a mutation's `replaces` does not match what the store holds then.
   */
  commit(mutations: readonly MetadataMutation[]): Promise<void>;
  close(): Promise<void>;
}

/** The version a condition compares: a record without a revision was written before revisions existed (0). */
export function streamVersionOf(stream: StreamRecord | undefined): StreamVersion {
  return stream === undefined ? null : { streamKey: stream.streamKey, revision: stream.revision ?? 0 };
}

/** What the first mutation whose condition fails against `current` changes ("stream a"), or undefined when all hold. */
export function failedCondition(mutations: readonly MetadataMutation[], current: MetadataLookup): string | undefined {
  for (const mutation of mutations) {
    if (!('replaces' in mutation) || mutation.replaces === undefined) continue;
    switch (mutation.type) {
      case 'putStream':
      case 'deleteStream': {
        const name = mutation.type === 'putStream' ? mutation.stream.name : mutation.name;
        const held = streamVersionOf(current.stream(name));
        const wanted = mutation.replaces;
        const same = held === null || wanted === null ? held === wanted : held.streamKey === wanted.streamKey && held.revision === wanted.revision;
        if (!same) return `stream ${name}`;
        break;
      }
      case 'putSetting':
      case 'deleteSetting':
        if ((current.setting(mutation.key) ?? null) !== mutation.replaces) return `setting ${mutation.key}`;
        break;
      case 'putDataKey':
        if (current.hasDataKey(mutation.dataKey.id)) return `data key ${mutation.dataKey.id}`;
        break;
    }
  }
  return undefined;
}

/** A lookup over a snapshot (linear: for control-plane commits). */
export function snapshotLookup(snapshot: MetadataSnapshot): MetadataLookup {
  return {
    stream: (name) => snapshot.streams.find((stream) => stream.name === name),
    setting: (key) => snapshot.settings[key],
    hasDataKey: (id) => snapshot.dataKeys.some((dataKey) => dataKey.id === id),
  };
}
