import { CborTag } from '../cbor-tag.js';
import { BodyDecodeError } from './body-decode-error.js';
import { CborSimpleValue } from './cbor-simple-value.js';

/** Deeper than any Kinesis shape by far; bounds recursion on hostile input. */
export const MAX_CBOR_DEPTH = 64;

const BREAK = 0xff;
const UTF8 = new TextDecoder('utf-8', { fatal: false });

interface DecodeState {
  readonly bytes: Buffer;
  readonly view: DataView;
  position: number;
  readonly maxDepth: number;
}

/**
 * Decodes exactly one CBOR data item (RFC 8949). Byte strings become Uint8Array views of the input, tags
 * become CborTag (tag 1 is *not* interpreted: AWS's Java SDK puts epoch milliseconds in it), integers beyond
 * 2^53 become bigint. Any malformed, truncated or trailing input throws BodyDecodeError.
 */
export function decodeCbor(input: Uint8Array, maxDepth = MAX_CBOR_DEPTH): unknown {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const state: DecodeState = {
    bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    position: 0,
    maxDepth,
  };
  const value = decodeItem(state, 0);
  if (state.position !== bytes.length) fail(`${bytes.length - state.position} trailing bytes after CBOR item`);
  return value;
}

function fail(message: string): never {
  throw new BodyDecodeError(`invalid CBOR: ${message}`);
}

function need(state: DecodeState, count: number): void {
  if (count > state.bytes.length - state.position) fail('truncated input');
}

/** Reads the argument of an initial byte; returns -1 for indefinite length (additional info 31). */
function readArgument(state: DecodeState, info: number): number | bigint {
  if (info < 24) return info;
  switch (info) {
    case 24:
      need(state, 1);
      return state.bytes[state.position++]!;
    case 25: {
      need(state, 2);
      const value = state.view.getUint16(state.position);
      state.position += 2;
      return value;
    }
    case 26: {
      need(state, 4);
      const value = state.view.getUint32(state.position);
      state.position += 4;
      return value;
    }
    case 27: {
      need(state, 8);
      const value = state.view.getBigUint64(state.position);
      state.position += 8;
      return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    }
    case 31:
      return -1;
    default:
      return fail(`reserved additional information ${info}`);
  }
}

/** A length or count: must be a definite number that fits in what is left of the input. */
function readLength(state: DecodeState, argument: number | bigint, minimumBytesEach: number): number {
  if (typeof argument === 'bigint' || argument * minimumBytesEach > state.bytes.length - state.position) {
    fail('length beyond end of input');
  }
  return argument;
}

function decodeItem(state: DecodeState, depth: number): unknown {
  need(state, 1);
  const initial = state.bytes[state.position++]!;
  const major = initial >> 5;
  const info = initial & 0x1f;
  if (major === 7) return decodeSimpleOrFloat(state, info);
  const argument = readArgument(state, info);
  switch (major) {
    case 0:
      if (argument === -1) fail('indefinite-length integer');
      return argument;
    case 1:
      if (argument === -1) fail('indefinite-length integer');
      return typeof argument === 'bigint' || argument >= Number.MAX_SAFE_INTEGER
        ? narrow(-1n - BigInt(argument))
        : -1 - argument;
    case 2:
      return argument === -1 ? concatChunks(state, 2) : readBytes(state, readLength(state, argument, 1));
    case 3:
      return argument === -1
        ? UTF8.decode(concatChunks(state, 3))
        : readText(state, readLength(state, argument, 1));
    case 4:
      return decodeArray(state, argument, depth + 1);
    case 5:
      return decodeMap(state, argument, depth + 1);
    default: {
      // major 6: tags
      if (argument === -1) fail('indefinite-length tag');
      if (depth + 1 > state.maxDepth) fail(`nested deeper than ${state.maxDepth}`);
      const tag = typeof argument === 'bigint' ? Number(argument) : argument;
      return new CborTag(tag, decodeItem(state, depth + 1));
    }
  }
}

function narrow(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
}

function readBytes(state: DecodeState, length: number): Uint8Array {
  const start = state.position;
  state.position += length;
  return state.bytes.subarray(start, start + length);
}

