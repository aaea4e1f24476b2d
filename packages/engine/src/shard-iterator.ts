import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** "A shard iterator expires 5 minutes after it is returned" (AWS model, GetShardIterator). */
export const SHARD_ITERATOR_TTL_MS = 300_000;

/** Where an iterator points, and when it was issued. */
export interface ShardIteratorPosition {
  readonly streamName: string;
  /** Tells a re-created stream of the same name from the one the iterator was issued for. */
  readonly streamCreatedAt: number;
  readonly shardIndex: number;
  /** The log offset of the next record to return. */
  readonly offset: number;
  readonly issuedAt: number;
}

// AWS's iterators start with these 8 bytes (kinesalite db/index.js).
const HEADER = Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]);
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_VERSION = 1;
/** version, issuedAt, streamCreatedAt, shardIndex, offset. */
const FIXED_PLAINTEXT_BYTES = 1 + 8 + 8 + 4 + 8;

/**
 * Seals positions into opaque base64 iterators with AES-256-GCM, so clients can neither read nor forge them.
 * A 128-character stream name gives 260 characters, well inside the 512 allowed.
 */
export class ShardIteratorCodec {
  readonly #key: Buffer;

  /** Without a key, one is drawn per process and iterators die with it. */
  constructor(key?: Uint8Array) {
    if (key && key.byteLength !== 32) throw new RangeError('shard iterator key must be 32 bytes');
    this.#key = key ? Buffer.from(key) : randomBytes(32);
  }

  seal(position: ShardIteratorPosition): string {
    const name = Buffer.from(position.streamName, 'utf8');
    const plain = Buffer.alloc(FIXED_PLAINTEXT_BYTES + name.byteLength);
    plain.writeUInt8(FORMAT_VERSION, 0);
    plain.writeDoubleBE(position.issuedAt, 1);
    plain.writeDoubleBE(position.streamCreatedAt, 9);
    plain.writeUInt32BE(position.shardIndex, 17);
    plain.writeDoubleBE(position.offset, 21);
    name.copy(plain, FIXED_PLAINTEXT_BYTES);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(HEADER);
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([HEADER, nonce, sealed, cipher.getAuthTag()]).toString('base64');
  }

  /** The position sealed in an iterator, or undefined if it is not one of ours, or was altered. */
  open(iterator: string): ShardIteratorPosition | undefined {
    const bytes = Buffer.from(iterator, 'base64');
    if (bytes.toString('base64') !== iterator) return undefined;
    if (bytes.byteLength < HEADER.byteLength + NONCE_BYTES + FIXED_PLAINTEXT_BYTES + TAG_BYTES) return undefined;
    if (!bytes.subarray(0, HEADER.byteLength).equals(HEADER)) return undefined;
    const nonce = bytes.subarray(HEADER.byteLength, HEADER.byteLength + NONCE_BYTES);
    const sealed = bytes.subarray(HEADER.byteLength + NONCE_BYTES, bytes.byteLength - TAG_BYTES);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce);
      decipher.setAAD(HEADER);
      decipher.setAuthTag(bytes.subarray(bytes.byteLength - TAG_BYTES));
      plain = Buffer.concat([decipher.update(sealed), decipher.final()]);
    } catch {
      return undefined;
    }
    if (plain.readUInt8(0) !== FORMAT_VERSION) return undefined;
    return {
      issuedAt: plain.readDoubleBE(1),
      streamCreatedAt: plain.readDoubleBE(9),
      shardIndex: plain.readUInt32BE(17),
      offset: plain.readDoubleBE(21),
      streamName: plain.subarray(FIXED_PLAINTEXT_BYTES).toString('utf8'),
    };
  }
}
