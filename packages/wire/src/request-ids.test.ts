import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newExtendedRequestId, newRequestId } from './request-ids.js';

describe('request ids', () => {
  it('are UUID v4 request ids and 72-byte base64 extended ids, never repeated', () => {
    const seen = new Set<string>();
    // More than one pool's worth, so the refill path runs too.
    for (let i = 0; i < 2000; i++) {
      const id = newExtendedRequestId();
      assert.equal(Buffer.from(id, 'base64').length, 72);
      assert.ok(!seen.has(id));
      seen.add(id);
    }
    assert.match(newRequestId(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
