import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';
import type { RecordToAppend, StoredRecord } from '@riffle/storage';
import { EncryptionError } from './encryption-error.js';

/**
 * A record encrypted with one data key (AES-256-GCM), as its `data` in the shard log:
 *
 *   0  u8 version (1)    1  u32 LE data key id    5  12-byte nonce    17  ciphertext    end-16  tag
 *
 * The plaintext is the whole record: u16 LE partition key bytes, u8 explicit hash key bytes, the partition key
 * (UTF-8), the explicit hash key (ASCII digits), the data. The associated data binds the ciphertext to its header,
 * stream incarnation, shard and arrival time, so that it cannot be moved elsewhere or re-dated. (Not to its
 * offset: the log assigns that after the record is encoded.)
 */
const VERSION = 1;
const HEADER_BYTES = 5;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const BODY_START = HEADER_BYTES + NONCE_BYTES;
const FIELDS_BYTES = 3;

/** The plain records of one append to one shard: they share their arrival time. */
export interface AppendContext {
  readonly streamKey: string;
  readonly shardIndex: number;
  readonly arrivalTime: number;
}

/** The data key id an encrypted record names, or undefined if its bytes are not one. */
export function dataKeyIdOf(record: StoredRecord): number | undefined {
  const data = record.data;
  if (data.byteLength < BODY_START + FIELDS_BYTES + TAG_BYTES || data[0] !== VERSION) return undefined;
  return (data[1]! | (data[2]! << 8) | (data[3]! << 16)) + data[4]! * 2 ** 24;
}

/** Encrypts and decrypts records with one data key. */
export class RecordCipher {
  readonly #key: KeyObject;
  readonly #header: Buffer;
  /** The associated data of the last record decrypted: records of one append share it. */
  #lastContext: { streamKey: string; shardIndex: number; arrivalTime: number; aad: Buffer } | undefined;

  constructor(
    readonly dataKeyId: number,
    dataKey: Uint8Array,
  ) {
    this.#key = createSecretKey(dataKey);
    this.#header = Buffer.alloc(HEADER_BYTES);
    this.#header[0] = VERSION;
    this.#header.writeUInt32LE(dataKeyId, 1);
  }

  /** One cipher per record, each with its own random 96-bit nonce (one call to the random source per batch). */
  encrypt(records: readonly RecordToAppend[], context: AppendContext): RecordToAppend[] {
    const aad = this.#associatedData(context);
    const nonces = randomFillSync(Buffer.allocUnsafe(NONCE_BYTES * records.length));
    const out: RecordToAppend[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const keyBytes = Buffer.byteLength(record.partitionKey, 'utf8');
      const explicitBytes = record.explicitHashKey === undefined ? 0 : record.explicitHashKey.length;
      // The whole plaintext in one buffer: one update call (each call into the cipher costs more than the copy).
      const plain = Buffer.allocUnsafe(FIELDS_BYTES + keyBytes + explicitBytes + record.data.byteLength);
      plain.writeUInt16LE(keyBytes, 0);
      plain[2] = explicitBytes;
      plain.write(record.partitionKey, FIELDS_BYTES, 'utf8');
      if (record.explicitHashKey !== undefined) plain.write(record.explicitHashKey, FIELDS_BYTES + keyBytes, 'latin1');
      plain.set(record.data, FIELDS_BYTES + keyBytes + explicitBytes);
      const cipher = createCipheriv('aes-256-gcm', this.#key, nonces.subarray(i * NONCE_BYTES, (i + 1) * NONCE_BYTES), { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const body = cipher.update(plain);
      cipher.final();
      const envelope = Buffer.allocUnsafe(BODY_START + body.length + TAG_BYTES);
      this.#header.copy(envelope, 0);
      nonces.copy(envelope, HEADER_BYTES, i * NONCE_BYTES, (i + 1) * NONCE_BYTES);
      body.copy(envelope, BODY_START);
      cipher.getAuthTag().copy(envelope, BODY_START + body.length);
      out[i] = {
        arrivalTime: context.arrivalTime,
        partitionKey: '',
        explicitHashKey: undefined,
        data: envelope,
        plainSize: keyBytes + record.data.byteLength,
      };
    }
    return out;
  }

  /** The plain record; fails if the bytes were changed, moved to another shard or stream, or are not ours. */
  decrypt(record: StoredRecord, streamKey: string, shardIndex: number): StoredRecord {
    const envelope = Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength);
    if (dataKeyIdOf(record) !== this.dataKeyId) throw undecryptable(record, streamKey, shardIndex, 'it does not name this data key');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, envelope.subarray(HEADER_BYTES, BODY_START), { authTagLength: TAG_BYTES });
    decipher.setAAD(this.#associatedData({ streamKey, shardIndex, arrivalTime: record.arrivalTime }));
    decipher.setAuthTag(envelope.subarray(envelope.length - TAG_BYTES));
    const plain = decipher.update(envelope.subarray(BODY_START, envelope.length - TAG_BYTES));
    try {
      decipher.final();
    } catch {
      throw undecryptable(record, streamKey, shardIndex, 'it does not authenticate');
    }
    const keyBytes = plain.readUInt16LE(0);
    const explicitBytes = plain[2]!;
    const dataStart = FIELDS_BYTES + keyBytes + explicitBytes;
    if (dataStart > plain.length || (record.plainSize !== undefined && record.plainSize !== plain.length - FIELDS_BYTES - explicitBytes)) {
      throw undecryptable(record, streamKey, shardIndex, 'its fields do not add up');
    }
    const opened: { -readonly [K in keyof StoredRecord]: StoredRecord[K] } = {
      offset: record.offset,
      arrivalTime: record.arrivalTime,
      partitionKey: plain.toString('utf8', FIELDS_BYTES, FIELDS_BYTES + keyBytes),
      data: plain.subarray(dataStart),
    };
    if (explicitBytes > 0) opened.explicitHashKey = plain.toString('latin1', FIELDS_BYTES + keyBytes, dataStart);
    return opened;
  }

  #associatedData(context: AppendContext): Buffer {
    const last = this.#lastContext;
    if (last && last.arrivalTime === context.arrivalTime && last.shardIndex === context.shardIndex && last.streamKey === context.streamKey) {
      return last.aad;
    }
    const aad = Buffer.allocUnsafe(HEADER_BYTES + 8 + 4 + Buffer.byteLength(context.streamKey, 'utf8'));
    this.#header.copy(aad, 0);
    aad.writeDoubleLE(context.arrivalTime, HEADER_BYTES);
    aad.writeUInt32LE(context.shardIndex, HEADER_BYTES + 8);
    aad.write(context.streamKey, HEADER_BYTES + 12, 'utf8');
    this.#lastContext = { ...context, aad };
    return aad;
  }
}

export function undecryptable(record: StoredRecord, streamKey: string, shardIndex: number, why: string): EncryptionError {
  return new EncryptionError(
    'RIFFLE_ERR_RECORD_DECRYPTION',
    `the record at offset ${record.offset} of shard ${shardIndex} of stream ${streamKey} cannot be decrypted: ${why}`,
  );
}
