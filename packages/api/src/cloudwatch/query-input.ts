import { InvalidParameterValueException } from '../generated/cloudwatch/errors.js';
import * as messages from '../errors/messages.js';
import type { ShapeDescriptor, ShapeTable } from '../runtime/shape.js';

/**
 * A query-protocol form (flat parameters keyed by dotted names) read into typed input by the model's shapes:
 * structure members as `Parent.Member`, list elements as `List.member.N` (N from 1; `List=` alone is an empty
 * list), map entries as `Map.entry.N.key` / `.value`; timestamps in ISO 8601, numbers and booleans as text
 * (Smithy's AWS query protocol). Unknown parameters are ignored; a value that does not read as its type is
 * refused with InvalidParameterValue.
 */
export function readQueryInput(shapes: ShapeTable, shapeName: string, parameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return (new QueryReader(shapes, parameters).read(shapeName, '') ?? {}) as Record<string, unknown>;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

class QueryReader {
  readonly #names: readonly string[];

  constructor(
    private readonly shapes: ShapeTable,
    private readonly parameters: Readonly<Record<string, unknown>>,
  ) {
    this.#names = Object.keys(parameters);
  }

  read(shapeName: string, path: string): unknown {
    const shape = this.shapes[shapeName];
    if (shape === undefined) throw new Error(`RIFFLE_ERR_UNKNOWN_SHAPE: ${shapeName}`);
    switch (shape.type) {
      case 'structure': {
        const result: Record<string, unknown> = {};
        let found = false;
        for (const [name, member] of Object.entries(shape.members)) {
          const value = this.read(member.target, path === '' ? name : `${path}.${name}`);
          if (value === undefined) continue;
          result[name] = value;
          found = true;
        }
        return found || path === '' ? result : undefined;
      }
      case 'list': {
        if (this.parameters[path] === '') return [];
        return this.#indices(`${path}.member.`)?.map((index) => this.read(shape.member, `${path}.member.${index}`) ?? null);
      }
      case 'map': {
        const indices = this.#indices(`${path}.entry.`);
        if (indices === undefined) return undefined;
        const result: Record<string, unknown> = {};
        for (const index of indices) {
          const key = this.parameters[`${path}.entry.${index}.key`];
          if (typeof key !== 'string') continue;
          Object.defineProperty(result, key, {
            value: this.read(shape.value, `${path}.entry.${index}.value`) ?? null,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return result;
      }
      default: {
        if (!Object.hasOwn(this.parameters, path)) return undefined;
        return readScalar(shape, String(this.parameters[path]), path);
      }
    }
  }

  /** The element numbers present under `prefix` (`Dimensions.member.`), in numeric order; undefined for none. */
  #indices(prefix: string): number[] | undefined {
    const found = new Set<number>();
    for (const name of this.#names) {
      if (!name.startsWith(prefix)) continue;
      const rest = name.slice(prefix.length);
      const dot = rest.indexOf('.');
      const segment = dot < 0 ? rest : rest.slice(0, dot);
      if (/^[1-9]\d{0,5}$/.test(segment)) found.add(Number(segment));
    }
    return found.size === 0 ? undefined : [...found].sort((a, b) => a - b);
  }
}

function readScalar(shape: ShapeDescriptor, raw: string, path: string): unknown {
  const malformed = () => new InvalidParameterValueException(messages.cloudWatchMalformedValue(raw, path));
  switch (shape.type) {
    case 'string':
      return raw;
    case 'integer':
    case 'long': {
      if (!INTEGER.test(raw)) throw malformed();
      const value = Number(raw);
      if (!Number.isSafeInteger(value)) throw malformed();
      return value;
    }
    case 'double':
    case 'float':
      if (!DECIMAL.test(raw)) throw malformed();
      return Number(raw);
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw malformed();
    case 'timestamp': {
      const time = ISO_8601.test(raw) ? Date.parse(raw) : Number.NaN;
      if (Number.isNaN(time)) throw malformed();
      return new Date(time);
    }
    case 'blob': {
      const bytes = Buffer.from(raw, 'base64');
      if (bytes.toString('base64') !== raw) throw malformed();
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    default:
      throw malformed();
  }
}
