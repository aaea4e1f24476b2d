import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CborTag } from '../cbor-tag.js';
import { isBodyDecodeError } from './body-decode-error.js';
import { decodeCbor, encodeCbor } from './cbor-codec.js';
import { CborSimpleValue } from './cbor-simple-value.js';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');

describe('decodeCbor (RFC 8949 appendix A vectors)', () => {
  const vectors: Array<[string, unknown]> = [
    ['00', 0],
    ['17', 23],
    ['1818', 24],
    ['1903e8', 1000],
    ['1a000f4240', 1000000],
    ['1b000000e8d4a51000', 1000000000000],
    ['1bffffffffffffffff', 18446744073709551615n],
    ['3bffffffffffffffff', -18446744073709551616n],
    ['20', -1],
    ['3863', -100],
    ['f90000', 0],
    ['f93c00', 1],
    ['f97bff', 65504],
    ['f90001', 5.960464477539063e-8],
    ['f9c400', -4],
    ['f97c00', Infinity],
    ['fa47c35000', 100000],
    ['fb3ff199999999999a', 1.1],
    ['f4', false],
    ['f5', true],
    ['f6', null],
    ['f7', undefined],
    ['6161', 'a'],
    ['62c3bc', '\u00fc'],
    ['7f657374726561646d696e67ff', 'streaming'],
    ['83010203', [1, 2, 3]],
    ['9f018202039f0405ffff', [1, [2, 3], [4, 5]]],
    ['a201020304', { '1': 2, '3': 4 }],
    ['bf61610161629f0203ffff', { a: 1, b: [2, 3] }],
  ];
  for (const [input, expected] of vectors) {
    it(`decodes ${input}`, () => assert.deepEqual(decodeCbor(hex(input)), expected));
  }

  it('decodes NaN', () => assert.ok(Number.isNaN(decodeCbor(hex('f97e00')))));

  it('decodes byte strings (definite and indefinite) as Uint8Array', () => {
    assert.deepEqual([...(decodeCbor(hex('4401020304')) as Uint8Array)], [1, 2, 3, 4]);
    assert.deepEqual([...(decodeCbor(hex('5f42010243030405ff')) as Uint8Array)], [1, 2, 3, 4, 5]);
  });

  it('keeps tag 1 with integer epoch milliseconds uninterpreted (AWS Java SDK timestamps)', () => {
    // floci-io/floci#2368: c1 1b 000001a013accc38 = tag 1, 1787036486712 ms
    const decoded = decodeCbor(hex('c11b000001a013accc38'));
    assert.deepEqual(decoded, new CborTag(1, 1787036486712));
  });

  it('decodes other tags and simple values', () => {
    assert.deepEqual(decodeCbor(hex('d82076687474703a2f2f7777772e6578616d706c652e636f6d')), new CborTag(32, 'http://www.example.com'));
    assert.deepEqual(decodeCbor(hex('f0')), new CborSimpleValue(16));
    assert.deepEqual(decodeCbor(hex('f8ff')), new CborSimpleValue(255));
  });

  const malformed: Array<[string, string]> = [
    ['empty input', ''],
    ['truncated uint', '19 03'],
    ['string length beyond input', '7a ffffffff 61'],
    ['array count beyond input', '9b 00000000ffffffff 01'],
    ['map count beyond input', 'ba 7fffffff'],
    ['byte string length of 2^64-1', '5b ffffffffffffffff'],
    ['unterminated indefinite array', '9f 01 02'],
    ['unterminated indefinite string', '7f 61 61'],
    ['wrong chunk type in indefinite string', '7f 41 61 ff'],
    ['nested indefinite chunk', '5f 5f ff ff'],
    ['reserved additional info', '1c'],
    ['indefinite integer', '1f'],
    ['lone break', 'ff'],
    ['trailing bytes', '01 02'],
    ['array map key', 'a1 80 01'],
    ['two-byte simple value below 32', 'f8 10'],
  ];
  for (const [name, input] of malformed) {
    it(`rejects ${name}`, () => assert.throws(() => decodeCbor(hex(input)), isBodyDecodeError));
  }

  it('rejects nesting beyond the depth limit without overflowing the stack', () => {
    assert.throws(() => decodeCbor(Buffer.alloc(100_000, 0x81)), isBodyDecodeError);
    assert.throws(() => decodeCbor(Buffer.alloc(100_000, 0xc1)), isBodyDecodeError);
    const ok = Buffer.concat([Buffer.alloc(63, 0x81), hex('01')]);
    assert.ok(Array.isArray(decodeCbor(ok)));
  });

  it('keeps __proto__ as an ordinary member', () => {
    const decoded = decodeCbor(encodeCbor({ ['__proto__']: { polluted: true } })) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.deepEqual(Object.keys(decoded), ['__proto__']);
  });
});

