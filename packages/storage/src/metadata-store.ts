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
  | { readonly type: 'putDataKey'; readonly dataKey: DataKeyRecord }
  | { readonly type: 'putSetting'; readonly key: string; readonly value: string }
  | { readonly type: 'deleteSetting'; readonly key: string };

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

/** The name of the first stream whose condition fails against `current`, or undefined when all hold. */
export function failedStreamCondition(
  mutations: readonly MetadataMutation[],
  current: (name: string) => StreamRecord | undefined,
): string | undefined {
  for (const mutation of mutations) {
    if ((mutation.type !== 'putStream' && mutation.type !== 'deleteStream') || mutation.replaces === undefined) continue;
    const name = mutation.type === 'putStream' ? mutation.stream.name : mutation.name;
    const held = streamVersionOf(current(name));
    const wanted = mutation.replaces;
    const same = held === null || wanted === null ? held === wanted : held.streamKey === wanted.streamKey && held.revision === wanted.revision;
    if (!same) return name;
  }
  return undefined;
}
