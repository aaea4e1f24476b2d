import { CborTag, type Protocol } from '@riffle/wire';
import { SerializationException } from './serialization-exception.js';
import type { ShapeDescriptor, ShapeTable, StructureShape } from './shape.js';

// Coral's type-mismatch texts, as kinesalite recorded them from live AWS (validations/index.js checkTypes,
// test/helpers.js assertType). The missing final period of the list text is AWS's.
const startOfList = 'Start of list found where not expected';
const startOfStructure = 'Start of structure or map found where not expected.';
const jsonNumberClass = 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber';
// Not recorded from AWS: a CBOR byte string where another type is expected; follows Coral's "class X" grammar.
const byteBufferClass = 'class java.nio.HeapByteBuffer';

const integerLimits = { min: -2147483648, max: 2147483647 };
const longLimits = { min: -9223372036854775808, max: 9223372036854775807 };

/** The value kinds a decoded JSON or CBOR document can hold. */
type ValueKind = 'boolean' | 'number' | 'string' | 'list' | 'object' | 'bytes';

function kindOf(value: unknown): ValueKind {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    default:
      if (Array.isArray(value)) return 'list';
      if (value instanceof Uint8Array) return 'bytes';
      return 'object';
  }
}

function fail(message: string): never {
  throw new SerializationException(message);
}

/** Java's article in "can not be converted to an Integer" is always "an" (Coral's wording, even "an Boolean"). */
function numberTypeName(type: 'integer' | 'long' | 'double' | 'float'): string {
  return type === 'integer' ? 'Integer' : type === 'long' ? 'Long' : type === 'double' ? 'Double' : 'Float';
}

/**
 * Turns a decoded request document into typed input (blobs as Uint8Array, timestamps as Date), walking
 * the input structure's shape. Unknown members and nulls are dropped. Every type mismatch throws
 * SerializationException with AWS's message; nothing else is ever thrown.
 * JSON timestamps are epoch seconds; Kinesis's CBOR timestamps are epoch milliseconds, plain or in tag 1;
 * rpc-v2-cbor's are epoch seconds in tag 1.
 */
export function deserialize(shapes: ShapeTable, shapeName: string, document: unknown, protocol: Protocol): unknown {
  const reader = new DocumentReader(shapes, protocol);
  return reader.read(shapeName, document ?? {});
}

class DocumentReader {
  constructor(
    private readonly shapes: ShapeTable,
    private readonly protocol: Protocol,
  ) {}

  read(shapeName: string, raw: unknown): unknown {
    const shape = this.shapes[shapeName];
    if (shape === undefined) throw new Error(`RIFFLE_ERR_UNKNOWN_SHAPE: ${shapeName}`);
    let value = raw;
    if (value instanceof CborTag) {
      if (shape.type === 'timestamp') return this.readTaggedTimestamp(value);
      // Other tags carry no meaning for AWS's model; judge the tagged value. Bounded by the document's depth.
      while (value instanceof CborTag) value = value.value;
    }
    if (value === null || value === undefined) return null;
    return this.readValue(shape, value);
  }

  private readValue(shape: ShapeDescriptor, value: unknown): unknown {
    const kind = kindOf(value);
    switch (shape.type) {
      case 'structure':
        if (kind === 'object') return this.readStructure(shape, value as Record<string, unknown>);
        return fail(kind === 'list' ? startOfList : 'Expected null');
      case 'list':
        if (kind === 'list') return (value as unknown[]).map((item) => this.read(shape.member, item));
        return fail(kind === 'object' ? startOfStructure : 'Expected list or null');
      case 'map':
        if (kind === 'object') return this.readMap(shape.value, value as Record<string, unknown>);
        return fail(kind === 'list' ? startOfList : 'Expected map or null');
      case 'string':
        if (kind === 'string') return value;
        return this.mismatch(kind, 'an String');
      case 'boolean':
        if (kind === 'boolean') return value;
        if (kind === 'string') return readBooleanString(value as string);
        if (kind === 'number') return fail(`${jsonNumberClass} can not be converted to an Boolean`);
        return this.mismatch(kind, 'an Boolean');
      case 'integer':
      case 'long':
      case 'double':
      case 'float':
        if (kind === 'number') return readNumber(shape.type, value as number | bigint);
        if (kind === 'string') return fail(`class java.lang.String can not be converted to an ${numberTypeName(shape.type)}`);
        return this.mismatch(kind, `an ${numberTypeName(shape.type)}`);
      case 'blob':
        if (kind === 'bytes') return value;
        if (kind === 'string') return readBase64(value as string);
        if (kind === 'number') return fail(`${jsonNumberClass} can not be converted to a Blob`);
        return this.mismatch(kind, 'a Blob');
      case 'timestamp':
        if (kind === 'number') return this.readTimestampNumber(value as number | bigint);
        if (kind === 'string') return fail('class java.lang.String can not be converted to milliseconds since epoch');
        return this.mismatch(kind, 'milliseconds since epoch');
    }
  }

