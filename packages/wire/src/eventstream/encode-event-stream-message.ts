import { crc32 } from './crc32.js';
import type { EventStreamHeaderValue, EventStreamHeaders } from './event-stream-header.js';

/** Limits from the event-stream specification. */
export const MAX_EVENT_STREAM_PAYLOAD_BYTES = 24 * 1024 * 1024;
export const MAX_EVENT_STREAM_HEADER_BYTES = 128 * 1024;

const PRELUDE_BYTES = 12;
const CHECKSUM_BYTES = 4;

/**
 * Frames one `application/vnd.amazon.eventstream` message:
 * total length, headers length, prelude CRC32, headers, payload, message CRC32 (all big-endian).
 */
export function encodeEventStreamMessage(headers: EventStreamHeaders, payload: Uint8Array): Buffer {
  const encodedHeaders = encodeHeaders(headers);
  if (encodedHeaders.length > MAX_EVENT_STREAM_HEADER_BYTES) throw new RangeError('event-stream headers too large');
  if (payload.length > MAX_EVENT_STREAM_PAYLOAD_BYTES) throw new RangeError('event-stream payload too large');
  const total = PRELUDE_BYTES + encodedHeaders.length + payload.length + CHECKSUM_BYTES;
  const message = Buffer.allocUnsafe(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(encodedHeaders.length, 4);
  message.writeUInt32BE(crc32(message, 0, 0, 8), 8);
  encodedHeaders.copy(message, PRELUDE_BYTES);
  message.set(payload, PRELUDE_BYTES + encodedHeaders.length);
  message.writeUInt32BE(crc32(message, 0, 0, total - CHECKSUM_BYTES), total - CHECKSUM_BYTES);
  return message;
}

function encodeHeaders(headers: EventStreamHeaders): Buffer {
  const parts: Buffer[] = [];
  for (const [name, raw] of Object.entries(headers)) {
    const value: EventStreamHeaderValue = typeof raw === 'string' ? { type: 'string', value: raw } : raw;
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > 255) throw new RangeError(`event-stream header name too long: ${name}`);
    parts.push(Buffer.from([nameBytes.length]), nameBytes, encodeValue(value));
  }
  return Buffer.concat(parts);
}

function encodeValue(header: EventStreamHeaderValue): Buffer {
  switch (header.type) {
    case 'boolean':
      return Buffer.from([header.value ? 0 : 1]);
    case 'byte': {
      const out = Buffer.allocUnsafe(2);
      out[0] = 2;
      out.writeInt8(header.value, 1);
      return out;
    }
    case 'short': {
      const out = Buffer.allocUnsafe(3);
      out[0] = 3;
      out.writeInt16BE(header.value, 1);
      return out;
    }
    case 'integer': {
      const out = Buffer.allocUnsafe(5);
      out[0] = 4;
      out.writeInt32BE(header.value, 1);
      return out;
    }
    case 'long': {
      const out = Buffer.allocUnsafe(9);
      out[0] = 5;
      out.writeBigInt64BE(header.value, 1);
      return out;
    }
    case 'timestamp': {
      const out = Buffer.allocUnsafe(9);
      out[0] = 8;
      out.writeBigInt64BE(BigInt(header.value.getTime()), 1);
      return out;
    }
    case 'binary':
      return withLength(6, header.value);
    case 'string':
      return withLength(7, Buffer.from(header.value, 'utf8'));
    case 'uuid': {
      const hex = header.value.replace(/-/g, '');
      if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${header.value}`);
      return Buffer.concat([Buffer.from([9]), Buffer.from(hex, 'hex')]);
    }
  }
}

function withLength(typeCode: number, bytes: Uint8Array): Buffer {
  if (bytes.length > 0xffff) throw new RangeError('event-stream header value too long');
  const out = Buffer.allocUnsafe(3 + bytes.length);
  out[0] = typeCode;
  out.writeUInt16BE(bytes.length, 1);
  out.set(bytes, 3);
  return out;
}
