import { randomBytes } from 'node:crypto';
import type { DataKeyRecord } from '@riffle/storage';
import type { Keyring } from './keyring.js';
import { RecordCipher } from './record-cipher.js';

const DATA_KEY_BYTES = 32;

/**
 * The data keys of encryption at rest, unwrapped, by id: one per KMS key, made on its first use. Records name
 * the data key that encrypted them, so a KMS key may get a newer data key (rotation) while older records still
 * read with theirs.
 */
export class DataKeys {
  readonly #ciphers = new Map<number, RecordCipher>();
  /** KMS key ARN -> id of its newest data key. */
  readonly #newest = new Map<string, number>();
  #lastId = 0;

  get size(): number {
    return this.#ciphers.size;
  }

  /** Unwraps stored data keys; throws (RIFFLE_ERR_MASTER_KEY) at the first the keyring's master key does not open. */
  load(records: readonly DataKeyRecord[], keyring: Keyring): void {
    for (const record of records) this.#add(record, keyring.unwrapDataKey(record));
  }

  /** The newest data key of a KMS key; a new one is wrapped and handed to `store` (which must make it durable) first. */
  async forKmsKey(kmsKeyArn: string, keyring: Keyring, now: number, store: (record: DataKeyRecord) => Promise<void>): Promise<number> {
    const existing = this.#newest.get(kmsKeyArn);
    if (existing !== undefined) return existing;
    const id = this.#lastId + 1;
    const key = randomBytes(DATA_KEY_BYTES);
    const record: DataKeyRecord = { id, kmsKeyArn, wrapped: keyring.wrapDataKey(id, kmsKeyArn, key), createdAt: now };
    await store(record);
    this.#add(record, key);
    return id;
  }

  has(id: number): boolean {
    return this.#ciphers.has(id);
  }

  cipher(id: number): RecordCipher | undefined {
    return this.#ciphers.get(id);
  }

  #add(record: DataKeyRecord, key: Uint8Array): void {
    this.#ciphers.set(record.id, new RecordCipher(record.id, key));
    if ((this.#newest.get(record.kmsKeyArn) ?? 0) < record.id) this.#newest.set(record.kmsKeyArn, record.id);
    this.#lastId = Math.max(this.#lastId, record.id);
    key.fill(0);
  }
}