function readText(state: DecodeState, length: number): string {
  const start = state.position;
  state.position += length;
  return state.bytes.toString('utf8', start, start + length);
}

/** Indefinite-length byte/text string: definite chunks of the same major type up to a break. */
function concatChunks(state: DecodeState, major: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (state.position < state.bytes.length) {
    const initial = state.bytes[state.position++]!;
    if (initial === BREAK) return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
    if (initial >> 5 !== major) fail('chunk of wrong type in indefinite-length string');
    const argument = readArgument(state, initial & 0x1f);
    if (argument === -1) fail('nested indefinite-length string');
    const chunk = readBytes(state, readLength(state, argument, 1));
    chunks.push(chunk);
    total += chunk.length;
  }
  return fail('truncated input');
}

function decodeArray(state: DecodeState, argument: number | bigint, depth: number): unknown[] {
  if (depth > state.maxDepth) fail(`nested deeper than ${state.maxDepth}`);
  const items: unknown[] = [];
  if (argument === -1) {
    while (state.position < state.bytes.length) {
      if (state.bytes[state.position] === BREAK) {
        state.position++;
        return items;
      }
      items.push(decodeItem(state, depth));
    }
    return fail('truncated input');
  }
  const count = readLength(state, argument, 1);
  for (let index = 0; index < count; index++) items.push(decodeItem(state, depth));
  return items;
}

function decodeMap(state: DecodeState, argument: number | bigint, depth: number): Record<string, unknown> {
  if (depth > state.maxDepth) fail(`nested deeper than ${state.maxDepth}`);
  const map: Record<string, unknown> = {};
  if (argument === -1) {
    while (state.position < state.bytes.length) {
      if (state.bytes[state.position] === BREAK) {
        state.position++;
        return map;
      }
      decodeEntry(state, map, depth);
    }
    return fail('truncated input');
  }
  const count = readLength(state, argument, 2);
  for (let index = 0; index < count; index++) decodeEntry(state, map, depth);
  return map;
}

function decodeEntry(state: DecodeState, map: Record<string, unknown>, depth: number): void {
  const key = decodeItem(state, depth);
  let name: string;
  if (typeof key === 'string') name = key;
  else if (typeof key === 'number' || typeof key === 'bigint') name = String(key);
  else return fail('map key is not a string or integer');
  const value = decodeItem(state, depth);
  // A plain assignment of "__proto__" would replace the prototype instead of adding a member.
  if (name === '__proto__') Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
  else map[name] = value;
}

function decodeSimpleOrFloat(state: DecodeState, info: number): unknown {
  switch (info) {
    case 20:
      return false;
    case 21:
      return true;
    case 22:
      return null;
    case 23:
      return undefined;
    case 24: {
      need(state, 1);
      const value = state.bytes[state.position++]!;
      if (value < 32) fail('simple value in two bytes below 32');
      return new CborSimpleValue(value);
    }
    case 25: {
      need(state, 2);
      const half = state.view.getUint16(state.position);
      state.position += 2;
      return decodeHalf(half);
    }
    case 26: {
      need(state, 4);
      const value = state.view.getFloat32(state.position);
      state.position += 4;
      return value;
    }
    case 27: {
      need(state, 8);
      const value = state.view.getFloat64(state.position);
      state.position += 8;
      return value;
    }
    case 31:
      return fail('unexpected break');
    default:
      if (info < 20) return new CborSimpleValue(info);
      return fail(`reserved simple value ${info}`);
  }
}

