import type { RecordToAppend, StoredRecord } from '../stored-record.js';
import { crc32c } from './crc32c.js';

/**
 * One record in a `.log` segment, little-endian:
 *
 *   0  u32 frame length (this header included)
 *   4  u32 CRC-32C of bytes [8, frame length)
 *   8  u32 offset, low 32 bits     12 u32 offset, high bits
 *  16  f64 arrival time (epoch ms)
 *  24  u16 partition key bytes     26 u8 explicit hash key bytes (0: none)     27 u8 format
 *  format 0 (plain):     28  partition key (UTF-8), explicit hash key (ASCII digits), data
 *  format 1 (encrypted): 28  u32 plaintext bytes read budgets count    32  data (the owner's ciphertext; no keys)
 *
 * The offset is inside the frame so that an index entry, a recovery scan or a reader can tell a frame that
 * belongs where it stands from stale or shifted bytes.
 */
export const FRAME_HEADER_BYTES = 28;
/** Data up to 10 MiB (UpdateMaxRecordSize's ceiling), a 256-character key and a 39-digit hash key. */
export const MAX_FRAME_BYTES = FRAME_HEADER_BYTES + 10 * 1024 * 1024 + 1024 + 64;
const PLAIN = 0;
const ENCRYPTED = 1;
const PLAIN_SIZE_BYTES = 4;
const TWO_32 = 2 ** 32;

/** The bytes a record takes in a segment. */
export function frameLength(record: RecordToAppend): number {
  if (record.plainSize !== undefined) return FRAME_HEADER_BYTES + PLAIN_SIZE_BYTES + record.data.byteLength;
  const explicit = record.explicitHashKey === undefined ? 0 : record.explicitHashKey.length;
  return FRAME_HEADER_BYTES + Buffer.byteLength(record.partitionKey, 'utf8') + explicit + record.data.byteLength;
}

/** Writes one frame at `at` (which must have frameLength(record) bytes free); returns the position after it. */
export function writeFrame(target: Buffer, at: number, offset: number, record: RecordToAppend): number {
  const encrypted = record.plainSize !== undefined;
  if (encrypted) target.writeUInt32LE(record.plainSize, at + FRAME_HEADER_BYTES);
  const keyStart = at + FRAME_HEADER_BYTES + (encrypted ? PLAIN_SIZE_BYTES : 0);
  const keyBytes = encrypted ? 0 : target.write(record.partitionKey, keyStart, 'utf8');
  const explicitBytes = encrypted || record.explicitHashKey === undefined ? 0 : target.write(record.explicitHashKey, keyStart + keyBytes, 'latin1');
  const dataStart = keyStart + keyBytes + explicitBytes;
  target.set(record.data, dataStart);
  const end = dataStart + record.data.byteLength;
  target.writeUInt32LE(end - at, at);
  target.writeUInt32LE(offset % TWO_32, at + 8);
  target.writeUInt32LE(Math.floor(offset / TWO_32), at + 12);
  target.writeDoubleLE(record.arrivalTime, at + 16);
  target.writeUInt16LE(keyBytes, at + 24);
  target[at + 26] = explicitBytes;
  target[at + 27] = encrypted ? ENCRYPTED : PLAIN;
  target.writeUInt32LE(crc32c(target, at + 8, end), at + 4);
  return end;
}

/** A batch's frames in one buffer, and where each frame ends in it. */
export interface EncodedFrames {
  readonly bytes: Buffer;
  readonly ends: number[];
}

/** Encodes a batch into one buffer, offsets counting up from firstOffset. */
export function encodeFrames(firstOffset: number, records: readonly RecordToAppend[]): EncodedFrames {
  let total = 0;
  for (const record of records) total += frameLength(record);
  const bytes = Buffer.allocUnsafe(total);
  const ends: number[] = new Array(records.length);
  let at = 0;
  records.forEach((record, i) => {
    at = writeFrame(bytes, at, firstOffset + i, record);
    ends[i] = at;
  });
  return { bytes, ends };
}

