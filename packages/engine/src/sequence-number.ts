/**
 * Sequence numbers in kinesalite's version-2 layout (db/index.js stringifySequence), which matches the 56-digit
 * numbers AWS hands out. As 47 hex digits: `2`, shard creation time (9, epoch s), low nibble of the shard index (1),
 * per-shard counter (16, top bit clear), `00` (2), write time (9, epoch s), shard index (8), version `2` (1).
 * The counter dominates the write time, so numbers increase strictly with the counter within a shard.
 */

export interface SequenceNumberParts {
  /** Epoch ms; encoded to the second. */
  readonly shardCreatedAt: number;
  readonly shardIndex: number;
  readonly counter: bigint;
  /** Epoch ms; encoded to the second. */
  readonly writtenAt: number;
}

/** The counter of a closed shard's EndingSequenceNumber (kinesalite splitShard/mergeShards). */
export const MAX_SEQUENCE_COUNTER = 0x7fff_ffff_ffff_ffffn;

/** kinesalite refuses creation times from this many seconds on ("Date too large"). */
const MAX_CREATED_SECONDS = 16_025_175_000;

const MASK_36 = (1n << 36n) - 1n;
const MASK_64 = (1n << 64n) - 1n;
const MASK_32 = (1n << 32n) - 1n;
const VERSION_HIGH = 2n << 184n;

/** The same digits as building the 47 hex digits as text and parsing them, at well under half the cost. */
export function encodeSequenceNumber(parts: SequenceNumberParts): string {
  const shardIndex = BigInt(parts.shardIndex);
  const value =
    VERSION_HIGH |
    ((BigInt(Math.floor(parts.shardCreatedAt / 1000)) & MASK_36) << 148n) |
    ((shardIndex & 0xfn) << 144n) |
    ((parts.counter & MASK_64) << 80n) |
    ((BigInt(Math.floor(parts.writtenAt / 1000)) & MASK_36) << 36n) |
    ((shardIndex & MASK_32) << 4n) |
    2n;
  return value.toString();
}

/** The parts of a version-2 sequence number, or undefined for anything else (older versions included). */
export function decodeSequenceNumber(value: string): SequenceNumberParts | undefined {
  if (!/^[1-9]\d{0,128}$/.test(value)) return undefined;
  const digits = BigInt(value).toString(16);
  if (digits.length !== 47 || digits[0] !== '2' || digits[46] !== '2') return undefined;
  const createdSeconds = parseInt(digits.slice(1, 10), 16);
  const counterDigits = digits.slice(11, 27);
  const indexDigits = digits.slice(38, 46);
  if (parseInt(counterDigits[0]!, 16) > 7 || parseInt(indexDigits[0]!, 16) > 7) return undefined;
  if (createdSeconds >= MAX_CREATED_SECONDS) return undefined;
  return {
    shardCreatedAt: createdSeconds * 1000,
    shardIndex: parseInt(indexDigits, 16),
    counter: BigInt('0x' + counterDigits),
    writtenAt: parseInt(digits.slice(29, 38), 16) * 1000,
  };
}

interface ShardTimes {
  readonly index: number;
  readonly createdAt: number;
  readonly closedAt?: number;
}

/** A record's number: counter = offset + 1, so it always exceeds the shard's StartingSequenceNumber (counter 0). */
export function recordSequenceNumber(shard: ShardTimes, offset: number, arrivalTime: number): string {
  return encodeSequenceNumber({
    shardCreatedAt: shard.createdAt,
    shardIndex: shard.index,
    counter: BigInt(offset) + 1n,
    writtenAt: arrivalTime,
  });
}

/**
 * recordSequenceNumber for many records of one shard: the fields other than the counter are combined once per
 * arrival second, leaving a shift, an add and the decimal conversion per record.
 */
export class ShardSequenceNumbers {
  #second = Number.NaN;
  #base = 0n;

  constructor(private readonly shard: ShardTimes) {}

  of(offset: number, arrivalTime: number): string {
    const second = Math.floor(arrivalTime / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#base = BigInt(encodeSequenceNumber({ shardCreatedAt: this.shard.createdAt, shardIndex: this.shard.index, counter: 0n, writtenAt: arrivalTime }));
    }
    return (this.#base + ((BigInt(offset + 1) & MASK_64) << 80n)).toString();
  }
}

/** The log offset a counter names as AT_SEQUENCE_NUMBER (the record itself) or AFTER_SEQUENCE_NUMBER (the next). */
export function offsetOfCounter(counter: bigint, after: boolean): number {
  const offset = after ? counter : counter === 0n ? 0n : counter - 1n;
  return offset > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(offset);
}

export function startingSequenceNumber(shard: ShardTimes): string {
  return encodeSequenceNumber({
    shardCreatedAt: shard.createdAt,
    shardIndex: shard.index,
    counter: 0n,
    writtenAt: shard.createdAt,
  });
}

/** Only closed shards have one. */
export function endingSequenceNumber(shard: ShardTimes): string | undefined {
  if (shard.closedAt === undefined) return undefined;
  return encodeSequenceNumber({
    shardCreatedAt: shard.createdAt,
    shardIndex: shard.index,
    counter: MAX_SEQUENCE_COUNTER,
    writtenAt: shard.closedAt,
  });
}
