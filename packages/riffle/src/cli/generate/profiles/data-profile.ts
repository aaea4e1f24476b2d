import type { SeededRandom } from '../seeded-random.js';

/** One record of a profile: its fields (for --partition-key FIELD) and its data as sent. */
export interface ProfileRecord {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly data: string;
}

/** A built-in record source: stateful (random walks, sessions), driven only by its seeded random and the time it is given. */
export interface DataProfile {
  /** The field whose value is the partition key unless --partition-key says otherwise. */
  readonly defaultKeyField: string;
  next(timestampMs: number): ProfileRecord;
}

export interface DataProfileKind {
  readonly summary: string;
  readonly create: (random: SeededRandom) => DataProfile;
}

/** A JSON record: data is the fields in their order. */
export const jsonRecord = (fields: Record<string, unknown>): ProfileRecord => ({ fields, data: JSON.stringify(fields) });

/** Rounds to `decimals` places, as sensors and agents report. */
export const rounded = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** One step of a bounded random walk: moves by up to ±step and reflects off the bounds, so values wander but stay realistic. */
export function walk(random: SeededRandom, value: number, step: number, min: number, max: number): number {
  let next = value + random.float(-step, step);
  if (next > max) next = 2 * max - next;
  if (next < min) next = 2 * min - next;
  return Math.min(max, Math.max(min, next));
}