export type FrameCheck =
  /** A whole, intact frame of `length` bytes. */
  | { readonly kind: 'frame'; readonly length: number; readonly offset: number; readonly arrivalTime: number }
  /** The buffer ends before the frame does: read more (or, at the end of a file, a torn tail). */
  | { readonly kind: 'short'; readonly needed: number }
  | { readonly kind: 'corrupt'; readonly reason: string };

/** Checks the frame at `at` of bytes[0, end) without decoding its strings. */
export function checkFrame(bytes: Buffer, at: number, end: number, verifyCrc = true): FrameCheck {
  if (end - at < FRAME_HEADER_BYTES) return { kind: 'short', needed: FRAME_HEADER_BYTES };
  const length = bytes.readUInt32LE(at);
  if (length < FRAME_HEADER_BYTES || length > MAX_FRAME_BYTES) return { kind: 'corrupt', reason: `bad frame length ${length}` };
  const keyBytes = bytes.readUInt16LE(at + 24);
  const explicitBytes = bytes[at + 26]!;
  const format = bytes[at + 27];
  const badHeader =
    format === PLAIN
      ? FRAME_HEADER_BYTES + keyBytes + explicitBytes > length
      : format !== ENCRYPTED || keyBytes !== 0 || explicitBytes !== 0 || length < FRAME_HEADER_BYTES + PLAIN_SIZE_BYTES;
  if (badHeader) return { kind: 'corrupt', reason: 'bad frame header' };
  if (end - at < length) return { kind: 'short', needed: length };
  if (verifyCrc && crc32c(bytes, at + 8, at + length) !== bytes.readUInt32LE(at + 4)) {
    return { kind: 'corrupt', reason: 'CRC-32C mismatch' };
  }
  const offset = bytes.readUInt32LE(at + 8) + bytes.readUInt32LE(at + 12) * TWO_32;
  return { kind: 'frame', length, offset, arrivalTime: bytes.readDoubleLE(at + 16) };
}

/** Data plus partition key bytes of a frame checkFrame accepted, as read budgets count them. */
export function frameBudgetBytes(bytes: Buffer, at: number, length: number): number {
  if (bytes[at + 27] === ENCRYPTED) return bytes.readUInt32LE(at + FRAME_HEADER_BYTES);
  return length - FRAME_HEADER_BYTES - bytes[at + 26]!;
}

/** Decodes a frame that checkFrame accepted; data is a view of `bytes`, not a copy. */
export function decodeFrame(bytes: Buffer, at: number, length: number): StoredRecord {
  if (bytes[at + 27] === ENCRYPTED) {
    return {
      offset: bytes.readUInt32LE(at + 8) + bytes.readUInt32LE(at + 12) * TWO_32,
      arrivalTime: bytes.readDoubleLE(at + 16),
      partitionKey: '',
      data: bytes.subarray(at + FRAME_HEADER_BYTES + PLAIN_SIZE_BYTES, at + length),
      plainSize: bytes.readUInt32LE(at + FRAME_HEADER_BYTES),
    };
  }
  const keyBytes = bytes.readUInt16LE(at + 24);
  const explicitBytes = bytes[at + 26]!;
  const keyStart = at + FRAME_HEADER_BYTES;
  const dataStart = keyStart + keyBytes + explicitBytes;
  const offset = bytes.readUInt32LE(at + 8) + bytes.readUInt32LE(at + 12) * TWO_32;
  const record: { -readonly [K in keyof StoredRecord]: StoredRecord[K] } = {
    offset,
    arrivalTime: bytes.readDoubleLE(at + 16),
    partitionKey: bytes.toString('utf8', keyStart, keyStart + keyBytes),
    data: bytes.subarray(dataStart, at + length),
  };
  if (explicitBytes > 0) record.explicitHashKey = bytes.toString('latin1', keyStart + keyBytes, dataStart);
  return record;
}
