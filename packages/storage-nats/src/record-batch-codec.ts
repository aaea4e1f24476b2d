import type { RecordToAppend } from '@riffle/storage';

/**
 * One append's records in one buffer, little-endian, per record:
 *
 *   0  f64 arrival time    8  u32 data bytes    12 u16 partition key bytes    14 u8 explicit hash key bytes
 *  15  u8 format (0 plain, 1 encrypted)          16 [u32 plaintext bytes, encrypted only] key, hash key, data
 *
 * The buffer is cut into message-sized parts without regard to record boundaries; integrity is JetStream's.
 */
const HEADER_BYTES = 16;
const PLAIN = 0;
const ENCRYPTED = 1;

export function encodeRecordBatch(records: readonly RecordToAppend[]): Buffer {
  let total = 0;
  for (const record of records) {
    total += HEADER_BYTES + record.data.byteLength;
    if (record.plainSize !== undefined) total += 4;
    else total += Buffer.byteLength(record.partitionKey, 'utf8') + (record.explicitHashKey?.length ?? 0);
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const record of records) {
    const encrypted = record.plainSize !== undefined;
    out.writeDoubleLE(record.arrivalTime, at);
    out.writeUInt32LE(record.data.byteLength, at + 8);
    out[at + 15] = encrypted ? ENCRYPTED : PLAIN;
    let body = at + HEADER_BYTES;
    if (encrypted) {
      out.writeUInt32LE(record.plainSize!, body);
      out.writeUInt16LE(0, at + 12);
      out[at + 14] = 0;
      body += 4;
    } else {
      const keyBytes = out.write(record.partitionKey, body, 'utf8');
      const hashBytes = record.explicitHashKey === undefined ? 0 : out.write(record.explicitHashKey, body + keyBytes, 'latin1');
      out.writeUInt16LE(keyBytes, at + 12);
      out[at + 14] = hashBytes;
      body += keyBytes + hashBytes;
    }
    out.set(record.data, body);
    at = body + record.data.byteLength;
  }
  return out;
}

export function decodeRecordBatch(bytes: Uint8Array, count: number): RecordToAppend[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: RecordToAppend[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + HEADER_BYTES > buffer.length) throw new Error('record batch is shorter than its record count');
    const arrivalTime = buffer.readDoubleLE(at);
    const dataBytes = buffer.readUInt32LE(at + 8);
    const keyBytes = buffer.readUInt16LE(at + 12);
    const hashBytes = buffer[at + 14]!;
    let body = at + HEADER_BYTES;
    if (buffer[at + 15] === ENCRYPTED) {
      const plainSize = buffer.readUInt32LE(body);
      body += 4;
      out.push({ arrivalTime, partitionKey: '', data: Uint8Array.prototype.slice.call(buffer, body, body + dataBytes), plainSize });
    } else {
      const partitionKey = buffer.toString('utf8', body, body + keyBytes);
      const explicitHashKey = hashBytes === 0 ? undefined : buffer.toString('latin1', body + keyBytes, body + keyBytes + hashBytes);
      body += keyBytes + hashBytes;
      const data = Uint8Array.prototype.slice.call(buffer, body, body + dataBytes);
      out.push(explicitHashKey === undefined ? { arrivalTime, partitionKey, data } : { arrivalTime, partitionKey, explicitHashKey, data });
    }
    at = body + dataBytes;
  }
  return out;
}
