import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { explicitHashKeyProblem, partitionKeyFor, partitionKeyProblem } from './partition-keys.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('partition keys', () => {
  it('a fixed key is used as it is', () => {
    assert.equal(partitionKeyFor({ kind: 'fixed', key: 'k1' }, Buffer.from('x')), 'k1');
  });

  it('a random key per record comes from the injected source', () => {
    let n = 0;
    const random = () => `r${n++}`;
    assert.equal(partitionKeyFor({ kind: 'random' }, Buffer.from('x'), random), 'r0');
    assert.equal(partitionKeyFor({ kind: 'random' }, Buffer.from('x'), random), 'r1');
  });

  it('a field key comes from the JSON record: strings, numbers, booleans, dotted paths', () => {
    const rule = (field: string) => ({ kind: 'field', field }) as const;
    assert.equal(partitionKeyFor(rule('componentName'), json({ componentName: 'engine', value: 1 })), 'engine');
    assert.equal(partitionKeyFor(rule('id'), json({ id: 42 })), '42');
    assert.equal(partitionKeyFor(rule('device.id'), json({ device: { id: 'd-7' } })), 'd-7');
    assert.equal(partitionKeyFor(rule('a.b'), json({ 'a.b': 'exact' })), 'exact');
  });

  it('a field key fails clearly for non-JSON, a missing field, an object, or an empty value', () => {
    const rule = { kind: 'field', field: 'k' } as const;
    assert.throws(() => partitionKeyFor(rule, Buffer.from('plain text')), /is not JSON/);
    assert.throws(() => partitionKeyFor(rule, json({ other: 1 })), /has no field "k"/);
    assert.throws(() => partitionKeyFor(rule, json({ k: { deep: 1 } })), /not a string or number/);
    assert.throws(() => partitionKeyFor(rule, json({ k: '' })), /empty/);
  });

  it('checks AWS\'s limits: key 1..256 characters, hash key 0..2^128-1', () => {
    assert.equal(partitionKeyProblem('x'.repeat(256)), undefined);
    assert.match(partitionKeyProblem('x'.repeat(257))!, /257 characters/);
    assert.equal(explicitHashKeyProblem('0'), undefined);
    assert.equal(explicitHashKeyProblem(((1n << 128n) - 1n).toString()), undefined);
    assert.match(explicitHashKeyProblem((1n << 128n).toString())!, /decimal number/);
    assert.match(explicitHashKeyProblem('-1')!, /decimal number/);
  });
});
