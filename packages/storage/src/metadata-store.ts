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

export type MetadataMutation =
  | { readonly type: 'putStream'; readonly stream: StreamRecord }
  | { readonly type: 'deleteStream'; readonly name: string }
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
  /** Applies all mutations or none, in order, after every earlier commit; resolves once durable. */
  commit(mutations: readonly MetadataMutation[]): Promise<void>;
  close(): Promise<void>;
}
