import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from './apply-json-patch.js';

describe('applyJsonPatch', () => {
  const document = { shapes: { A: { members: { x: 1 } } }, list: [1, 2] };

  it('adds, replaces, removes and appends without touching the input', () => {
    const patched = applyJsonPatch(document, [
      { op: 'add', path: '/shapes/A/members/y', value: 2, source: 's' },
      { op: 'replace', path: '/shapes/A/members/x', value: 3, source: 's' },
      { op: 'remove', path: '/list/0', source: 's' },
      { op: 'add', path: '/list/-', value: 9, source: 's' },
      { op: 'add', path: '/shapes/B~1C', value: {}, source: 's' },
    ]);
    assert.deepEqual(patched, { shapes: { A: { members: { x: 3, y: 2 } }, 'B/C': {} }, list: [2, 9] });
    assert.deepEqual(document, { shapes: { A: { members: { x: 1 } } }, list: [1, 2] });
  });

  it('refuses entries without a source, missing paths, and adds over existing members', () => {
    assert.throws(() => applyJsonPatch(document, [{ op: 'add', path: '/z', value: 1, source: '' }]), /no source/);
    assert.throws(() => applyJsonPatch(document, [{ op: 'replace', path: '/nope/x', value: 1, source: 's' }]), /not found/);
    assert.throws(() => applyJsonPatch(document, [{ op: 'add', path: '/shapes/A', value: 1, source: 's' }]), /existing/);
  });
});
