import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { textTable } from './text-table.js';

describe('textTable', () => {
  it('aligns columns two spaces apart and leaves the last unpadded', () => {
    assert.deepEqual(textTable(['NAME', 'STATUS', 'N'], [['lab', 'ACTIVE', '1'], ['a-longer-name', 'CREATING', '20']]), ['NAME           STATUS    N', 'lab            ACTIVE    1', 'a-longer-name  CREATING  20']);
  });
});
