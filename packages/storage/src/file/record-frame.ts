import type { RecordToAppend, StoredRecord } from '../stored-record.js';
import { crc32c } from './crc32c.js';

/**
 * One record in a `.log` segment, little-endian:
 *
 *   0  u32 frame length (this header included)
 *   4  u32 CRC-32C of bytes [8, frame length)
 *   8  u32 offset, low 32 bits     12 u32 offset, high bits
 *  16  f64 arrival time (epoch ms)
 *  24  u16 partition key bytes     26 u8 explicit hash key bytes (0: none)     27 u8 format (0)
 *  28  partition key (UTF-8), explicit hash key (ASCII digits), data
 *
 * The offset is inside the frame so that an index entry, a recovery scan or a reader can tell a frame that
 * belongs where it stands from stale or shifted bytes.
 */
export const FRAME_HEADER_BYTES = 28;
/** Data up to 10 MiB (UpdateMaxRecordSize's ceiling), a 256-character key and a 39-digit hash key. */
export const MAX_FRAME_BYTES = FRAME_HEADER_BYTES + 10 * 1024 * 1024 + 1024 + 64;
const FORMAT = 0;
const TWO_32 = 2 ** 32;

/** The bytes a record takes in a segment. */
export function frameLength(record: RecordToAppend): number {
  const explicit = record.explicitHashKey === undefined ? 0 : record.explicitHashKey.length;
  return FRAME_HEADER_BYTES + Buffer.byteLength(record.partitionKey, 'utf8') + explicit + record.data.byteLength;
}

/** Writes one frame at `at` (which must have frameLength(record) bytes free); returns the position after it. */
export function writeFrame(target: Buffer, at: number, offset: number, record: RecordToAppend): number {
  const keyStart = at + FRAME_HEADER_BYTES;
  const keyBytes = target.write(record.partitionKey, keyStart, 'utf8');
  const explicitBytes = record.explicitHashKey === undefined ? 0 : target.write(record.explicitHashKey, keyStart + keyBytes, 'latin1');
  const dataStart = keyStart + keyBytes + explicitBytes;
  target.set(record.data, dataStart);
  const end = dataStart + record.data.byteLength;
  target.writeUInt32LE(end - at, at);
  target.writeUInt32LE(offset % TWO_32, at + 8);
  target.writeUInt32LE(Math.floor(offset / TWO_32), at + 12);
  target.writeDoubleLE(record.arrivalTime, at + 16);
  target.writeUInt16LE(keyBytes, at + 24);
  target[at + 26] = explicitBytes;
  target[at + 27] = FORMAT;
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
  if (bytes[at + 27] !== FORMAT || FRAME_HEADER_BYTES + keyBytes + explicitBytes > length) {
    return { kind: 'corrupt', reason: 'bad frame header' };
  }
  if (end - at < length) return { kind: 'short', needed: length };
  if (verifyCrc && crc32c(bytes, at + 8, at + length) !== bytes.readUInt32LE(at + 4)) {
    return { kind: 'corrupt', reason: 'CRC-32C mismatch' };
  }
  const offset = bytes.readUInt32LE(at + 8) + bytes.readUInt32LE(at + 12) * TWO_32;
  return { kind: 'frame', length, offset, arrivalTime: bytes.readDoubleLE(at + 16) };
}

/** Decodes a frame that checkFrame accepted; data is a view of `bytes`, not a copy. */
export function decodeFrame(bytes: Buffer, at: number, length: number): StoredRecord {
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
