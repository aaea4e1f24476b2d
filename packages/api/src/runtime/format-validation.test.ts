import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatValidationError, formatValidationMessage, validationPathSegment } from './format-validation.js';

describe('format-validation', () => {
  it('uses the singular for one error and joins several with "; "', () => {
    assert.equal(formatValidationMessage(['x']), '1 validation error detected: x');
    assert.equal(formatValidationMessage(['x', 'y']), '2 validation errors detected: x; y');
  });

  it('quotes values but not null', () => {
    assert.equal(formatValidationError('0', 'shardCount', 'c'), "Value '0' at 'shardCount' failed to satisfy constraint: c");
    assert.equal(formatValidationError(null, 'streamName', 'c'), "Value null at 'streamName' failed to satisfy constraint: c");
  });

  it('lowers only the first letter of a member name', () => {
    assert.equal(validationPathSegment('StreamARN'), 'streamARN');
    assert.equal(validationPathSegment('Records'), 'records');
  });
});
