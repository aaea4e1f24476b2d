import { randomInt } from 'node:crypto';

/** The largest seed: seeds are unsigned 32-bit integers, the state of mulberry32. */
export const MAX_SEED = 0xffff_ffff;

/** A fresh seed for a run that names none; printed in the summary so that the run can be repeated. */
export const randomSeed = (): number => randomInt(0, MAX_SEED + 1);

/**
 * A small seeded PRNG (mulberry32): the same seed gives the same sequence on every machine, which is all a test-data
 * generator needs (not cryptographic).
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max]. */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** A lower-case hexadecimal string of `digits` digits. */
  hex(digits: number): string {
    let text = '';
    for (let i = 0; i < digits; i++) text += Math.floor(this.next() * 16).toString(16);
    return text;
  }

  /** An RFC 4122 version 4 UUID drawn from this sequence (so seeded runs repeat their ids). */
  uuid(): string {
    const variant = (8 + Math.floor(this.next() * 4)).toString(16);
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }

  /** A child sequence: derived state for one entity (a host, a device) that does not shift the others' draws. */
  fork(): SeededRandom {
    return new SeededRandom(Math.floor(this.next() * (MAX_SEED + 1)));
  }
}
