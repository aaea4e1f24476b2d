/**
 * mulberry32: a small seeded generator, so that a randomised test that fails can be run again the same way.
 * Returns a function giving a whole number in [0, n).
 */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** RIFFLE_TEST_SEED when set (to repeat a run), else a fresh seed. */
export function testSeed(): number {
  const fromEnv = process.env.RIFFLE_TEST_SEED;
  return fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
}
