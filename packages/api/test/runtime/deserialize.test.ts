import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CborTag } from '@riffle/wire';
import { SerializationException } from '../../src/runtime/serialization-exception.js';
import { kinesisOperations, type KinesisOperationName } from '../../src/generated/kinesis/operations.js';
import { kinesisModel, kinesisShapes } from '../../src/generated/kinesis/shapes.js';
import { findValidationErrors } from '../../src/runtime/validate.js';
import { readInput } from './request-document.js';

function serializationMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof SerializationException, `expected SerializationException, got ${String(error)}`);
    assert.equal(error.type, 'SerializationException');
    assert.equal(error.statusCode, 400);
    assert.equal(error.messageKey, 'Message');
    return error.message;
  }
  assert.fail('expected a SerializationException');
}

// Expected texts: kinesalite test/helpers.js assertType, which ran against live AWS.
const typeCases: Array<[string, KinesisOperationName, (value: unknown) => unknown, Array<[unknown, string]>]> = [
  [
    'String (CreateStream StreamName)',
    'CreateStream',
    (value) => ({ StreamName: value }),
    [
      [true, 'class java.lang.Boolean can not be converted to an String'],
      [23, 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String'],
      [-2147483648, 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String'],
      [34.56, 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String'],
      [[], 'Start of list found where not expected'],
      [{}, 'Start of structure or map found where not expected.'],
    ],
  ],
  [
    'Integer (CreateStream ShardCount)',
    'CreateStream',
    (value) => ({ ShardCount: value }),
    [
      ['23', 'class java.lang.String can not be converted to an Integer'],
      [true, 'class java.lang.Boolean can not be converted to an Integer'],
      [[], 'Start of list found where not expected'],
      [{}, 'Start of structure or map found where not expected.'],
    ],
  ],
  [
    'Long-free Boolean (PutRecords DryRun)',
    'PutRecords',
    (value) => ({ DryRun: value }),
    [
      ['23', "'23' can not be converted to an Boolean"],
      ['hello', "'HELLO' can not be converted to an Boolean"],
      [23, 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean'],
      [[], 'Start of list found where not expected'],
      [{}, 'Start of structure or map found where not expected.'],
    ],
  ],
  [
    'Blob (PutRecord Data)',
    'PutRecord',
    (value) => ({ Data: value }),
    [
      [true, 'class java.lang.Boolean can not be converted to a Blob'],
      [23, 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob'],
      [[], 'Start of list found where not expected'],
      [{}, 'Start of structure or map found where not expected.'],
      ['23456', "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5"],
      ['=+/=', "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='"],
      ['+/+=', "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"],
    ],
  ],
  [
    'List (PutRecords Records)',
    'PutRecords',
    (value) => ({ Records: value }),
    [
      ['23', 'Expected list or null'],
      [true, 'Expected list or null'],
      [2147483648, 'Expected list or null'],
      [{}, 'Start of structure or map found where not expected.'],
    ],
  ],
  [
    'Structure (PutRecords Records.0)',
    'PutRecords',
    (value) => ({ Records: [value] }),
    [
      ['23', 'Expected null'],
      [true, 'Expected null'],
      [34.56, 'Expected null'],
      [[], 'Start of list found where not expected'],
    ],
  ],
  [
    'Map (CreateStream Tags)',
    'CreateStream',
    (value) => ({ Tags: value }),
    [
      ['23', 'Expected map or null'],
      [23, 'Expected map or null'],
      [[], 'Start of list found where not expected'],
    ],
  ],
  [
    'Timestamp (GetShardIterator Timestamp)',
    'GetShardIterator',
    (value) => ({ Timestamp: value }),
    [
      ['2015-01-01', 'class java.lang.String can not be converted to milliseconds since epoch'],
      [true, 'class java.lang.Boolean can not be converted to milliseconds since epoch'],
      [[], 'Start of list found where not expected'],
      [{}, 'Start of structure or map found where not expected.'],
    ],
  ],
];

describe('deserialize: type mismatches', () => {
  for (const [title, operation, wrap, cases] of typeCases) {
    it(`answers AWS's SerializationException texts for ${title}`, () => {
      for (const [value, expected] of cases) {
        assert.equal(serializationMessage(() => readInput(operation, wrap(value))), expected, `value ${JSON.stringify(value)}`);
      }
    });
  }

  it('reports the first mismatch in AWS order (Records before StreamName for PutRecords)', () => {
    assert.equal(
      serializationMessage(() => readInput('PutRecords', { StreamName: 5, Records: 'x' })),
      'Expected list or null',
    );
  });
});

describe('deserialize: values', () => {
  it('decodes base64 blobs in JSON and keeps byte strings in CBOR', () => {
    const fromJson = readInput('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: 'aGVsbG8=' }) as { Data: Uint8Array };
    assert.ok(fromJson.Data instanceof Uint8Array);
    assert.equal(Buffer.from(fromJson.Data).toString(), 'hello');
    const bytes = new Uint8Array([1, 2, 3]);
    const fromCbor = readInput('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: bytes }, 'cbor') as { Data: Uint8Array };
    assert.deepEqual([...fromCbor.Data], [1, 2, 3]);
  });

  it('reads JSON timestamps as epoch seconds and CBOR ones as epoch milliseconds', () => {
    const json = readInput('GetShardIterator', { Timestamp: 1459799926.48 }) as { Timestamp: Date };
    assert.equal(json.Timestamp.getTime(), 1459799926480);
    const tagged = readInput('GetShardIterator', { Timestamp: new CborTag(1, 1787036486712) }, 'cbor') as { Timestamp: Date };
    assert.equal(tagged.Timestamp.getTime(), 1787036486712);
    const bigTagged = readInput('GetShardIterator', { Timestamp: new CborTag(1, 1787036486712n) }, 'cbor') as { Timestamp: Date };
    assert.equal(bigTagged.Timestamp.getTime(), 1787036486712);
    const plain = readInput('GetShardIterator', { Timestamp: 1787036486712 }, 'cbor') as { Timestamp: Date };
    assert.equal(plain.Timestamp.getTime(), 1787036486712);
    assert.equal(
      serializationMessage(() => readInput('GetShardIterator', { Timestamp: new CborTag(1, 'x') }, 'cbor')),
      'class java.lang.String can not be converted to milliseconds since epoch',
    );
  });

  it('truncates numbers towards integers and saturates at the Integer range (kinesalite checkTypes)', () => {
    assert.deepEqual(readInput('CreateStream', { ShardCount: 2.9 }), { ShardCount: 2 });
    assert.deepEqual(readInput('CreateStream', { ShardCount: 100000000000 }), { ShardCount: 2147483647 });
    assert.deepEqual(readInput('CreateStream', { ShardCount: 9007199254740993n }), { ShardCount: 2147483647 });
  });

  it('drops unknown members and nulls, and keeps map keys such as __proto__ as entries', () => {
    const input = readInput('CreateStream', JSON.parse('{"StreamName":"a","Bogus":1,"ShardCount":null,"Tags":{"__proto__":"x"}}')) as {
      Tags: Record<string, string>;
    };
    assert.deepEqual(Object.keys(input), ['StreamName', 'Tags']);
    assert.deepEqual(Object.keys(input.Tags), ['__proto__']);
    assert.equal(Object.getPrototypeOf(input.Tags), Object.prototype);
  });

  it('accepts the boolean strings AWS converts', () => {
    assert.deepEqual(readInput('PutRecords', { DryRun: 'true' }), { DryRun: true });
    assert.deepEqual(readInput('PutRecords', { DryRun: 'no' }), { DryRun: false });
  });
});

describe('deserialize: property', () => {
  const operationNames = Object.keys(kinesisOperations) as KinesisOperationName[];
  // What a CBOR body can hold besides JSON values: byte strings, tags, big integers, non-finite floats.
  const { value: cborValue } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 2 }),
      fc.uint8Array({ maxLength: 8 }),
      fc.bigInt(),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1e300, 1e300),
      tie('value').map((inner) => new CborTag(1, inner)),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 }),
    ),
  }));

  it('never throws anything but SerializationException, for any JSON or CBOR document of any operation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...operationNames), fc.oneof(fc.jsonValue(), cborValue), fc.boolean(), (operation, value, json) => {
        const inputShape = kinesisOperations[operation].input;
        const input = kinesisShapes[inputShape];
        const members = input?.type === 'structure' ? Object.keys(input.members) : [];
        // Put the arbitrary value both as the whole body and under each member, to reach every shape type.
        const documents: unknown[] = [value, Object.fromEntries(members.map((member) => [member, value]))];
        for (const document of documents) {
          let typed: unknown;
          try {
            typed = readInput(operation, document, json ? 'json' : 'cbor');
          } catch (error) {
            assert.ok(error instanceof SerializationException, String(error));
            continue;
          }
          // Whatever deserialize accepts, validation judges without throwing.
          assert.ok(Array.isArray(findValidationErrors(kinesisModel, inputShape, typed)));
        }
      }),
      { numRuns: 600 },
    );
  });
});
