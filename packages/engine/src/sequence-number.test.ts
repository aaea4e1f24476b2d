import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeSequenceNumber,
  encodeSequenceNumber,
  endingSequenceNumber,
  MAX_SEQUENCE_COUNTER,
  recordSequenceNumber,
  ShardSequenceNumbers,
  startingSequenceNumber,
} from './sequence-number.js';

const created = Date.UTC(2026, 0, 1);

describe('sequence numbers', () => {
  it('have AWS’s 56-digit shape', () => {
    const value = encodeSequenceNumber({ shardCreatedAt: created, shardIndex: 3, counter: 5n, writtenAt: created + 9_000 });
    assert.match(value, /^\d{56}$/);
    assert.match(startingSequenceNumber({ index: 0, createdAt: created }), /^4\d{55}$/);
  });

  it('decode a number kinesalite produced', () => {
    // kinesalite stringifySequence({shardCreateTime: 1700000000000, shardIx: 1, seqIx: 2, seqTime: 1700000001000}).
    const hex = '2' + '06553f100' + '1' + '0000000000000002' + '00' + '06553f101' + '00000001' + '2';
    const parts = decodeSequenceNumber(BigInt('0x' + hex).toString());
    assert.deepEqual(parts, { shardCreatedAt: 1_700_000_000_000, shardIndex: 1, counter: 2n, writtenAt: 1_700_000_001_000 });
  });

  it('equal kinesalite’s text layout, digit for digit (property)', () => {
    const hex = (value: number | bigint, width: number) => value.toString(16).padStart(width, '0').slice(-width);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 16_000_000_000 }),
        fc.integer({ min: 0, max: 2_147_483_647 }),
        fc.bigInt({ min: 0n, max: MAX_SEQUENCE_COUNTER }),
        fc.integer({ min: 0, max: 16_000_000_000 }),
        (createdSeconds, shardIndex, counter, writtenSeconds) => {
          const text =
            '2' + hex(createdSeconds, 9) + hex(shardIndex & 0xf, 1) + hex(counter, 16) + '00' + hex(writtenSeconds, 9) + hex(shardIndex, 8) + '2';
          const parts = { shardCreatedAt: createdSeconds * 1000 + 999, shardIndex, counter, writtenAt: writtenSeconds * 1000 + 1 };
          assert.equal(encodeSequenceNumber(parts), BigInt('0x' + text).toString());
        },
      ),
    );
  });

  it('come out the same from ShardSequenceNumbers as from recordSequenceNumber (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_147_483_647 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 1 }), fc.integer({ min: 0, max: 4_000_000_000_000 })), { minLength: 1, maxLength: 20 }),
        (index, records) => {
          const shard = { index, createdAt: created };
          const numbers = new ShardSequenceNumbers(shard);
          for (const [offset, arrivalTime] of records) assert.equal(numbers.of(offset, arrivalTime), recordSequenceNumber(shard, offset, arrivalTime));
        },
      ),
    );
  });

  it('round-trip (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: 0, max: 2_147_483_647 }),
        fc.bigInt({ min: 0n, max: MAX_SEQUENCE_COUNTER }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        (createdSeconds, shardIndex, counter, writtenSeconds) => {
          const parts = { shardCreatedAt: createdSeconds * 1000, shardIndex, counter, writtenAt: writtenSeconds * 1000 };
          assert.deepEqual(decodeSequenceNumber(encodeSequenceNumber(parts)), parts);
        },
      ),
    );
  });

  it('increase strictly with the offset whatever the write time (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        (a, gap, timeA, timeB) => {
          const shard = { index: 2, createdAt: created };
          const first = BigInt(recordSequenceNumber(shard, a, created + timeA));
          const second = BigInt(recordSequenceNumber(shard, a + gap + 1, created + timeB));
          assert.ok(first < second);
          assert.ok(BigInt(startingSequenceNumber(shard)) < first);
        },
      ),
    );
  });

  it('put a closed shard’s ending number above all its records', () => {
    const shard = { index: 1, createdAt: created, closedAt: created + 60_000 };
    const ending = endingSequenceNumber(shard)!;
    assert.ok(BigInt(recordSequenceNumber(shard, 1_000_000_000, created + 60_000)) < BigInt(ending));
    assert.equal(decodeSequenceNumber(ending)!.counter, MAX_SEQUENCE_COUNTER);
    assert.equal(endingSequenceNumber({ index: 1, createdAt: created }), undefined);
  });

  it('reject what is not a version-2 number', () => {
    for (const value of ['0', '1', '12345678901234567890', 'abc', '', '0123']) {
      assert.equal(decodeSequenceNumber(value), undefined, value);
    }
    const version1 = BigInt('0x2' + '06553f100' + '1' + '00' + '06553f101' + '00000000000000' + '02' + '00000001' + '1');
    assert.equal(decodeSequenceNumber(version1.toString()), undefined);
  });
});
