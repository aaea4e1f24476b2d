import { failedCondition, type MetadataMutation, type MetadataSnapshot, type MetadataStore } from '../metadata-store.js';
import { MetadataConflictError } from '../metadata-conflict-error.js';
import type { ChannelRecord } from '../channel-record.js';
import type { DataKeyRecord } from '../data-key-record.js';
import type { StreamRecord } from '../metadata-record.js';
import { StorageClosedError } from '../storage-closed-error.js';

/** Metadata in process memory; copies on the way in and out, as a serialising store would. */
export class MemoryMetadataStore implements MetadataStore {
  #streams = new Map<string, StreamRecord>();
  #channels = new Map<string, ChannelRecord>();
  #dataKeys = new Map<number, DataKeyRecord>();
  #settings = new Map<string, string>();
  #closed = false;

  async load(): Promise<MetadataSnapshot> {
    this.#assertOpen();
    return structuredClone({
      streams: [...this.#streams.values()],
      channels: [...this.#channels.values()],
      dataKeys: [...this.#dataKeys.values()].sort((a, b) => a.id - b.id),
      settings: Object.fromEntries(this.#settings),
    });
  }

  async commit(mutations: readonly MetadataMutation[]): Promise<void> {
    this.#assertOpen();
    // Cloned before anything is applied, so a mutation that cannot be copied leaves the store untouched.
    const copies = structuredClone(mutations);
    const conflict = failedCondition(copies, {
      stream: (name) => this.#streams.get(name),
      setting: (key) => this.#settings.get(key),
      hasDataKey: (id) => this.#dataKeys.has(id),
    });
    if (conflict !== undefined) throw new MetadataConflictError(conflict);
    for (const mutation of copies) {
      switch (mutation.type) {
        case 'putStream':
          this.#streams.set(mutation.stream.name, mutation.stream);
          break;
        case 'deleteStream':
          this.#streams.delete(mutation.name);
          break;
        case 'putChannel':
          this.#channels.set(mutation.channel.id, mutation.channel);
          break;
        case 'deleteChannel':
          this.#channels.delete(mutation.id);
          break;
        case 'putDataKey':
          this.#dataKeys.set(mutation.dataKey.id, mutation.dataKey);
          break;
        case 'putSetting':
          this.#settings.set(mutation.key, mutation.value);
          break;
        case 'deleteSetting':
          this.#settings.delete(mutation.key);
          break;
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageClosedError('metadata store');
  }
}
