import { kinesisOperations, kinesisShapes } from '@riffle/api';
import { CborTag, type Protocol } from '@riffle/wire';

/** Strings with no length constraint in the model are cut here: the audit log must not grow by a client's whim. */
const DEFAULT_MAX_STRING = 2048;
/** Lists longer than this are cut (no Kinesis input list is longer; a malformed one can be). */
const MAX_LIST_ITEMS = 1000;
const MAX_DEPTH = 16;

/**
 * CloudTrail's `requestParameters`: the request's members under lower-camel names (`ShardCount` -> `shardCount`,
 * `StreamARN` -> `streamARN`, as in AWS's CloudTrail examples for Kinesis), walked through the model so that only
 * modelled members are kept and map keys (tags) stay as sent. Blobs are never recorded: they are record data
 * (`Data` of PutRecord). PutRecords keeps its stream and a `recordCount` instead of the records (Riffle's choice:
 * their data and partition keys are the payload). Null when there is nothing to record, as CloudTrail writes it.
 */
export function requestParametersOf(operation: string, input: Record<string, unknown>, protocol: Protocol): Record<string, unknown> | null {
  const descriptor = (kinesisOperations as Readonly<Record<string, { input: string }>>)[operation];
  if (!descriptor) return null;
  let document: Record<string, unknown> = input;
  let recordCount: number | undefined;
  if (operation === 'PutRecords') {
    const { Records: records, ...rest } = input;
    document = rest;
    recordCount = Array.isArray(records) ? records.length : undefined;
  }
  const walked = walk(descriptor.input, document, protocol, 0) as Record<string, unknown> | undefined;
  const parameters = walked ?? {};
  if (recordCount !== undefined) parameters.recordCount = recordCount;
  return Object.keys(parameters).length === 0 ? null : parameters;
}

function walk(shapeName: string, value: unknown, protocol: Protocol, depth: number): unknown {
  const shape = kinesisShapes[shapeName];
  if (!shape || value === null || value === undefined || depth > MAX_DEPTH) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (!isMap(value)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const walked = walk(member.target, value[member.wireName], protocol, depth + 1);
        if (walked !== undefined) out[lowerCamel(name)] = walked;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) return undefined;
      return value.slice(0, MAX_LIST_ITEMS).map((item) => walk(shape.member, item, protocol, depth + 1) ?? null);
    }
    case 'map': {
      if (!isMap(value)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value).slice(0, MAX_LIST_ITEMS)) {
        const walked = walk(shape.value, item, protocol, depth + 1);
        if (walked !== undefined) out[key.slice(0, DEFAULT_MAX_STRING)] = walked;
      }
      return out;
    }
    case 'blob':
      return undefined;
    case 'string':
      return typeof value === 'string' ? value.slice(0, shape.max ?? DEFAULT_MAX_STRING) : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'timestamp':
      return timestampOf(value, protocol);
    default:
      if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
      if (typeof value === 'bigint') return Number(value);
      return undefined;
  }
}

/** JSON timestamps are epoch seconds; CBOR's are epoch milliseconds, plain or in tag 1. */
function timestampOf(value: unknown, protocol: Protocol): string | undefined {
  const raw = value instanceof CborTag ? value.value : value;
  const number = typeof raw === 'bigint' ? Number(raw) : raw;
  if (typeof number !== 'number' || !Number.isFinite(number)) return undefined;
  const date = new Date(protocol === 'json' && !(value instanceof CborTag) ? number * 1000 : number);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof CborTag);
}
