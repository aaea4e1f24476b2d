import { CliError } from '../cli-error.js';
import type { GeneratedRecord } from './generated-record.js';
import type { DataProfile } from './profiles/data-profile.js';
import { SeededRandom } from './seeded-random.js';
import type { RecordTemplate } from './template/record-template.js';

/** How records of a profile or template get their partition key: a field of the record, or a random number (KDG's way). */
export type PartitionKeyChoice = { readonly kind: 'random' } | { readonly kind: 'field'; readonly field: string };

export type RecordSource = (timestampMs: number) => GeneratedRecord;

/** Keys are drawn from their own sequence, so that choosing `random` keys does not change the records' data. */
const keyRandomOf = (seed: number) => new SeededRandom((seed ^ 0x9e37_79b9) >>> 0);
const randomKey = (random: SeededRandom) => String(random.integer(0, 9_999_999_999));

function fieldKey(fields: unknown, field: string, index: number, what: string): string {
  const value = typeof fields === 'object' && fields !== null && !Array.isArray(fields) ? (fields as Record<string, unknown>)[field] : undefined;
  if (value === undefined || value === null || value === '') throw new CliError(`--partition-key ${field}: record ${index} has no field "${field}"${what}`);
  const key = typeof value === 'string' ? value : JSON.stringify(value);
  // Kinesis takes partition keys of 1-256 characters.
  if (key.length > 256) throw new CliError(`--partition-key ${field}: record ${index}'s "${field}" is ${key.length} characters, over Kinesis' 256`);
  return key;
}

export function profileSource(profile: DataProfile, key: PartitionKeyChoice | undefined, seed: number): RecordSource {
  const keyRandom = keyRandomOf(seed);
  const choice = key ?? { kind: 'field', field: profile.defaultKeyField };
  let index = 0;
  return (timestampMs) => {
    index++;
    const record = profile.next(timestampMs);
    const partitionKey = choice.kind === 'random' ? randomKey(keyRandom) : fieldKey(record.fields, choice.field, index, ` (this profile's fields: ${Object.keys(record.fields).join(', ')})`);
    return { data: record.data, partitionKey };
  };
}

/**
 * Template records, each followed by a newline as KDG sends them; keyed at random (as KDG) unless a field is named, in
 * which case the record must be a JSON object with that field.
 */
export function templateSource(template: RecordTemplate, random: SeededRandom, key: PartitionKeyChoice | undefined, seed: number): RecordSource {
  const keyRandom = keyRandomOf(seed);
  let index = 0;
  return (timestampMs) => {
    index++;
    const text = template.render({ random, timestampMs });
    let partitionKey: string;
    if (key === undefined || key.kind === 'random') partitionKey = randomKey(keyRandom);
    else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new CliError(`--partition-key ${key.field}: record ${index} is not JSON, so it has no fields: ${text.slice(0, 200)}`);
      }
      partitionKey = fieldKey(parsed, key.field, index, '');
    }
    return { data: `${text}\n`, partitionKey };
  };
}
