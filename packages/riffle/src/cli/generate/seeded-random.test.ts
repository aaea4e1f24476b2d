import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SEED, SeededRandom, randomSeed } from './seeded-random.js';

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 20 }, ((r) => () => r.next())(new SeededRandom(seed)));
    assert.deepEqual(draw(42), draw(42));
    assert.notDeepEqual(draw(42), draw(43));
    assert.ok(draw(MAX_SEED).every((x) => x >= 0 && x < 1));
  });

  it('draws integers over the whole closed range and uuids of version 4', () => {
    const random = new SeededRandom(9);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(random.integer(3, 7));
    assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
    assert.match(random.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const seed = randomSeed();
    assert.ok(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED);
  });
});
