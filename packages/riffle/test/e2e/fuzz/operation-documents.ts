import fc from 'fast-check';
import { kinesisOperations, kinesisShapes, type ShapeDescriptor } from '@riffle/api';
import { cborHead, cloneLoose, encodeLooseCbor, encodeLooseJson, Entries, Indefinite, raw, RawFragment, Tagged } from './loose-encoders.js';

export type BodyProtocol = 'json' | 'cbor';

/** A request document of a real operation, with members of the wrong type, out of range or missing. */
export interface OperationDocument {
  readonly operation: string;
  readonly document: unknown;
  /** Which members were changed, for the report of a failing case. */
  readonly note: string;
}

export const FUZZ_STREAM = 'fuzz-target';
const ACCOUNT = '000000000000';
const STREAM_ARN = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${FUZZ_STREAM}`;

/** Plausible values by shape name, so that a document with one bad member otherwise reaches the handler. */
const PLAUSIBLE: Readonly<Record<string, unknown>> = {
  StreamName: FUZZ_STREAM,
  StreamARN: STREAM_ARN,
  ResourceARN: STREAM_ARN,
  ConsumerARN: `${STREAM_ARN}/consumer/fuzz-consumer:1700000000`,
  ConsumerName: 'fuzz-consumer',
  ShardId: 'shardId-000000000000',
  ShardIterator: 'AAAAAAAAAAGfuzz',
  PartitionKey: 'k',
  HashKey: '0',
  SequenceNumber: '49590338271490256608559692538361571095921575989136588898',
  KeyId: 'alias/aws/kinesis',
  ChannelName: 'fuzz-channel',
  Policy: '{"Version":"2012-10-17","Statement":[]}',
  TagKey: 'k',
  TagValue: 'v',
};

export const OPERATION_NAMES: readonly string[] = Object.keys(kinesisOperations);

interface MemberPath {
  readonly path: ReadonlyArray<string | number>;
  readonly shapeName: string;
}

/** Every member reachable from an input structure (nested to `maxDepth`), as paths into a document. */
function memberPaths(shapeName: string, prefix: ReadonlyArray<string | number> = [], depth = 0): MemberPath[] {
  const shape = kinesisShapes[shapeName];
  if (shape === undefined || depth > 4) return [];
  const paths: MemberPath[] = [];
  if (shape.type === 'structure') {
    for (const member of Object.values(shape.members)) {
      const path = [...prefix, member.wireName];
      paths.push({ path, shapeName: member.target }, ...memberPaths(member.target, path, depth + 1));
    }
  } else if (shape.type === 'list') {
    const path = [...prefix, 0];
    paths.push({ path, shapeName: shape.member }, ...memberPaths(shape.member, path, depth + 1));
  } else if (shape.type === 'map') {
    const path = [...prefix, 'k'];
    paths.push({ path, shapeName: shape.value }, ...memberPaths(shape.value, path, depth + 1));
  }
  return paths;
}

/** A valid-looking value of a shape (every member filled in), in the protocol's own types. */
export function plausibleValue(shapeName: string, protocol: BodyProtocol, depth = 0): unknown {
  const shape = kinesisShapes[shapeName];
  if (shape === undefined) return 'fuzz';
  if (PLAUSIBLE[shapeName] !== undefined) return PLAUSIBLE[shapeName];
  switch (shape.type) {
    case 'structure': {
      const document: Record<string, unknown> = {};
      if (depth > 4) return document;
      for (const member of Object.values(shape.members)) {
        document[member.wireName] = plausibleValue(member.target, protocol, depth + 1);
      }
      return document;
    }
    case 'list':
      return depth > 4 ? [] : [plausibleValue(shape.member, protocol, depth + 1)];
    case 'map':
      return depth > 4 ? {} : { k: plausibleValue(shape.value, protocol, depth + 1) };
    case 'string':
      if (shape.enum) return shape.enum[0];
      return 'x'.repeat(Math.max(shape.min ?? 1, 4));
    case 'integer':
    case 'long':
      return Math.max(shape.min ?? 1, 1);
    case 'double':
    case 'float':
      return Math.max(shape.min ?? 1, 1);
    case 'blob':
      return protocol === 'json' ? 'AAEC' : new Uint8Array([0, 1, 2]);
    case 'boolean':
      return false;
    case 'timestamp':
      return protocol === 'json' ? 1_700_000_000 : new Tagged(1, 1_700_000_000_000);
  }
}

function encodedOnce(protocol: BodyProtocol, value: unknown): RawFragment {
  return new RawFragment(protocol === 'json' ? encodeLooseJson(value) : encodeLooseCbor(value));
}

function nested(depth: number, inner: unknown = 1, asObject = false): unknown {
  let value = inner;
  for (let level = 0; level < depth; level++) value = asObject ? { a: value } : [value];
  return value;
}

/** Invalid UTF-8 sequences: a lone continuation byte, overlong forms, a surrogate, bytes above U+10FFFF. */
const INVALID_UTF8: readonly number[][] = [[0x80], [0xff], [0xfe, 0xfe], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc3]];

function invalidUtf8String(protocol: BodyProtocol): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(...INVALID_UTF8), fc.string({ maxLength: 8 })).map(([bad, text]) => {
    const bytes = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from(bad)]);
    return protocol === 'json'
      ? raw(Buffer.concat([Buffer.from('"'), bytes, Buffer.from('"')]))
      : raw(Buffer.concat([cborHead(3, bytes.length), bytes]));
  });
}

/** Values no member of any type accepts, or that only barely fit. */
function anyWrongValue(protocol: BodyProtocol): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1.5, '', 'x', [], {}, [1], { a: 1 }, [[]], [{}]),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.jsonValue({ maxDepth: 3 }),
    fc.integer({ min: 60, max: 70 }).map((depth) => nested(depth)),
    fc.integer({ min: 60, max: 70 }).map((depth) => nested(depth, 1, true)),
    invalidUtf8String(protocol),
    ...(protocol === 'cbor'
      ? [
          fc.uint8Array({ maxLength: 16 }),
          fc.constantFrom(undefined, new Tagged(1, 'x'), new Tagged(55799, {}), new Tagged(2, new Uint8Array(9))),
          fc.constantFrom(raw([0xf8, 0x20]), raw([0xe0]), raw([0xf9, 0x7e, 0x00]), raw([0xfa, 0x7f, 0xc0, 0x00, 0x00])),
        ]
      : []),
  );
}

const HUGE_JSON_NUMBERS = ['1e400', '-1e400', '123456789012345678901234567890', '-0', '1E2', '0.0000001', '9223372036854775808', '-9223372036854775809', '2147483648', '1.0', '4.9e-324'];
const BROKEN_JSON_NUMBERS = ['0x10', '01', '.5', '1.', '+1', '--1', 'NaN', 'Infinity', '1e', '1_000'];

function wrongNumber(shape: { min?: number; max?: number }, protocol: BodyProtocol): fc.Arbitrary<unknown> {
  const edges: unknown[] = [2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 2 ** 63, -(2 ** 63), 1e308, -1e308, 1e-300, 0.5, -0, '1', '0x1'];
  if (shape.min !== undefined) edges.push(shape.min - 1, shape.min);
  if (shape.max !== undefined) edges.push(shape.max, shape.max + 1);
  return fc.oneof(
    fc.constantFrom(...edges),
    protocol === 'json'
      ? fc.constantFrom(...HUGE_JSON_NUMBERS, ...BROKEN_JSON_NUMBERS).map((text) => raw(text))
      : fc.constantFrom<unknown>(
          2n ** 64n - 1n,
          -(2n ** 64n),
          NaN,
          Infinity,
          -Infinity,
          raw([0xf9, 0x7c, 0x00]),
          raw([0xfa, 0x4f, 0x00, 0x00, 0x00]),
          new Tagged(2, new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 0])),
          new Tagged(3, new Uint8Array([1])),
        ),
  );
}

const BASE64_GARBAGE = ['abc', '====', 'A', 'AA=A', '@@@@', 'AAEC\n', 'AA EC', '-_-_', 'AAEC====', '\u00ff\u00ff\u00ff\u00ff', '\u0000', 'AAE', 'AAECAw', '=AAE', 'AA\r\nEC'];

function wrongBlob(protocol: BodyProtocol): fc.Arbitrary<unknown> {
  if (protocol === 'json') {
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...BASE64_GARBAGE) },
      { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...'AB+/=-_ \n%*.'), maxLength: 24 }) },
      { weight: 2, arbitrary: fc.constantFrom(12, [1, 2], { $binary: 'AAEC' }) },
    );
  }
  return fc.oneof(
    fc.constantFrom('AAEC', '', 'not-base64'),
    fc.constantFrom(
      // Indefinite-length byte strings: well formed, a text chunk inside, a missing break.
      raw([0x5f, 0x42, 1, 2, 0x41, 3, 0xff]),
      raw([0x5f, 0x42, 1, 2, 0x61, 0x41, 0xff]),
      raw([0x5f, 0x42, 1, 2]),
      raw([0x5f, 0x5f, 0xff, 0xff]),
      new Tagged(24, new Uint8Array([0xa0])),
      new Tagged(2, new Uint8Array([1, 2])),
    ),
  );
}

function wrongTimestamp(protocol: BodyProtocol): fc.Arbitrary<unknown> {
  const common: unknown[] = ['2020-01-01T00:00:00Z', '1700000000', -1, 1e20, -1e20, 1.5, {}, [], true, 8.64e15, 8.64e15 + 1];
  if (protocol === 'json') return fc.constantFrom(...common, raw('1e400'), raw('-1e400'), raw('1.7e9'));
  return fc.constantFrom(
    ...common,
    new Tagged(1, '2020-01-01T00:00:00Z'),
    new Tagged(1, -1),
    new Tagged(1, 1e300),
    new Tagged(1, NaN),
    new Tagged(1, 2n ** 64n - 1n),
    new Tagged(0, 'yesterday'),
    new Tagged(1, new Tagged(1, 5)),
    new Tagged(1, []),
    new Tagged(99, 5),
    new Tagged(1, new Uint8Array(8)),
  );
}

// Any code point, lone surrogates included (fast-check's 'binary' unit costs seconds to build its reverse map).
const binaryString = fc.string({ unit: fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)), maxLength: 40 });
const graphemeString = fc.string({ unit: fc.integer({ min: 0x80, max: 0x2fff }).map((code) => String.fromCodePoint(code)), maxLength: 12 });

function wrongString(shape: ShapeDescriptor & { type: 'string' }, protocol: BodyProtocol): fc.Arbitrary<unknown> {
  const variants: fc.Arbitrary<unknown>[] = [
    binaryString,
    graphemeString,
    fc.integer({ min: 129, max: 5000 }).map((length) => 'a'.repeat(length)),
    fc.constantFrom('\u0000', '\r\n', '\ud800', '\udfff\ud800', ' ', '..', '.', '-', '_', '../../etc', 'a'.repeat(128), '%00', '\u202e'),
  ];
  if (shape.enum) {
    variants.push(fc.constantFrom(...shape.enum.flatMap((value) => [value.toLowerCase(), ` ${value}`, `${value}\u0000`, `${value}X`])));
  }
  if (protocol === 'cbor') variants.push(fc.uint8Array({ maxLength: 8 }), fc.constant(raw([0x7f, 0x61, 0x41, 0x41, 0x42, 0xff])), fc.constant(raw([0x7f, 0x61, 0x41])));
  return fc.oneof(...variants);
}

function wrongList(shape: ShapeDescriptor & { type: 'list' }, protocol: BodyProtocol): fc.Arbitrary<unknown> {
  const item = plausibleValue(shape.member, protocol, 3);
  const variants: unknown[] = [{}, 'x', 5, [null], [[]], [item, null]];
  // One item too many, encoded once (PutRecords: 501 records).
  if (shape.max !== undefined && shape.max <= 1000) variants.push(encodedOnce(protocol, Array.from({ length: shape.max + 1 }, () => item)));
  if (shape.min !== undefined && shape.min > 0) variants.push([]);
  if (protocol === 'cbor') variants.push(new Indefinite([item]), new Indefinite([item], false), new Indefinite([]));
  return fc.constantFrom(...variants);
}

function wrongMap(shape: ShapeDescriptor & { type: 'map' }, protocol: BodyProtocol): fc.Arbitrary<unknown> {
  const value = plausibleValue(shape.value, protocol, 3);
  const variants: unknown[] = [[], 'x', 5, { k: null }, { '': value }, new Entries([['k', value], ['k', 5]])];
  if (shape.max !== undefined && shape.max <= 1000) {
    variants.push(encodedOnce(protocol, Object.fromEntries(Array.from({ length: shape.max + 1 }, (_, index) => [`k${index}`, value]))));
  }
  if (protocol === 'cbor') variants.push(new Entries([[1, value]]), new Entries([[new Uint8Array([1]), value]]), new Entries([[[1], value]]), new Indefinite({ k: value }, false));
  return fc.constantFrom(...variants);
}

function wrongStructure(shapeName: string, protocol: BodyProtocol): fc.Arbitrary<unknown> {
  const base = plausibleValue(shapeName, protocol, 3);
  const variants: unknown[] = [[], 'x', 5, [base], new Entries([['__proto__', base]])];
  if (protocol === 'cbor') variants.push(new Indefinite(base as Record<string, unknown>), new Indefinite(base as Record<string, unknown>, false), new Tagged(1, base));
  return fc.constantFrom(...variants);
}

const wrongValueCache = new Map<string, fc.Arbitrary<unknown>>();

/** Wrong values for a member of the given shape: the wrong type, out of range, or invalid for its protocol. */
export function wrongValueFor(shapeName: string, protocol: BodyProtocol): fc.Arbitrary<unknown> {
  const key = `${protocol}:${shapeName}`;
  let arbitrary = wrongValueCache.get(key);
  if (arbitrary === undefined) wrongValueCache.set(key, (arbitrary = buildWrongValue(shapeName, protocol)));
  return arbitrary;
}

function buildWrongValue(shapeName: string, protocol: BodyProtocol): fc.Arbitrary<unknown> {
  const shape = kinesisShapes[shapeName];
  const specific: fc.Arbitrary<unknown> | undefined = (() => {
    switch (shape?.type) {
      case 'string':
        return wrongString(shape, protocol);
      case 'integer':
      case 'long':
      case 'double':
      case 'float':
        return wrongNumber(shape, protocol);
      case 'blob':
        return wrongBlob(protocol);
      case 'boolean':
        return fc.constantFrom('true', 1, 0, 'false', 'yes');
      case 'timestamp':
        return wrongTimestamp(protocol);
      case 'list':
        return wrongList(shape, protocol);
      case 'map':
        return wrongMap(shape, protocol);
      case 'structure':
        return wrongStructure(shapeName, protocol);
      default:
        return undefined;
    }
  })();
  const wrong = specific ? fc.oneof({ weight: 3, arbitrary: specific }, { weight: 2, arbitrary: anyWrongValue(protocol) }) : anyWrongValue(protocol);
  return protocol === 'cbor' ? fc.oneof({ weight: 9, arbitrary: wrong }, { weight: 1, arbitrary: wrong.map((value) => new Tagged(6, value)) }) : wrong;
}

type Mutation =
  | { readonly kind: 'set'; readonly path: ReadonlyArray<string | number>; readonly value: unknown }
  | { readonly kind: 'delete'; readonly path: ReadonlyArray<string | number> }
  | { readonly kind: 'unknown-member'; readonly name: string; readonly value: unknown };

const pathsByOperation = new Map<string, MemberPath[]>();
function pathsOf(operation: string): MemberPath[] {
  let paths = pathsByOperation.get(operation);
  if (paths === undefined) pathsByOperation.set(operation, (paths = memberPaths(kinesisOperations[operation as keyof typeof kinesisOperations].input)));
  return paths;
}

const mutationCache = new Map<string, fc.Arbitrary<Mutation>>();

function mutationArbitrary(operation: string, protocol: BodyProtocol): fc.Arbitrary<Mutation> {
  const key = `${protocol}:${operation}`;
  let arbitrary = mutationCache.get(key);
  if (arbitrary === undefined) mutationCache.set(key, (arbitrary = buildMutation(operation, protocol)));
  return arbitrary;
}

function buildMutation(operation: string, protocol: BodyProtocol): fc.Arbitrary<Mutation> {
  const paths = pathsOf(operation);
  const unknown = fc
    .tuple(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'streamname', 'StreamName ', 'x'), anyWrongValue(protocol))
    .map(([name, value]): Mutation => ({ kind: 'unknown-member', name, value }));
  if (paths.length === 0) return unknown;
  const set = fc.oneof(...paths.map((member) => wrongValueFor(member.shapeName, protocol).map((value): Mutation => ({ kind: 'set', path: member.path, value }))));
  const remove = fc.constantFrom(...paths).map((member): Mutation => ({ kind: 'delete', path: member.path }));
  return fc.oneof({ weight: 16, arbitrary: set }, { weight: 2, arbitrary: remove }, { weight: 2, arbitrary: unknown });
}

/** A plain array or object: what a mutation may walk into (not a blob, a tag or a raw fragment). */
function isContainer(value: unknown): value is Record<string | number, unknown> {
  if (Array.isArray(value)) return true;
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function applyMutation(document: Record<string, unknown>, mutation: Mutation): Record<string, unknown> | Entries {
  if (mutation.kind === 'unknown-member') return new Entries([...Object.entries(document), [mutation.name, mutation.value]]);
  let container: any = document;
  const { path } = mutation;
  for (const step of path.slice(0, -1)) {
    if (!isContainer(container)) return document;
    if (!isContainer(container[step])) container[step] = typeof step === 'number' ? [] : {};
    container = container[step];
  }
  if (!isContainer(container)) return document;
  const last = path[path.length - 1]!;
  if (mutation.kind === 'delete') {
    if (Array.isArray(container)) container.splice(Number(last), 1);
    else delete container[last];
  } else {
    container[last] = cloneLoose(mutation.value);
  }
  return document;
}

/** A real operation's document with one to three members wrong (or missing, or unknown ones added). */
export function operationDocumentArbitrary(protocol: BodyProtocol): fc.Arbitrary<OperationDocument> {
  return fc.constantFrom(...OPERATION_NAMES).chain((operation) => documentOf(operation, protocol));
}

const documentCache = new Map<string, fc.Arbitrary<OperationDocument>>();

function documentOf(operation: string, protocol: BodyProtocol): fc.Arbitrary<OperationDocument> {
  const key = `${protocol}:${operation}`;
  const cached = documentCache.get(key);
  if (cached !== undefined) return cached;
  const arbitrary = (() => {
    const input = kinesisOperations[operation as keyof typeof kinesisOperations].input;
    const shape = kinesisShapes[input];
    const members = shape?.type === 'structure' ? Object.values(shape.members).map((member) => member.wireName) : [];
    return fc
      .record({ keep: fc.subarray(members), mutations: fc.array(mutationArbitrary(operation, protocol), { minLength: 1, maxLength: 3 }) })
      .map(({ keep, mutations }) => {
        const full = plausibleValue(input, protocol) as Record<string, unknown>;
        let document: Record<string, unknown> | Entries = Object.fromEntries(Object.entries(full).filter(([name]) => keep.includes(name)));
        for (const mutation of mutations) {
          document = document instanceof Entries ? document : applyMutation(document, mutation);
        }
        const note = mutations.map((m) => (m.kind === 'unknown-member' ? `+${m.name}` : `${m.kind === 'delete' ? '-' : ''}${m.path.join('.')}`)).join(' ');
        return { operation, document, note };
      });
  })();
  documentCache.set(key, arbitrary);
  return arbitrary;
}
