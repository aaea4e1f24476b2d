import fc from 'fast-check';
import { cborHead, encodeLooseCbor, encodeLooseJson, Entries, Indefinite, raw, Tagged } from './loose-encoders.js';
import { OPERATION_NAMES, operationDocumentArbitrary, type BodyProtocol } from './operation-documents.js';

/** A request body, the encoding it was written in, and the operation it was written for (if any). */
export interface BodyCase {
  readonly bytes: Buffer;
  readonly encoding: BodyProtocol | 'other';
  /** The operation whose input this body mimics; the request's X-Amz-Target usually names it. */
  readonly operation: string;
  readonly note: string;
}

const someOperation = fc.constantFrom(...OPERATION_NAMES);

function documentBody(protocol: BodyProtocol): fc.Arbitrary<BodyCase> {
  return operationDocumentArbitrary(protocol).map(({ operation, document, note }) => ({
    bytes: protocol === 'json' ? encodeLooseJson(document) : encodeLooseCbor(document),
    encoding: protocol,
    operation,
    note: `document ${note}`,
  }));
}

/** A document cut at a random byte. */
function truncated(protocol: BodyProtocol): fc.Arbitrary<BodyCase> {
  return fc.tuple(documentBody(protocol), fc.double({ min: 0, max: 1, noNaN: true })).map(([body, at]) => {
    const cut = Math.max(1, Math.floor(body.bytes.length * at));
    return { ...body, bytes: body.bytes.subarray(0, Math.min(cut, body.bytes.length - 1) || 1), note: `truncated ${body.note}` };
  });
}

function deeplyNestedJson(): fc.Arbitrary<BodyCase> {
  return fc
    .tuple(someOperation, fc.integer({ min: 60, max: 70 }), fc.constantFrom('[', '{"a":'), fc.boolean())
    .map(([operation, depth, open, closed]) => {
      const close = open === '[' ? ']' : '}';
      const text = `{"StreamName":${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}}`;
      return { bytes: Buffer.from(text), encoding: 'json', operation, note: `nested ${open} x${depth}${closed ? '' : ' unclosed'}` };
    });
}

const JSON_GARBAGE = [
  '', ' ', '\n\t', '[]', '"x"', '1', 'null', 'true', '[{"StreamName":"fuzz-target"}]', '{', '}', '{"StreamName"}', '{"StreamName":}',
  "{'StreamName':'fuzz-target'}", '{"StreamName":"fuzz-target",}', '{"StreamName":"fuzz-target"} {}', '{"a":1}//', '/*x*/{}',
  '{"StreamName":NaN}', '{"Limit":Infinity}', '{"StreamName":"\\x41"}', '{"StreamName":"\\u00"}', '{"StreamName":"\\ud800"}',
  '{"StreamName":"a\u0000b"}', '{"__proto__":{"StreamName":"fuzz-target"}}', '{"constructor":{"prototype":{"x":1}}}',
  '{"StreamName":"fuzz-target","StreamName":5}', '{"Records":[{"Data":"AAEC","PartitionKey":"k"}],"Records":{}}', '{}{}',
];

function jsonGarbage(): fc.Arbitrary<BodyCase> {
  return fc.oneof(
    fc.tuple(someOperation, fc.constantFrom(...JSON_GARBAGE)).map(([operation, text]) => ({ bytes: Buffer.from(text, 'utf8'), encoding: 'json' as const, operation, note: 'json garbage' })),
    // A byte-order mark, UTF-16 and invalid UTF-8 around a valid document.
    fc.tuple(someOperation, fc.constantFrom('bom', 'utf16', 'invalid-utf8-key', 'invalid-utf8-top')).map(([operation, kind]) => {
      const text = '{"StreamName":"fuzz-target"}';
      const bytes =
        kind === 'bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
        : kind === 'utf16' ? Buffer.from(text, 'utf16le')
        : kind === 'invalid-utf8-key' ? Buffer.concat([Buffer.from('{"Stream'), Buffer.from([0xff, 0xc0]), Buffer.from('Name":"x"}')])
        : Buffer.concat([Buffer.from([0xfe]), Buffer.from(text)]);
      return { bytes, encoding: 'json' as const, operation, note: `json ${kind}` };
    }),
    fc.tuple(someOperation, fc.jsonValue({ maxDepth: 4 })).map(([operation, value]) => ({ bytes: Buffer.from(JSON.stringify(value) ?? 'null'), encoding: 'json' as const, operation, note: 'random json' })),
  );
}

