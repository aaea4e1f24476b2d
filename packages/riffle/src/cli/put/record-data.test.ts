import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordData } from './record-data.js';

describe('recordData', () => {
  it('keeps raw bytes as they are', () => {
    const bytes = Buffer.from([0, 0xff, 0x20]);
    assert.equal(recordData(bytes, 'raw'), bytes);
  });

  it('decodes base64, with or without padding, ignoring surrounding spaces', () => {
    assert.deepEqual(recordData(Buffer.from(' AP8g '), 'base64'), Buffer.from([0, 0xff, 0x20]));
    assert.deepEqual(recordData(Buffer.from('aGk='), 'base64'), Buffer.from('hi'));
    assert.deepEqual(recordData(Buffer.from('aGk'), 'base64'), Buffer.from('hi'));
  });

  it('refuses text that is not base64', () => {
    assert.throws(() => recordData(Buffer.from('not base64!'), 'base64'), /not valid base64/);
    assert.throws(() => recordData(Buffer.from('abcde'), 'base64'), /not valid base64/);
  });

  it('decodes hex in either case and refuses odd or foreign digits', () => {
    assert.deepEqual(recordData(Buffer.from('00fFa0'), 'hex'), Buffer.from([0, 0xff, 0xa0]));
    assert.throws(() => recordData(Buffer.from('abc'), 'hex'), /odd number of digits/);
    assert.throws(() => recordData(Buffer.from('zz'), 'hex'), /not valid hex/);
  });
});
