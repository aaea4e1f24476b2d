import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ShardLog } from '../shard-log.js';
import { ShardLogFencedError } from '../shard-log-fenced-error.js';
import type { RecordToAppend } from '../stored-record.js';

/** Creates a fresh, empty log for one test; the suite closes it. */
export type ShardLogFactory = () => ShardLog | Promise<ShardLog>;

const UNLIMITED = { maxRecords: 1_000_000, maxBytes: Number.MAX_SAFE_INTEGER };

function record(n: number, arrivalTime = 1_000 + n, dataLength = 4): RecordToAppend {
  const data = new Uint8Array(dataLength).fill(n % 256);
  return { arrivalTime, partitionKey: `k${n}`, data };
}

async function withLog(make: ShardLogFactory, body: (log: ShardLog) => Promise<void>): Promise<void> {
  const log = await make();
  try {
    await body(log);
  } finally {
    await log.close();
  }
}

/** The behaviour every ShardLog backend must have (memory, file, NATS). */
export function describeShardLogContract(name: string, make: ShardLogFactory): void {
  describe(`ShardLog contract: ${name}`, () => {
    it('starts empty', () =>
      withLog(make, async (log) => {
        assert.equal(log.startOffset, 0);
        assert.equal(log.endOffset, 0);
        assert.deepEqual(await log.read(0, UNLIMITED), []);
        assert.equal(await log.offsetAtTime(0), 0);
      }));

    it('assigns consecutive offsets across appends and reads records back in order', () =>
      withLog(make, async (log) => {
        assert.deepEqual(await log.append([record(0), record(1), record(2)]), { firstOffset: 0 });
        assert.deepEqual(await log.append([record(3)]), { firstOffset: 3 });
        assert.equal(log.endOffset, 4);
        const read = await log.read(0, UNLIMITED);
        assert.deepEqual(read.map((r) => r.offset), [0, 1, 2, 3]);
        assert.deepEqual(read.map((r) => r.partitionKey), ['k0', 'k1', 'k2', 'k3']);
        assert.deepEqual([...read[2]!.data], [2, 2, 2, 2]);
        assert.equal(read[1]!.arrivalTime, 1_001);
      }));

    it('keeps explicit hash keys and empty data', () =>
      withLog(make, async (log) => {
        await log.append([{ arrivalTime: 5, partitionKey: 'p', explicitHashKey: '123', data: new Uint8Array() }]);
        const [stored] = await log.read(0, UNLIMITED);
        assert.equal(stored!.explicitHashKey, '123');
        assert.equal(stored!.data.byteLength, 0);
      }));

    it('keeps encrypted records, beside plain ones, with the plaintext size they count for', () =>
      withLog(make, async (log) => {
        const ciphertext = new Uint8Array(40).fill(9);
        await log.append([record(0), { arrivalTime: 7, partitionKey: '', data: ciphertext, plainSize: 1_000 }, record(2)]);
        const read = await log.read(0, UNLIMITED);
        assert.deepEqual(read.map((r) => r.plainSize), [undefined, 1_000, undefined]);
        assert.deepEqual([read[1]!.partitionKey, read[1]!.explicitHashKey, read[1]!.arrivalTime], ['', undefined, 7]);
        assert.deepEqual([...read[1]!.data], [...ciphertext]);
        assert.equal(read[2]!.partitionKey, 'k2');
        // Budgets count the plaintext size, not the 40 stored bytes: 6 + 1,000 + 6 bytes.
        assert.equal((await log.read(0, { maxRecords: 100, maxBytes: 1_011 })).length, 2);
        assert.equal((await log.read(0, { maxRecords: 100, maxBytes: 1_012 })).length, 3);
        assert.equal((await log.read(0, { maxRecords: 100, maxBytes: 1_005 })).length, 1);
      }));

    it('does not see later changes to an appended buffer', () =>
      withLog(make, async (log) => {
        const data = new Uint8Array([1, 2, 3]);
        await log.append([{ arrivalTime: 1, partitionKey: 'p', data }]);
        data[0] = 99;
        const [stored] = await log.read(0, UNLIMITED);
        assert.deepEqual([...stored!.data], [1, 2, 3]);
      }));

    it('an empty append changes nothing', () =>
      withLog(make, async (log) => {
        await log.append([record(0)]);
        assert.deepEqual(await log.append([]), { firstOffset: 1 });
        assert.equal(log.endOffset, 1);
      }));

    it('reads from an offset, bounded by maxRecords', () =>
      withLog(make, async (log) => {
        await log.append(Array.from({ length: 10 }, (_, n) => record(n)));
        const read = await log.read(4, { maxRecords: 3, maxBytes: UNLIMITED.maxBytes });
        assert.deepEqual(read.map((r) => r.offset), [4, 5, 6]);
        assert.deepEqual(await log.read(10, UNLIMITED), []);
        assert.deepEqual(await log.read(50, UNLIMITED), []);
        assert.deepEqual(await log.read(0, { maxRecords: 0, maxBytes: 100 }), []);
      }));

    it('bounds reads by maxBytes (data plus partition key bytes)', () =>
      withLog(make, async (log) => {
        // Each record: 8 data bytes + 2 key bytes ("k0".."k9") = 10 bytes.
        await log.append(Array.from({ length: 10 }, (_, n) => record(n, 1_000, 8)));
        assert.equal((await log.read(0, { maxRecords: 100, maxBytes: 30 })).length, 3);
        assert.equal((await log.read(0, { maxRecords: 100, maxBytes: 39 })).length, 3);
        assert.equal((await log.read(0, { maxRecords: 100, maxBytes: 40 })).length, 4);
      }));

    it('returns a first record larger than maxBytes alone', () =>
      withLog(make, async (log) => {
        await log.append([record(0, 1, 100), record(1, 1, 1)]);
        const read = await log.read(0, { maxRecords: 100, maxBytes: 10 });
        assert.deepEqual(read.map((r) => r.offset), [0]);
      }));

    it('reads records of every allowed size, one at a time and in batches', () =>
      withLog(make, async (log) => {
        // Up to 10 MiB since 2025-10: larger than any read chunk a backend may use.
        const sizes = [70 * 1024, 1024 * 1024, 5 * 1024 * 1024, 10 * 1024 * 1024 - 2];
        await log.append(sizes.map((size, n) => record(n, 1, size)));
        for (const [offset, size] of sizes.entries()) {
          const [one] = await log.read(offset, { maxRecords: 1, maxBytes: 10 * 1024 * 1024 });
          assert.equal(one?.offset, offset);
          assert.equal(one?.data.byteLength, size);
          assert.equal(one?.data[size - 1], offset % 256);
        }
        const batch = await log.read(0, { maxRecords: 100, maxBytes: 10 * 1024 * 1024 });
        assert.deepEqual(batch.map((r) => r.offset), [0, 1, 2]);
      }));

    it('finds the first record at or after a time', () =>
      withLog(make, async (log) => {
        await log.append([record(0, 100), record(1, 200), record(2, 200), record(3, 300)]);
        assert.equal(await log.offsetAtTime(0), 0);
        assert.equal(await log.offsetAtTime(100), 0);
        assert.equal(await log.offsetAtTime(101), 1);
        assert.equal(await log.offsetAtTime(200), 1);
        assert.equal(await log.offsetAtTime(201), 3);
        assert.equal(await log.offsetAtTime(300), 3);
        assert.equal(await log.offsetAtTime(301), 4);
      }));

    it('answers offsetAtTime in log order when clocks step back', () =>
      withLog(make, async (log) => {
        await log.append([record(0, 100), record(1, 300), record(2, 200), record(3, 400)]);
        assert.equal(await log.offsetAtTime(250), 1);
        assert.equal(await log.offsetAtTime(350), 3);
      }));

    it('trims whole prefixes and never moves back', () =>
      withLog(make, async (log) => {
        await log.append(Array.from({ length: 10 }, (_, n) => record(n, n * 10)));
        await log.trimBefore(4);
        assert.equal(log.startOffset, 4);
        assert.equal(log.endOffset, 10);
        assert.deepEqual((await log.read(0, UNLIMITED)).map((r) => r.offset), [4, 5, 6, 7, 8, 9]);
        assert.equal(await log.offsetAtTime(0), 4);
        assert.equal(await log.offsetAtTime(55), 6);
        await log.trimBefore(2);
        assert.equal(log.startOffset, 4);
        await log.trimBefore(100);
        assert.equal(log.startOffset, 10);
        assert.deepEqual(await log.read(0, UNLIMITED), []);
        assert.deepEqual(await log.append([record(10)]), { firstOffset: 10 });
        assert.deepEqual((await log.read(0, UNLIMITED)).map((r) => r.offset), [10]);
      }));

    it('keeps offsets right across many trims', () =>
      withLog(make, async (log) => {
        for (let batch = 0; batch < 30; batch++) {
          await log.append(Array.from({ length: 100 }, (_, n) => record(batch * 100 + n, batch)));
          await log.trimBefore(batch * 100 + 50);
        }
        assert.equal(log.startOffset, 2_950);
        assert.equal(log.endOffset, 3_000);
        const read = await log.read(2_990, UNLIMITED);
        assert.deepEqual(read.map((r) => r.offset), [2_990, 2_991, 2_992, 2_993, 2_994, 2_995, 2_996, 2_997, 2_998, 2_999]);
        assert.equal(read[0]!.partitionKey, 'k2990');
        assert.equal(await log.offsetAtTime(29), 2_950);
      }));

    it('never interleaves or loses concurrent appends', () =>
      withLog(make, async (log) => {
        const writers = 20;
        const perAppend = 25;
        const results = await Promise.all(
          Array.from({ length: writers }, (_, w) =>
            log.append(
              Array.from({ length: perAppend }, (_, i) => ({
                arrivalTime: 1,
                partitionKey: `w${w}-${i}`,
                data: new Uint8Array([w, i]),
              })),
            ),
          ),
        );
        assert.equal(log.endOffset, writers * perAppend);
        const firstOffsets = results.map((r) => r.firstOffset).sort((a, b) => a - b);
        assert.deepEqual(firstOffsets, Array.from({ length: writers }, (_, w) => w * perAppend));
        const read = await log.read(0, UNLIMITED);
        results.forEach(({ firstOffset }, w) => {
          for (let i = 0; i < perAppend; i++) {
            assert.equal(read[firstOffset + i]!.partitionKey, `w${w}-${i}`);
          }
        });
      }));

    it('resolves concurrent appends in call order', () =>
      withLog(make, async (log) => {
        const order: number[] = [];
        await Promise.all(
          Array.from({ length: 10 }, (_, n) => log.append([record(n)]).then(({ firstOffset }) => order.push(firstOffset))),
        );
        assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      }));

    it('cuts at a fence: appends called before it count, later ones of an older revision are refused', () =>
      withLog(make, async (log) => {
        await log.append([record(0)], { revision: 1 });
        // Called before the fence, not yet resolved: inside the cut.
        const before = log.append([record(1), record(2)], { revision: 1 });
        const cut = await log.fence(2);
        assert.equal(cut, 3);
        assert.equal((await before).firstOffset, 1);
        await assert.rejects(log.append([record(3)], { revision: 1 }), (error: unknown) => error instanceof ShardLogFencedError && error.revision === 2);
        assert.equal(log.endOffset, 3);
        // The new revision, and appends that name none, pass.
        assert.equal((await log.append([record(3)], { revision: 2 })).firstOffset, 3);
        assert.equal((await log.append([record(4)])).firstOffset, 4);
        // A fence never goes down.
        assert.equal(await log.fence(1), 5);
        await assert.rejects(log.append([record(5)], { revision: 1 }), ShardLogFencedError);
        assert.deepEqual((await log.read(0, UNLIMITED)).map((stored) => stored.partitionKey), ['k0', 'k1', 'k2', 'k3', 'k4']);
      }));

    it('rejects use after close', async () => {
      const log = await make();
      await log.close();
      await assert.rejects(log.append([record(0)]));
    });
  });
}
