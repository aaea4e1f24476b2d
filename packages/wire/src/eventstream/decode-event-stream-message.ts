import { crc32 } from './crc32.js';
import type { EventStreamHeaderValue } from './event-stream-header.js';

export interface DecodedEventStreamMessage {
  readonly headers: Record<string, EventStreamHeaderValue>;
  readonly payload: Buffer;
  /** Bytes this message took, so a caller can step to the next one. */
  readonly byteLength: number;
}

/**
 * Decodes the event-stream message starting at `offset`, checking both CRCs. Returns undefined when the
 * buffer does not yet hold the whole message; throws on a corrupt one.
 */
export function decodeEventStreamMessage(bytes: Buffer, offset = 0): DecodedEventStreamMessage | undefined {
  if (bytes.length - offset < 12) return undefined;
  const total = bytes.readUInt32BE(offset);
  const headersLength = bytes.readUInt32BE(offset + 4);
  if (bytes.readUInt32BE(offset + 8) !== crc32(bytes, 0, offset, offset + 8)) {
    throw new Error('event-stream prelude checksum mismatch');
  }
  if (total < 16 || headersLength > total - 16) throw new Error('event-stream lengths inconsistent');
  if (bytes.length - offset < total) return undefined;
  const end = offset + total;
  if (bytes.readUInt32BE(end - 4) !== crc32(bytes, 0, offset, end - 4)) {
    throw new Error('event-stream message checksum mismatch');
  }
  const headersStart = offset + 12;
  const headersEnd = headersStart + headersLength;
  return {
    headers: decodeHeaders(bytes, headersStart, headersEnd),
    payload: bytes.subarray(headersEnd, end - 4),
    byteLength: total,
  };
}

function decodeHeaders(bytes: Buffer, start: number, end: number): Record<string, EventStreamHeaderValue> {
  const headers: Record<string, EventStreamHeaderValue> = {};
  let position = start;
  const need = (count: number) => {
    if (position + count > end) throw new Error('event-stream header truncated');
  };
  while (position < end) {
    need(1);
    const nameLength = bytes[position++]!;
    need(nameLength + 1);
    const name = bytes.toString('utf8', position, position + nameLength);
    position += nameLength;
    const typeCode = bytes[position++]!;
    let value: EventStreamHeaderValue;
    switch (typeCode) {
      case 0:
      case 1:
        value = { type: 'boolean', value: typeCode === 0 };
        break;
      case 2:
        need(1);
        value = { type: 'byte', value: bytes.readInt8(position) };
        position += 1;
        break;
      case 3:
        need(2);
        value = { type: 'short', value: bytes.readInt16BE(position) };
        position += 2;
        break;
      case 4:
        need(4);
        value = { type: 'integer', value: bytes.readInt32BE(position) };
        position += 4;
        break;
      case 5:
        need(8);
        value = { type: 'long', value: bytes.readBigInt64BE(position) };
        position += 8;
        break;
      case 8:
        need(8);
        value = { type: 'timestamp', value: new Date(Number(bytes.readBigInt64BE(position))) };
        position += 8;
        break;
      case 6:
      case 7: {
        need(2);
        const length = bytes.readUInt16BE(position);
        position += 2;
        need(length);
        const slice = bytes.subarray(position, position + length);
        position += length;
        value = typeCode === 6 ? { type: 'binary', value: slice } : { type: 'string', value: slice.toString('utf8') };
        break;
      }
      case 9: {
        need(16);
        const hex = bytes.toString('hex', position, position + 16);
        position += 16;
        value = {
          type: 'uuid',
          value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
        };
        break;
      }
      default:
        throw new Error(`unknown event-stream header type ${typeCode}`);
    }
    headers[name] = value;
  }
  return headers;
}