/** CBOR items no decoder should accept, or only just: bad heads, lengths beyond the input, missing breaks. */
const CBOR_GARBAGE: readonly Buffer[] = [
  [0xff], [0x1c], [0x1d], [0x1e], [0x1f], [0x3f], [0xdf, 0x00], [0xf8, 0x10], [0xfc], [0xfd], [0xfe],
  [0xa1], [0xa1, 0x61, 0x41], [0xbf], [0xbf, 0x61, 0x41, 0x01], [0xbf, 0xff, 0xff], [0x9f, 0x9f, 0x9f],
  [0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x7b, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0x7a, 0xff, 0xff, 0xff, 0xff, 0x41], [0x9b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00],
  [0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xba, 0x7f, 0xff, 0xff, 0xff], [0x9a, 0xff, 0xff, 0xff, 0xff],
  [0xa1, 0x7f, 0x61, 0x41, 0x41, 0xff, 0x01], [0xa1, 0x7f, 0x41, 0x41, 0xff, 0x01], [0xa1, 0x7f, 0x7f, 0xff, 0xff, 0x01],
  [0xa1, 0x5f, 0x41, 0x41, 0xff, 0x01], [0xa1, 0x80, 0x01], [0xa1, 0xa0, 0x01], [0xa1, 0xf6, 0x01], [0xa1, 0xfb, 0, 0, 0, 0, 0, 0, 0, 0, 0x01],
  [0xa2, 0x61, 0x41, 0x01, 0x61, 0x41, 0x02], [0xa0, 0x00], [0xa0, 0xa0], [0xc1, 0xa0], [0xd9, 0xd9, 0xf7, 0xa0],
  [0xdb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xa0], [0xc2, 0x41, 0x01], [0xf9, 0x7e, 0x00], [0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x80], [0x60], [0x40], [0xf6], [0xf7], [0xf4],
  [0xa1, 0x6a, 0x53, 0x74, 0x72, 0x65, 0x61, 0x6d, 0x4e, 0x61, 0x6d, 0x65, 0x7f, 0x61, 0x41, 0x62, 0xc3], // text chunk with invalid UTF-8, no break
].map((bytes) => Buffer.from(bytes));

/** `{"A": <depth nested items>}`: arrays, maps, tags or indefinite arrays. */
function nestedCbor(head: number, depth: number, finished: boolean): Buffer {
  const open = Buffer.from(head === 0xa1 ? [0xa1, 0x61, 0x41] : [head]);
  const close = head === 0x9f && finished ? Buffer.alloc(depth, 0xff) : Buffer.alloc(0);
  return Buffer.concat([Buffer.from([0xa1, 0x61, 0x41]), Buffer.alloc(depth * open.length, open), Buffer.from(finished ? [0x01] : []), close]);
}

/** Large bodies, built once: a record one byte past 1 MiB, 501 records, nesting far past any limit. */
let bigBodies: BodyCase[] | undefined;
function bigBody(): fc.Arbitrary<BodyCase> {
  return fc.nat().map((index) => {
    bigBodies ??= [
      { operation: 'PutRecord', encoding: 'json', note: 'Data of 1 MiB + 1', bytes: encodeLooseJson({ StreamName: 'fuzz-target', PartitionKey: 'k', Data: Buffer.alloc(1_048_577, 7).toString('base64') }) },
      { operation: 'PutRecord', encoding: 'cbor', note: 'Data of 1 MiB + 1', bytes: encodeLooseCbor({ StreamName: 'fuzz-target', PartitionKey: 'k', Data: new Uint8Array(1_048_577) }) },
      { operation: 'PutRecords', encoding: 'json', note: '501 records', bytes: encodeLooseJson({ StreamName: 'fuzz-target', Records: Array.from({ length: 501 }, () => ({ PartitionKey: 'k', Data: 'AAEC' })) }) },
      { operation: 'PutRecords', encoding: 'cbor', note: '6 MiB of records', bytes: encodeLooseCbor({ StreamName: 'fuzz-target', Records: Array.from({ length: 6 }, () => ({ PartitionKey: 'k', Data: new Uint8Array(1_048_576) })) }) },
      { operation: 'DescribeStream', encoding: 'json', note: 'nested [ x100000', bytes: Buffer.from(`{"StreamName":${'['.repeat(100_000)}1${']'.repeat(100_000)}}`) },
      { operation: 'DescribeStream', encoding: 'json', note: 'nested {"a": x1000 unclosed', bytes: Buffer.from(`{"StreamName":${'{"a":'.repeat(1000)}1`) },
      { operation: 'DescribeStream', encoding: 'cbor', note: 'nested tags x200000', bytes: nestedCbor(0xc6, 200_000, true) },
      { operation: 'DescribeStream', encoding: 'cbor', note: 'nested indefinite arrays x10000', bytes: nestedCbor(0x9f, 10_000, false) },
      { operation: 'ListStreams', encoding: 'json', note: '{} x100000', bytes: Buffer.from('{}'.repeat(100_000)) },
    ];
    return bigBodies[index % bigBodies.length]!;
  });
}

