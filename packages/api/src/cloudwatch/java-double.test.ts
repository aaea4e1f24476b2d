import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { javaDouble } from './java-double.js';

describe('javaDouble', () => {
  it("writes doubles as Java's Double.toString does", () => {
    assert.equal(javaDouble(10), '10.0');
    assert.equal(javaDouble(2.5), '2.5');
    assert.equal(javaDouble(-3), '-3.0');
    assert.equal(javaDouble(0), '0.0');
    assert.equal(javaDouble(0.001), '0.001');
    assert.equal(javaDouble(0.0001), '1.0E-4');
    assert.equal(javaDouble(1234567), '1234567.0');
    assert.equal(javaDouble(10_000_000), '1.0E7');
    assert.equal(javaDouble(12_345_678.9), '1.23456789E7');
    assert.equal(javaDouble(Number.NaN), 'NaN');
    assert.equal(javaDouble(Number.POSITIVE_INFINITY), 'Infinity');
  });
});