function decodeHalf(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Growable output buffer for the encoder. */
class CborWriter {
  bytes = Buffer.allocUnsafe(256);
  position = 0;

  ensure(count: number): void {
    if (this.position + count <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.position + count) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.bytes.copy(next, 0, 0, this.position);
    this.bytes = next;
  }

  head(major: number, argument: number): void {
    const base = major << 5;
    if (argument < 24) {
      this.ensure(1);
      this.bytes[this.position++] = base | argument;
    } else if (argument < 0x100) {
      this.ensure(2);
      this.bytes[this.position++] = base | 24;
      this.bytes[this.position++] = argument;
    } else if (argument < 0x10000) {
      this.ensure(3);
      this.bytes[this.position++] = base | 25;
      this.bytes.writeUInt16BE(argument, this.position);
      this.position += 2;
    } else if (argument < 0x100000000) {
      this.ensure(5);
      this.bytes[this.position++] = base | 26;
      this.bytes.writeUInt32BE(argument, this.position);
      this.position += 4;
    } else {
      this.headBig(major, BigInt(argument));
    }
  }

  headBig(major: number, argument: bigint): void {
    if (argument < 0x100000000n) return this.head(major, Number(argument));
    this.ensure(9);
    this.bytes[this.position++] = (major << 5) | 27;
    this.bytes.writeBigUInt64BE(argument, this.position);
    this.position += 8;
  }
}

const MAX_UINT64 = 0xffffffffffffffffn;

/**
 * Encodes a document as CBOR: objects as maps (undefined members skipped), arrays, strings, booleans, null,
 * integers in their smallest form (bigint too, within 64 bits), other numbers as float64, Uint8Array as byte
 * strings and CborTag as tags.
 */
export function encodeCbor(value: unknown): Buffer {
  const writer = new CborWriter();
  encodeItem(writer, value, 0);
  return writer.bytes.subarray(0, writer.position);
}

function encodeItem(writer: CborWriter, value: unknown, depth: number): void {
  if (depth > 512) throw new TypeError('CBOR encode: document nested too deeply (cycle?)');
  switch (typeof value) {
    case 'string':
      return encodeString(writer, value);
    case 'number':
      return encodeNumber(writer, value);
    case 'boolean':
      writer.ensure(1);
      writer.bytes[writer.position++] = value ? 0xf5 : 0xf4;
      return;
    case 'bigint':
      if (value >= 0n && value <= MAX_UINT64) return writer.headBig(0, value);
      if (value < 0n && -1n - value <= MAX_UINT64) return writer.headBig(1, -1n - value);
      throw new TypeError('CBOR encode: bigint outside 64 bits');
    case 'undefined':
      writer.ensure(1);
      writer.bytes[writer.position++] = 0xf7;
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`CBOR encode: cannot encode ${typeof value}`);
  }
  if (value === null) {
    writer.ensure(1);
    writer.bytes[writer.position++] = 0xf6;
  } else if (value instanceof Uint8Array) {
    writer.head(2, value.length);
    writer.ensure(value.length);
    writer.bytes.set(value, writer.position);
    writer.position += value.length;
  } else if (Array.isArray(value)) {
    writer.head(4, value.length);
    for (const item of value) encodeItem(writer, item, depth + 1);
  } else if (value instanceof CborTag) {
    writer.head(6, value.tag);
    encodeItem(writer, value.value, depth + 1);
  } else if (value instanceof CborSimpleValue) {
    if (value.value < 24) writer.head(7, value.value);
    else {
      writer.ensure(2);
      writer.bytes[writer.position++] = 0xf8;
      writer.bytes[writer.position++] = value.value;
    }
  } else {
    const record = value as Record<string, unknown>;
    let count = 0;
    for (const key in record) if (Object.hasOwn(record, key) && record[key] !== undefined) count++;
    writer.head(5, count);
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const member = record[key];
      if (member === undefined) continue;
      encodeString(writer, key);
      encodeItem(writer, member, depth + 1);
    }
  }
}

function encodeString(writer: CborWriter, value: string): void {
  const length = Buffer.byteLength(value, 'utf8');
  writer.head(3, length);
  writer.ensure(length);
  writer.position += writer.bytes.write(value, writer.position, length, 'utf8');
}

function encodeNumber(writer: CborWriter, value: number): void {
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
    if (value >= 0) writer.head(0, value);
    else writer.head(1, -1 - value);
    return;
  }
  writer.ensure(9);
  writer.bytes[writer.position++] = 0xfb;
  writer.bytes.writeDoubleBE(value, writer.position);
  writer.position += 8;
}