function cborGarbage(): fc.Arbitrary<BodyCase> {
  const item = (bytes: Buffer, note: string) => (operation: string): BodyCase => ({ bytes, encoding: 'cbor', operation, note });
  return fc.oneof(
    fc.tuple(someOperation, fc.constantFrom(...CBOR_GARBAGE)).map(([operation, bytes]) => item(bytes, 'cbor garbage')(operation)),
    // Deep nesting: arrays, maps, tags, indefinite arrays, past the 64 the decoder allows and just under it.
    fc.tuple(someOperation, fc.constantFrom(0x81, 0xa1, 0xc6, 0x9f), fc.integer({ min: 60, max: 70 }), fc.boolean()).map(
      ([operation, head, depth, finished]) => item(nestedCbor(head, depth, finished), `cbor nested 0x${head.toString(16)} x${depth}`)(operation),
    ),
    // A valid map followed by trailing bytes, or two items.
    fc.tuple(documentBody('cbor'), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([body, tail]) => ({ ...body, bytes: Buffer.concat([body.bytes, Buffer.from(tail)]), note: `trailing ${body.note}` })),
    // Root of the wrong major type wrapping a valid document.
    fc.tuple(documentBody('cbor'), fc.constantFrom('array', 'tag', 'bytes', 'indefinite-map')).map(([body, kind]) => {
      const bytes =
        kind === 'array' ? Buffer.concat([cborHead(4, 1), body.bytes])
        : kind === 'tag' ? Buffer.concat([cborHead(6, 1), body.bytes])
        : kind === 'bytes' ? Buffer.concat([cborHead(2, body.bytes.length), body.bytes])
        : encodeLooseCbor(new Indefinite({ StreamName: 'fuzz-target', Limit: new Indefinite([1]) }, kind !== 'indefinite-map'));
      return { ...body, bytes, note: `${kind} root ${body.note}` };
    }),
    fc.tuple(someOperation, fc.constantFrom<unknown>(
      new Entries([[1, 'fuzz-target']]),
      new Entries([[new Uint8Array([0x41]), 1]]),
      new Entries([[null, 1]]),
      new Entries([['StreamName', 'fuzz-target'], ['StreamName', 'fuzz-target']]),
      new Entries([['__proto__', { StreamName: 'fuzz-target' }]]),
      new Tagged(55799, { StreamName: 'fuzz-target' }),
      new Tagged(2n ** 64n - 1n, { StreamName: 'fuzz-target' }),
      { StreamName: raw([0x7f, 0x61, 0x41, 0x41, 0x42, 0xff]) },
      { StreamName: raw([0x7f, 0x61, 0x41, 0x5f, 0xff, 0xff]) },
    )).map(([operation, document]) => item(encodeLooseCbor(document), 'cbor odd map')(operation)),
  );
}

const OTHER_BODIES = ['Action=ListStreams&Version=2013-12-02', '<ListStreams/>', 'hello', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', '\u0000\u0000\u0000\u0000'];

let bodies: fc.Arbitrary<BodyCase> | undefined;

/** Every kind of body the fuzz sends, each tagged with the encoding it pretends to be (built once: it is costly). */
export function bodyArbitrary(): fc.Arbitrary<BodyCase> {
  return (bodies ??= fc.oneof(
    { weight: 520, arbitrary: documentBody('json') },
    { weight: 400, arbitrary: documentBody('cbor') },
    { weight: 120, arbitrary: truncated('json') },
    { weight: 120, arbitrary: truncated('cbor') },
    { weight: 80, arbitrary: deeplyNestedJson() },
    { weight: 160, arbitrary: jsonGarbage() },
    { weight: 240, arbitrary: cborGarbage() },
    { weight: 60, arbitrary: fc.tuple(someOperation, fc.uint8Array({ maxLength: 256 })).map(([operation, bytes]) => ({ bytes: Buffer.from(bytes), encoding: 'other' as const, operation, note: 'random bytes' })) },
    { weight: 40, arbitrary: fc.tuple(someOperation, fc.constantFrom(...OTHER_BODIES)).map(([operation, text]) => ({ bytes: Buffer.from(text, 'latin1'), encoding: 'other' as const, operation, note: 'not json or cbor' })) },
    { weight: 60, arbitrary: someOperation.map((operation) => ({ bytes: Buffer.alloc(0), encoding: 'other' as const, operation, note: 'empty body' })) },
    { weight: 1, arbitrary: bigBody() },
  ));
}
