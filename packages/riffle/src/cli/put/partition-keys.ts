import { randomUUID } from 'node:crypto';

/** Where each record's partition key comes from. */
export type PartitionKeyRule =
  | { readonly kind: 'fixed'; readonly key: string }
  | { readonly kind: 'field'; readonly field: string }
  | { readonly kind: 'random' };

/** AWS's PartitionKey is 1 to 256 characters. */
export const MAX_PARTITION_KEY_LENGTH = 256;

export function partitionKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'the partition key is empty';
  if (key.length > MAX_PARTITION_KEY_LENGTH) return `the partition key is ${key.length} characters, over the ${MAX_PARTITION_KEY_LENGTH} Kinesis allows`;
  return undefined;
}

/** A field of a JSON object: the exact key first, else a dotted path (`device.id`). */
function fieldOf(value: unknown, field: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Object.hasOwn(value, field)) return (value as Record<string, unknown>)[field];
  const dot = field.indexOf('.');
  if (dot <= 0) return undefined;
  return fieldOf((value as Record<string, unknown>)[field.slice(0, dot)], field.slice(dot + 1));
}

/**
 * The partition key of one record's data; throws an Error saying why a field-derived key cannot be had.
 * Random keys spread records evenly over the shards (what a user without a key in mind wants).
 */
export function partitionKeyFor(rule: PartitionKeyRule, data: Buffer, random: () => string = randomUUID): string {
  if (rule.kind === 'fixed') return rule.key;
  if (rule.kind === 'random') return random();
  let record: unknown;
  try {
    record = JSON.parse(data.toString('utf8'));
  } catch {
    throw new Error(`is not JSON, so it has no field ${JSON.stringify(rule.field)} for the partition key`);
  }
  const value = fieldOf(record, rule.field);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const key = String(value);
    const problem = partitionKeyProblem(key);
    if (problem) throw new Error(`field ${JSON.stringify(rule.field)}: ${problem}`);
    return key;
  }
  throw new Error(value === undefined || value === null ? `has no field ${JSON.stringify(rule.field)} for the partition key` : `field ${JSON.stringify(rule.field)} is not a string or number`);
}

const MAX_HASH_KEY = (1n << 128n) - 1n;

/** AWS's ExplicitHashKey: a decimal 0 … 2^128−1. */
export function explicitHashKeyProblem(key: string): string | undefined {
  if (!/^\d{1,39}$/.test(key) || BigInt(key) > MAX_HASH_KEY) return `--explicit-hash-key must be a decimal number from 0 to ${MAX_HASH_KEY}, not ${JSON.stringify(key)}`;
  return undefined;
}
