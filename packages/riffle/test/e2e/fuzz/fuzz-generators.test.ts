import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import cbor from 'cbor';
import { kinesisOperations, kinesisShapes } from '@riffle/api';
import { encodeLooseCbor, encodeLooseJson, Entries, Indefinite, raw, Tagged } from './loose-encoders.js';
import { operationDocumentArbitrary, OPERATION_NAMES } from './operation-documents.js';
import { chunkedBody } from './malformed-http1.js';

describe('fuzz generators', () => {
  it('write what they are asked to, however broken', () => {
    assert.equal(encodeLooseJson({ a: raw('1e400'), b: new Tagged(1, [1, new Indefinite([2])]) }).toString(), '{"a":1e400,"b":[1,[2]]}');
    assert.equal(encodeLooseJson(new Entries([['k', 1], ['k', 2]])).toString(), '{"k":1,"k":2}');
    assert.equal(encodeLooseCbor(new Indefinite({ a: 1 }, false)).toString('hex'), 'bf616101');
    assert.equal(encodeLooseCbor(new Tagged(1, 5)).toString('hex'), 'c105');
    assert.equal(encodeLooseCbor(new Entries([[1, 'x'], [1, 'y']])).toString('hex'), 'a2016178016179');
    assert.deepEqual(cbor.decodeFirstSync(encodeLooseCbor({ Data: new Uint8Array([1, 2]), n: -1, s: 'é' })), { Data: Buffer.from([1, 2]), n: -1, s: 'é' });
    assert.equal(encodeLooseCbor(2n ** 64n - 1n).toString('hex'), '1bffffffffffffffff');
    assert.equal(chunkedBody(Buffer.from('abcdef'), [4]).toString(), '4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n');
  });

  it('give a wrong value to every member of every operation (top level) within 20,000 documents', () => {
    const changed = new Set<string>();
    for (const protocol of ['json', 'cbor'] as const) {
      for (const { operation, note } of fc.sample(operationDocumentArbitrary(protocol), { seed: 42, numRuns: 10_000 })) {
        for (const part of note.split(' ')) if (!part.startsWith('-') && !part.startsWith('+')) changed.add(`${operation}.${part.split('.')[0]}`);
      }
    }
    const missing: string[] = [];
    for (const operation of OPERATION_NAMES) {
      const input = kinesisShapes[kinesisOperations[operation as keyof typeof kinesisOperations].input];
      if (input?.type !== 'structure') continue;
      for (const member of Object.values(input.members)) if (!changed.has(`${operation}.${member.wireName}`)) missing.push(`${operation}.${member.wireName}`);
    }
    assert.deepEqual(missing, []);
  });
});