describe('encodeCbor', () => {
  const vectors: Array<[unknown, string]> = [
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [1000, '1903e8'],
    [1000000, '1a000f4240'],
    [1000000000000, '1b000000e8d4a51000'],
    [18446744073709551615n, '1bffffffffffffffff'],
    [-18446744073709551616n, '3bffffffffffffffff'],
    [5n, '05'],
    [-1, '20'],
    [-1000, '3903e7'],
    [1.1, 'fb3ff199999999999a'],
    [-0, 'fb8000000000000000'],
    [false, 'f4'],
    [true, 'f5'],
    [null, 'f6'],
    ['', '60'],
    ['IETF', '6449455446'],
    [[1, [2, 3]], '8201820203'],
    [{ a: 1, b: undefined, c: [2] }, 'a26161016163 8102'],
    [Buffer.from([1, 2]), '420102'],
    [new CborTag(1, 1787036486712), 'c11b000001a013accc38'],
  ];
  for (const [input, expected] of vectors) {
    it(`encodes ${String(input)} as ${expected}`, () => {
      assert.equal(encodeCbor(input).toString('hex'), expected.replace(/\s/g, ''));
    });
  }

  it('grows its buffer for large documents', () => {
    const data = Buffer.alloc(100_000, 7);
    const decoded = decodeCbor(encodeCbor({ Records: [{ Data: data, PartitionKey: 'k'.repeat(300) }] })) as {
      Records: Array<{ Data: Uint8Array; PartitionKey: string }>;
    };
    assert.ok(Buffer.from(decoded.Records[0]!.Data).equals(data));
    assert.equal(decoded.Records[0]!.PartitionKey.length, 300);
  });

  it('refuses bigints beyond 64 bits', () => {
    assert.throws(() => encodeCbor(2n ** 64n), TypeError);
  });
});

describe('CBOR properties', () => {
  const document = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.integer(),
      fc.maxSafeInteger(),
      fc.double({ noNaN: true }).filter((value) => !Number.isInteger(value)),
      fc.boolean(),
      fc.constant(null),
      fc.uint8Array().map((array) => new Uint8Array(array)),
      fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(fc.string().filter((key) => key !== '__proto__'), tie('value'), { maxKeys: 5 }),
      tie('value').map((value) => new CborTag(1, value)),
    ),
  })).value;

  it('round-trips documents', () => {
    fc.assert(
      fc.property(document, (value) => {
        assert.deepEqual(normalise(decodeCbor(encodeCbor(value))), normalise(value));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws anything but BodyDecodeError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeCbor(bytes);
        } catch (error) {
          assert.ok(isBodyDecodeError(error), String(error));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws anything but BodyDecodeError on mutated valid documents', () => {
    fc.assert(
      fc.property(document, fc.nat(), fc.integer({ min: 0, max: 255 }), (value, index, byte) => {
        const bytes = Buffer.from(encodeCbor(value));
        bytes[index % bytes.length] = byte;
        try {
          decodeCbor(bytes.subarray(0, bytes.length - (index % 3)));
        } catch (error) {
          assert.ok(isBodyDecodeError(error), String(error));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

/** Byte strings decode as Buffer views; compare them as plain byte arrays. */
function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: [...value] };
  if (Array.isArray(value)) return value.map(normalise);
  if (value instanceof CborTag) return new CborTag(value.tag, normalise(value.value));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, normalise(member)]));
  }
  return value;
}
