import { CborTag, type Protocol } from '@riffle/wire';
import type { ShapeTable } from './shape.js';

/** Turns one typed value into its protocol-shaped document value. */
export type Serializer = (value: unknown) => unknown;

/**
 * Typed output -> protocol document. JSON (1.1 and 1.0): blobs as base64, timestamps as epoch seconds with a
 * millisecond fraction; Kinesis's CBOR: blobs stay bytes, timestamps are integer epoch milliseconds without a tag
 * (reference §1.3); rpc-v2-cbor: timestamps in tag 1 as epoch seconds (Smithy RPC v2 CBOR, "Timestamp type
 * serialization"). The query protocol's XML has its own writer (cloudwatch/query-output-xml.ts). Undefined and null members are dropped, unknown members are not copied.
 * One serializer function is compiled per shape and protocol on first use, so that a 10000-record
 * GetRecords does not walk the shape table per record.
 */
export class OutputSerializer {
  private readonly compiled = new Map<string, Serializer | null>();
  private readonly compiling = new Set<string>();

  constructor(
    private readonly shapes: ShapeTable,
    readonly protocol: Protocol,
  ) {}

  serialize(shapeName: string, value: unknown): unknown {
    const serializer = this.forShape(shapeName);
    return serializer === null ? value : serializer(value);
  }

  /** The shape's serializer; null when its values pass through unchanged. */
  forShape(shapeName: string): Serializer | null {
    const known = this.compiled.get(shapeName);
    if (known !== undefined) return known;
    if (this.compiling.has(shapeName)) {
      // A recursive shape: resolve on first call, when compilation has finished.
      return (value) => this.serialize(shapeName, value);
    }
    this.compiling.add(shapeName);
    const serializer = this.compile(shapeName);
    this.compiling.delete(shapeName);
    this.compiled.set(shapeName, serializer);
    return serializer;
  }

  private compile(shapeName: string): Serializer | null {
    const shape = this.shapes[shapeName];
    if (shape === undefined) throw new Error(`RIFFLE_ERR_UNKNOWN_SHAPE: ${shapeName}`);
    switch (shape.type) {
      case 'blob':
        return this.protocol === 'json' || this.protocol === 'json-1.0' ? blobToBase64 : null;
      case 'timestamp':
        if (this.protocol === 'cbor') return timestampToEpochMillis;
        return this.protocol === 'rpc-v2-cbor' ? timestampToTaggedEpochSeconds : timestampToEpochSeconds;
      case 'list': {
        const item = this.forShape(shape.member);
        if (item === null) return null;
        return (value) => (value as unknown[]).map((element) => (element === null || element === undefined ? element : item(element)));
      }
      case 'map': {
        const entry = this.forShape(shape.value);
        if (entry === null) return null;
        return (value) => {
          const result: Record<string, unknown> = {};
          for (const [key, element] of Object.entries(value as Record<string, unknown>)) {
            if (element === null || element === undefined) continue;
            Object.defineProperty(result, key, { value: entry(element), enumerable: true, writable: true, configurable: true });
          }
          return result;
        };
      }
      case 'structure': {
        const members = Object.entries(shape.members).map(([name, member]) => ({
          name,
          wireName: member.wireName,
          serializer: this.forShape(member.target),
        }));
        return (value) => {
          const source = value as Record<string, unknown>;
          const result: Record<string, unknown> = {};
          for (const member of members) {
            const memberValue = source[member.name];
            if (memberValue === undefined || memberValue === null) continue;
            result[member.wireName] = member.serializer === null ? memberValue : member.serializer(memberValue);
          }
          return result;
        };
      }
      default:
        return null;
    }
  }
}

function blobToBase64(value: unknown): string {
  const bytes = value as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** A Date, or epoch milliseconds as a number. */
function epochMillis(value: unknown): number {
  return typeof value === 'number' ? value : (value as Date).getTime();
}

function timestampToEpochSeconds(value: unknown): number {
  return epochMillis(value) / 1000;
}

function timestampToEpochMillis(value: unknown): number {
  return epochMillis(value);
}

function timestampToTaggedEpochSeconds(value: unknown): CborTag {
  return new CborTag(1, epochMillis(value) / 1000);
}
