import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBodyDecodeError } from './body-decode-error.js';
import { decodeJson, encodeJson } from './json-codec.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('decodeJson', () => {
  it('decodes an object root', () => {
    assert.deepEqual(decodeJson(bytes('{"StreamName":"s","Limit":5,"Nested":{"a":[1,"]"]}}')), {
      StreamName: 's',
      Limit: 5,
      Nested: { a: [1, ']'] },
    });
  });

  for (const body of ['[]', '"text"', '12', 'null', 'true', 'hello', '{"a":', '']) {
    it(`rejects ${JSON.stringify(body)} with a BodyDecodeError`, () => {
      assert.throws(() => decodeJson(bytes(body)), isBodyDecodeError);
    });
  }

  it('rejects nesting deeper than the limit without overflowing the stack', () => {
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    assert.throws(() => decodeJson(bytes(deep)), isBodyDecodeError);
    const ok = '{"a":'.repeat(64) + '1' + '}'.repeat(64);
    assert.equal(typeof decodeJson(bytes(ok)), 'object');
    assert.throws(() => decodeJson(bytes('{"a":'.repeat(65) + '1' + '}'.repeat(65))), isBodyDecodeError);
  });

  it('does not count brackets inside strings, including after escaped quotes', () => {
    const text = JSON.stringify({ a: '[[[[{{{{\\"[[[' + '['.repeat(200), b: 'x\\' });
    assert.deepEqual(decodeJson(bytes(text)), JSON.parse(text));
  });

  it('decodes from a Uint8Array view at an offset', () => {
    const backing = Buffer.from('xx{"a":1}yy');
    assert.deepEqual(decodeJson(backing.subarray(2, 9)), { a: 1 });
  });

  it('keeps __proto__ as an ordinary member', () => {
    const decoded = decodeJson(bytes('{"__proto__":{"polluted":true}}'));
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('encodeJson', () => {
  it('encodes to UTF-8 JSON', () => {
    assert.equal(encodeJson({ a: 'é', b: [1] }).toString('utf8'), '{"a":"é","b":[1]}');
  });
});