  /** The texts shared by every scalar type for booleans, lists, structures and byte strings. */
  private mismatch(kind: ValueKind, target: string): never {
    switch (kind) {
      case 'list':
        return fail(startOfList);
      case 'object':
        return fail(startOfStructure);
      case 'boolean':
        return fail(`class java.lang.Boolean can not be converted to ${target}`);
      case 'number':
        return fail(`${jsonNumberClass} can not be converted to ${target}`);
      case 'string':
        return fail(`class java.lang.String can not be converted to ${target}`);
      case 'bytes':
        return fail(`${byteBufferClass} can not be converted to ${target}`);
    }
  }

  private readStructure(shape: StructureShape, value: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    // Checked in AWS's reporting order, so that the first mismatch reported is the one AWS reports.
    const order = shape.validationOrder ?? Object.keys(shape.members);
    for (const name of order) {
      const member = shape.members[name]!;
      if (!Object.hasOwn(value, member.wireName)) continue;
      const typed = this.read(member.target, value[member.wireName]);
      if (typed !== null) result[name] = typed;
    }
    return result;
  }

  private readMap(valueShape: string, value: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      // defineProperty: a key such as "__proto__" must stay a plain entry.
      Object.defineProperty(result, key, {
        value: this.read(valueShape, value[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }

  private readTimestampNumber(value: number | bigint): Date {
    // Only Kinesis's CBOR counts milliseconds; JSON (1.1, 1.0) and rpc-v2-cbor count seconds.
    const millis = this.protocol === 'cbor' ? Number(value) : Math.round(Number(value) * 1000);
    return toDate(millis, value);
  }

  private readTaggedTimestamp(tag: CborTag): Date | null {
    // AWS SDKs for Java put epoch *milliseconds* in tag 1 (aws-sdk-java-v2 SdkCborGenerator), against RFC 8949;
    // rpc-v2-cbor follows the RFC (epoch seconds, Smithy RPC v2 CBOR "Timestamp type serialization").
    const inner = tag.value;
    if (typeof inner === 'number' || typeof inner === 'bigint') {
      return toDate(this.protocol === 'rpc-v2-cbor' ? Math.round(Number(inner) * 1000) : Number(inner), inner);
    }
    if (inner === null || inner === undefined) return null;
    return this.mismatch(kindOf(inner), 'milliseconds since epoch');
  }
}

function toDate(millis: number, original: number | bigint): Date {
  const date = new Date(millis);
  // Not recorded from AWS: a number outside Java's date range; follows Coral's "can not be converted" grammar.
  if (Number.isNaN(date.getTime())) fail(`'${String(original)}' can not be converted to milliseconds since epoch`);
  return date;
}

/** kinesalite notes that AWS accepts 'true'/'false'/'1'/'0'/'yes'/'no' and rejects other strings upper-cased. */
function readBooleanString(value: string): boolean {
  const upper = value.toUpperCase();
  if (upper === 'TRUE' || upper === 'YES' || upper === '1') return true;
  if (upper === 'FALSE' || upper === 'NO' || upper === '0') return false;
  return fail(`'${upper}' can not be converted to an Boolean`);
}

/** Coral truncates JSON numbers towards an integral type and saturates at its range (kinesalite checkTypes). */
function readNumber(type: 'integer' | 'long' | 'double' | 'float', value: number | bigint): number {
  if (type === 'double' || type === 'float') return Number(value);
  const limits = type === 'integer' ? integerLimits : longLimits;
  if (typeof value === 'bigint') {
    if (value > BigInt(limits.max)) return limits.max;
    if (value < BigInt(limits.min)) return limits.min;
    return Number(value);
  }
  if (Number.isNaN(value)) return 0;
  return Math.min(Math.max(Math.floor(value), limits.min), limits.max);
}

const invalidBase64 = /[^a-zA-Z0-9+/=]|=[^=]/;

/** Standard padded base64, rejected with AWS's three messages (kinesalite validations/index.js, test/helpers.js). */
function readBase64(value: string): Uint8Array {
  const prefix = `'${value}' can not be converted to a Blob: `;
  if (value.length % 4 !== 0) {
    return fail(`${prefix}Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`);
  }
  const bytes = Buffer.from(value, 'base64');
  // Node's decoder skips what it cannot read, so only canonical base64 survives the round trip; the slower search
  // for the offending character runs only for input that did not (it was 10% of PutRecords' CPU).
  if (bytes.toString('base64') !== value) {
    const invalid = invalidBase64.exec(value);
    if (invalid !== null) return fail(`${prefix}Invalid Base64 character: '${invalid[0][0]}'`);
    // "dectected" is AWS's spelling.
    return fail(`${prefix}Invalid last non-pad Base64 character dectected`);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
