import type { RecordToAppend, StreamRecord } from '@riffle/storage';

/**
 * The time the tests' records arrive from, and the `now` they give the store: segments roll by age against
 * `now`, so records stamped long before the real clock would start a segment each.
 */
export const T0 = 1_700_000_000_000;
export const atT0 = (): number => T0;

/** A record whose every field depends on n, so a record read back can be checked against what was written. */
export function testRecord(n: number, options: { dataBytes?: number; arrivalTime?: number } = {}): RecordToAppend {
  const data = Buffer.alloc(options.dataBytes ?? 64);
  for (let i = 0; i < data.length; i++) data[i] = (n * 31 + i) % 251;
  const record: { -readonly [K in keyof RecordToAppend]: RecordToAppend[K] } = {
    arrivalTime: options.arrivalTime ?? T0 + n * 10,
    partitionKey: `pk-${n}`,
    data: new Uint8Array(data),
  };
  if (n % 3 === 0) record.explicitHashKey = String(BigInt(n) * 12345678901234567890n);
  return record;
}

/** Plain fields of a record read back, for deepEqual against what was appended. */
export function plain(record: RecordToAppend & { offset?: number }): Record<string, unknown> {
  const out: Record<string, unknown> = {
    arrivalTime: record.arrivalTime,
    partitionKey: record.partitionKey,
    data: Buffer.from(record.data).toString('hex'),
  };
  if (record.explicitHashKey !== undefined) out.explicitHashKey = record.explicitHashKey;
  if (record.offset !== undefined) out.offset = record.offset;
  return out;
}

/** A stream record of `shards` equal hash ranges, with bigint hash keys to check that they round-trip exactly. */
export function testStream(
  name: string,
  options: { shards?: number; streamKey?: string; createdAt?: number; tags?: StreamRecord['tags'] } = {},
): StreamRecord {
  const shards = options.shards ?? 2;
  const createdAt = options.createdAt ?? T0;
  const width = 2n ** 128n / BigInt(shards);
  return {
    name,
    streamKey: options.streamKey ?? `${name}@1`,
    status: 'ACTIVE',
    mode: 'PROVISIONED',
    createdAt,
    retentionHours: 24,
    encryptionType: 'NONE',
    shardLevelMetrics: [],
    maxRecordSizeKiB: 1024,
    nextShardIndex: shards,
    shards: Array.from({ length: shards }, (_, i) => ({
      index: i,
      hashKeyStart: width * BigInt(i),
      hashKeyEnd: i === shards - 1 ? 2n ** 128n - 1n : width * BigInt(i + 1) - 1n,
      createdAt,
    })),
    tags: options.tags ?? [],
  };
}
