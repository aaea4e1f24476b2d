import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { appendLiteral, appendPattern, compileWildcard, compileWildcardUnits, matchUnits, wildcardUnits } from './wildcard-pattern.js';

describe('compileWildcard', () => {
  it('matches `*` as any run of characters and `?` as exactly one', () => {
    const pattern = compileWildcard('arn:aws:kinesis:*:123456789012:stream/a?c*');
    assert.equal(pattern.matches('arn:aws:kinesis:us-east-1:123456789012:stream/abc'), true);
    assert.equal(pattern.matches('arn:aws:kinesis:us-east-1:123456789012:stream/axcdef/more'), true);
    assert.equal(pattern.matches('arn:aws:kinesis:us-east-1:123456789012:stream/ac'), false, '? needs one character');
    assert.equal(pattern.matches('arn:aws:kinesis:us-east-1:999999999999:stream/abc'), false);
  });

  it('treats a pattern without wildcards as an exact, case-sensitive string', () => {
    const pattern = compileWildcard('arn:aws:kinesis:us-east-1:123456789012:stream/Orders');
    assert.equal(pattern.matches('arn:aws:kinesis:us-east-1:123456789012:stream/Orders'), true);
    assert.equal(pattern.matches('arn:aws:kinesis:us-east-1:123456789012:stream/orders'), false);
    assert.equal(pattern.matches('arn:aws:kinesis:us-east-1:123456789012:stream/Orders2'), false);
  });

  it('ignores case when asked (action names)', () => {
    assert.equal(compileWildcard('kinesis:Get*', { ignoreCase: true }).matches('KINESIS:getrecords'), true);
    assert.equal(compileWildcard('kinesis:PutRecord', { ignoreCase: true }).matches('Kinesis:putrecord'), true);
    assert.equal(compileWildcard('kinesis:PutRecord', { ignoreCase: true }).matches('kinesis:PutRecords'), false);
    assert.equal(compileWildcard('kinesis:Get*').matches('kinesis:getRecords'), false, 'case-sensitive by default');
  });

  it('matches everything with `*` and an empty value only with an empty or all-star pattern', () => {
    assert.equal(compileWildcard('*').matches(''), true);
    assert.equal(compileWildcard('**').matches(''), true);
    assert.equal(compileWildcard('').matches(''), true);
    assert.equal(compileWildcard('').matches('a'), false);
    assert.equal(compileWildcard('?').matches(''), false);
  });

  it('keeps literal units literal', () => {
    const units: number[] = [];
    appendPattern(units, 'stream/');
    appendLiteral(units, 'a*');
    assert.equal(matchUnits(units, 'stream/a*'), true);
    assert.equal(matchUnits(units, 'stream/abc'), false, 'the literal * is no wildcard');
    assert.equal(compileWildcardUnits(units, 'x').matches('stream/a*'), true);
  });

  it('agrees with a regular expression on arbitrary patterns and values', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?', ':', '/');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', ':', '/'), maxLength: 12 }), (pattern, value) => {
        const regex = new RegExp(`^${pattern.replace(/[/:]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
        assert.equal(compileWildcard(pattern).matches(value), regex.test(value));
        assert.equal(matchUnits(wildcardUnits(pattern), value), regex.test(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers patterns that make a backtracking regex explode (a linear rescan, not exponential)', () => {
    const pattern = compileWildcard('*a*a*a*a*a*a*a*a*a*a*b');
    assert.equal(pattern.matches('a'.repeat(2048)), false);
    assert.equal(pattern.matches(`${'a'.repeat(2048)}b`), true);
  });
});
