import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
  type ChildShard,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, seededRandom, startRiffle, testSeed, type RiffleProcess } from '@riffle/testkit';

// Resharding under load, read back the way KCL reads: writers keep putting while the stream is split, scaled up,
// merged and scaled down; then every shard is read from TRIM_HORIZON, parents before children, and every
// acknowledged record must come back exactly once, from the shard it was acknowledged in, in per-key order.

const MAX_HASH_KEY = 2n ** 128n - 1n;
const KEYS = Array.from({ length: 50 }, (_, i) => `pk-${i}`);
const WRITERS = 3;
/** Bounds: requests per writer, polls of the stream status, GetRecords calls per shard, ListShards pages. */
const MAX_REQUESTS_PER_WRITER = 4000;
const MAX_STATUS_POLLS = 400;
const MAX_GET_RECORDS_CALLS = 500;
const MAX_LIST_PAGES = 100;
/** Acknowledged records awaited between two reshards, so that every shard generation takes writes. */
const ACKS_BETWEEN_STEPS = 150;
const MAX_ACK_WAITS = 1000;

interface Ack {
  shardId: string;
  key: string;
  counter: number;
  /** Reshards known finished (ACTIVE again) when the request was sent. */
  stepAtSend: number;
}

interface ReadRecord {
  shardId: string;
  sequenceNumber: string;
  key: string;
  counter: number;
}

const cases = [
  { label: 'immediate reshards (--update-stream-ms 0), HTTP/2', updateStreamMs: 0, http: '2' as const },
  { label: 'reshards through UPDATING (--update-stream-ms 300), HTTP/1.1', updateStreamMs: 300, http: '1.1' as const },
];

function evenRanges(count: number): { start: bigint; end: bigint }[] {
  const width = (MAX_HASH_KEY + 1n) / BigInt(count);
  return Array.from({ length: count }, (_, i) => ({
    start: BigInt(i) * width,
    end: i === count - 1 ? MAX_HASH_KEY : BigInt(i + 1) * width - 1n,
  }));
}

const startOf = (shard: Shard) => BigInt(shard.HashKeyRange!.StartingHashKey!);
const endOf = (shard: Shard) => BigInt(shard.HashKeyRange!.EndingHashKey!);
const isOpen = (shard: Shard) => shard.SequenceNumberRange!.EndingSequenceNumber === undefined;
const byStart = (a: Shard, b: Shard) => (startOf(a) < startOf(b) ? -1 : startOf(a) > startOf(b) ? 1 : 0);

function openShardsOf(shards: readonly Shard[]): Shard[] {
  return shards.filter(isOpen).sort(byStart);
}

function assertTiles(shards: readonly Shard[], what: string): void {
  assert.ok(shards.length > 0, `${what}: some shards`);
  let expectedStart = 0n;
  for (const shard of shards) {
    assert.equal(startOf(shard), expectedStart, `${what}: ${shard.ShardId} starts where the previous one ended (no gap, no overlap)`);
    assert.ok(endOf(shard) >= startOf(shard), `${what}: ${shard.ShardId} has a non-empty range`);
    expectedStart = endOf(shard) + 1n;
  }
  assert.equal(expectedStart, MAX_HASH_KEY + 1n, `${what}: the last shard ends at 2^128-1`);
}

function assertEvenRanges(shards: readonly Shard[], count: number, what: string): void {
  const open = openShardsOf(shards);
  assert.equal(open.length, count, `${what}: exactly ${count} open shards`);
  assert.deepEqual(
    open.map((shard) => ({ start: startOf(shard), end: endOf(shard) })),
    evenRanges(count),
    `${what}: the open shards have the ranges CreateStream gives ${count} shards`,
  );
}

/** ListShards' view of a shard's children, in GetRecords' ChildShards shape (parents sorted for comparison). */
function childrenOf(shards: readonly Shard[], shardId: string): { ShardId: string; ParentShards: string[]; HashKeyRange: unknown }[] {
  return shards
    .filter((shard) => shard.ParentShardId === shardId || shard.AdjacentParentShardId === shardId)
    .map((shard) => ({
      ShardId: shard.ShardId!,
      ParentShards: [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => id !== undefined).sort(),
      HashKeyRange: { StartingHashKey: shard.HashKeyRange!.StartingHashKey, EndingHashKey: shard.HashKeyRange!.EndingHashKey },
    }))
    .sort((a, b) => (a.ShardId < b.ShardId ? -1 : 1));
}

function normaliseChildShards(children: readonly ChildShard[] | undefined) {
  return (children ?? [])
    .map((child) => ({
      ShardId: child.ShardId!,
      ParentShards: [...(child.ParentShards ?? [])].sort(),
      HashKeyRange: { StartingHashKey: child.HashKeyRange?.StartingHashKey, EndingHashKey: child.HashKeyRange?.EndingHashKey },
    }))
    .sort((a, b) => (a.ShardId < b.ShardId ? -1 : 1));
}

/** Every shard's parents are closed shards of the list, and each closed shard was either split in two or merged once. */
function assertLineage(shards: readonly Shard[]): void {
  const byId = new Map(shards.map((shard) => [shard.ShardId!, shard]));
  assertTiles(shards.filter((shard) => shard.ParentShardId === undefined).sort(byStart), 'shards without a parent (the stream as created)');
  for (const shard of shards) {
    const id = shard.ShardId!;
    if (shard.AdjacentParentShardId !== undefined) assert.ok(shard.ParentShardId !== undefined, `${id}: an adjacent parent only beside a parent`);
    for (const parentId of [shard.ParentShardId, shard.AdjacentParentShardId]) {
      if (parentId === undefined) continue;
      const parent = byId.get(parentId);
      assert.ok(parent, `${id}: parent ${parentId} is listed`);
      assert.ok(!isOpen(parent), `${id}: parent ${parentId} is closed`);
    }
    if (shard.AdjacentParentShardId !== undefined) {
      const [lower, upper] = [byId.get(shard.ParentShardId!)!, byId.get(shard.AdjacentParentShardId)!].sort(byStart);
      assert.equal(endOf(lower!) + 1n, startOf(upper!), `${id}: its two parents are adjacent`);
      assert.equal(startOf(shard), startOf(lower!), `${id}: a merge child starts where its lower parent starts`);
      assert.equal(endOf(shard), endOf(upper!), `${id}: a merge child ends where its upper parent ends`);
    }
  }
  for (const shard of shards) {
    if (isOpen(shard)) continue;
    const id = shard.ShardId!;
    const children = shards.filter((child) => child.ParentShardId === id || child.AdjacentParentShardId === id);
    const merged = children.filter((child) => child.AdjacentParentShardId !== undefined);
    if (merged.length > 0) {
      assert.equal(children.length, 1, `${id}: a merged shard has exactly one child`);
    } else {
      assert.equal(children.length, 2, `${id}: a split shard has exactly two children`);
      const [low, high] = [...children].sort(byStart);
      assert.equal(startOf(low!), startOf(shard), `${id}: its lower child starts where it starts`);
      assert.equal(endOf(low!) + 1n, startOf(high!), `${id}: its children are adjacent`);
      assert.equal(endOf(high!), endOf(shard), `${id}: its upper child ends where it ends`);
    }
  }
}

function parseData(data: Uint8Array | undefined): { key: string; counter: number } {
  const [key, counter] = Buffer.from(data ?? new Uint8Array()).toString('utf8').split('|');
  return { key: key!, counter: Number(counter) };
}

for (const testCase of cases) {
  describe(`resharding under concurrent writes: ${testCase.label}`, () => {
    let riffle: RiffleProcess;
    let client: KinesisClient;
    before(async () => {
      // Later flags win over fastArgs' --update-stream-ms 0.
      riffle = await startRiffle({ args: ['--update-stream-ms', String(testCase.updateStreamMs)] });
      client = kinesisClient(riffle.endpoint, { http: testCase.http });
    });
    after(async () => {
      client?.destroy();
      await riffle?.stop();
    });

    it('loses, duplicates and reorders nothing across SplitShard, UpdateShardCount and MergeShards', { timeout: 60_000 }, async (t) => {
      const seed = testSeed();
      t.diagnostic(`seed ${seed} (RIFFLE_TEST_SEED=${seed} repeats the run)`);
      const random = seededRandom(seed);
      const StreamName = `reshard-${testCase.updateStreamMs}`;
      const acks = new Map<string, Ack>();
      const writeErrors: string[] = [];
      const counters = new Map<string, number>(KEYS.map((key) => [key, 0]));
      let completedSteps = 0;
      let stop = false;

      await client.send(new CreateStreamCommand({ StreamName, ShardCount: 2, StreamModeDetails: { StreamMode: 'PROVISIONED' } }));
      await waitForActive(StreamName);

      async function listAllShards(): Promise<Shard[]> {
        const shards: Shard[] = [];
        let page = await client.send(new ListShardsCommand({ StreamName, MaxResults: 4 }));
        for (let n = 0; n < MAX_LIST_PAGES; n++) {
          shards.push(...(page.Shards ?? []));
          if (page.NextToken === undefined) return shards;
          page = await client.send(new ListShardsCommand({ NextToken: page.NextToken, MaxResults: 4 }));
        }
        throw new Error(`ListShards still had a NextToken after ${MAX_LIST_PAGES} pages`);
      }

      /** Polls until ACTIVE; tells whether UPDATING was seen and how many acks arrived while it was. */
      async function waitForActive(name: string): Promise<{ sawUpdating: boolean; acksWhileUpdating: number }> {
        let sawUpdating = false;
        let acksAtFirstUpdating = 0;
        let acksAtLastUpdating = 0;
        for (let poll = 0; poll < MAX_STATUS_POLLS; poll++) {
          const acksBefore = acks.size;
          const status = (await client.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.StreamStatus;
          if (status === 'ACTIVE') return { sawUpdating, acksWhileUpdating: acksAtLastUpdating - acksAtFirstUpdating };
          assert.ok(status === 'UPDATING' || status === 'CREATING', `${name} is ${status} while waiting for ACTIVE`);
          if (status === 'UPDATING') {
            if (!sawUpdating) acksAtFirstUpdating = acksBefore;
            sawUpdating = true;
            acksAtLastUpdating = acks.size;
          }
          await sleep(20);
        }
        throw new Error(`${name} not ACTIVE after ${MAX_STATUS_POLLS} polls`);
      }

      // ---- writers ----

      const nextRecord = (keys: readonly string[]) => {
        const key = keys[random(keys.length)]!;
        const counter = counters.get(key)! + 1;
        counters.set(key, counter);
        return { key, counter, entry: { PartitionKey: key, Data: Buffer.from(`${key}|${counter}|${'x'.repeat(random(64))}`) } };
      };

      // Each key belongs to one writer, which awaits each request before the next: "the order written" is defined.
      const writer = async (w: number) => {
        const keys = KEYS.filter((_, i) => i % WRITERS === w);
        for (let request = 0; request < MAX_REQUESTS_PER_WRITER && !stop; request++) {
          const stepAtSend = completedSteps;
          try {
            if (random(4) === 0) {
              const record = nextRecord(keys);
              const answer = await client.send(new PutRecordCommand({ StreamName, ...record.entry }));
              acks.set(answer.SequenceNumber!, { shardId: answer.ShardId!, key: record.key, counter: record.counter, stepAtSend });
            } else {
              const records = Array.from({ length: 1 + random(25) }, () => nextRecord(keys));
              const answer = await client.send(new PutRecordsCommand({ StreamName, Records: records.map((r) => r.entry) }));
              answer.Records!.forEach((entry, i) => {
                if (entry.ErrorCode !== undefined) {
                  writeErrors.push(`PutRecords entry ${i} (${records[i]!.key}#${records[i]!.counter}): ${entry.ErrorCode} ${entry.ErrorMessage}`);
                  return;
                }
                acks.set(entry.SequenceNumber!, { shardId: entry.ShardId!, key: records[i]!.key, counter: records[i]!.counter, stepAtSend });
              });
              if ((answer.FailedRecordCount ?? 0) > 0) writeErrors.push(`PutRecords FailedRecordCount ${answer.FailedRecordCount}`);
            }
          } catch (error) {
            const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
            writeErrors.push(`writer ${w} request ${request} (after step ${stepAtSend}): ${e.name} ${e.$metadata?.httpStatusCode} ${e.message}`);
            if (writeErrors.length > 20) return;
          }
          await sleep(random(3));
        }
      };

      const waitForMoreAcks = async (what: string) => {
        const target = acks.size + ACKS_BETWEEN_STEPS;
        for (let n = 0; n < MAX_ACK_WAITS && acks.size < target; n++) {
          if (writeErrors.length > 20) break;
          await sleep(10);
        }
        assert.deepEqual(writeErrors.slice(0, 5), [], `writes fail ${what}`);
        assert.ok(acks.size >= target, `writers acknowledged ${ACKS_BETWEEN_STEPS} more records ${what} (have ${acks.size})`);
      };

      /** Shards closed once a step finished: closedAfter[s] for writes sent after s steps. */
      const closedAfter: Set<string>[] = [new Set()];
      let sawUpdating = false;
      let acksWhileUpdating = 0;

      const finishStep = async (what: string): Promise<Shard[]> => {
        if (testCase.updateStreamMs > 0) {
          const seen = await waitForActive(StreamName);
          sawUpdating ||= seen.sawUpdating;
          acksWhileUpdating += seen.acksWhileUpdating;
        } else {
          const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!;
          assert.equal(summary.StreamStatus, 'ACTIVE', `${what}: with --update-stream-ms 0 the stream is ACTIVE at once`);
        }
        const shards = await listAllShards();
        closedAfter.push(new Set(shards.filter((shard) => !isOpen(shard)).map((shard) => shard.ShardId!)));
        completedSteps++;
        assertTiles(openShardsOf(shards), `open shards after ${what}`);
        assertLineage(shards);
        const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!;
        assert.equal(summary.OpenShardCount, openShardsOf(shards).length, `${what}: OpenShardCount counts the open shards`);
        return shards;
      };

      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
      try {
        await waitForMoreAcks('before the first reshard');

        // 1. SplitShard at the middle of shard 0's range.
        let shards = await listAllShards();
        assertEvenRanges(shards, 2, 'the new stream');
        const toSplit = shards.find((shard) => shard.ShardId === 'shardId-000000000000')!;
        const middle = startOf(toSplit) + (endOf(toSplit) - startOf(toSplit) + 1n) / 2n;
        await client.send(new SplitShardCommand({ StreamName, ShardToSplit: toSplit.ShardId!, NewStartingHashKey: middle.toString() }));
        shards = await finishStep('SplitShard');
        const splitChildren = shards.filter((shard) => shard.ParentShardId === toSplit.ShardId).sort(byStart);
        assert.deepEqual(
          splitChildren.map((shard) => [shard.AdjacentParentShardId, startOf(shard), endOf(shard), isOpen(shard)]),
          [
            [undefined, startOf(toSplit), middle - 1n, true],
            [undefined, middle, endOf(toSplit), true],
          ],
          'SplitShard: two open children split at NewStartingHashKey',
        );
        assert.equal(openShardsOf(shards).length, 3);
        await waitForMoreAcks('after SplitShard');

        // 2. UpdateShardCount up, 3 -> 5.
        const up = await client.send(new UpdateShardCountCommand({ StreamName, TargetShardCount: 5, ScalingType: 'UNIFORM_SCALING' }));
        assert.equal(up.CurrentShardCount, 3);
        assert.equal(up.TargetShardCount, 5);
        shards = await finishStep('UpdateShardCount to 5');
        assertEvenRanges(shards, 5, 'UpdateShardCount to 5');
        await waitForMoreAcks('after UpdateShardCount to 5');

        // 3. MergeShards of two adjacent open shards (a seeded choice among the adjacent pairs).
        shards = await listAllShards();
        const open = openShardsOf(shards);
        const pairs = open.slice(1).map((upper, i) => [open[i]!, upper] as const).filter(([lower, upper]) => endOf(lower) + 1n === startOf(upper));
        assert.equal(pairs.length, 4, 'five tiling open shards make four adjacent pairs');
        const [lower, upper] = pairs[random(pairs.length)]!;
        await client.send(new MergeShardsCommand({ StreamName, ShardToMerge: lower.ShardId!, AdjacentShardToMerge: upper.ShardId! }));
        shards = await finishStep(`MergeShards ${lower.ShardId} + ${upper.ShardId}`);
        const mergeChildren = shards.filter((shard) => shard.ParentShardId === lower.ShardId || shard.AdjacentParentShardId === lower.ShardId);
        assert.deepEqual(
          mergeChildren.map((shard) => [shard.ParentShardId, shard.AdjacentParentShardId, startOf(shard), endOf(shard), isOpen(shard)]),
          [[lower.ShardId, upper.ShardId, startOf(lower), endOf(upper), true]],
          'MergeShards: one open child over both ranges, ShardToMerge its parent and AdjacentShardToMerge its adjacent parent',
        );
        assert.equal(openShardsOf(shards).length, 4);
        await waitForMoreAcks('after MergeShards');

        // 4. UpdateShardCount down, 4 -> 3.
        const down = await client.send(new UpdateShardCountCommand({ StreamName, TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }));
        assert.equal(down.CurrentShardCount, 4);
        assert.equal(down.TargetShardCount, 3);
        shards = await finishStep('UpdateShardCount to 3');
        assertEvenRanges(shards, 3, 'UpdateShardCount to 3');
        await waitForMoreAcks('after UpdateShardCount to 3');
      } finally {
        stop = true;
        await Promise.all(writers);
      }
      assert.deepEqual(writeErrors.slice(0, 10), [], `${writeErrors.length} writes failed`);
      if (testCase.updateStreamMs > 0) {
        assert.ok(sawUpdating, 'the stream was seen UPDATING during a reshard');
        assert.ok(acksWhileUpdating > 0, 'writes were acknowledged while the stream was UPDATING');
      }
      t.diagnostic(`${acks.size} records acknowledged; ${acksWhileUpdating} while UPDATING`);

      // ---- read back as KCL does: parents fully read before their children ----
      const shards = await listAllShards();
      const byId = new Map(shards.map((shard) => [shard.ShardId!, shard]));
      assertLineage(shards);
      assertEvenRanges(shards, 3, 'the final stream');
      assertTiles(openShardsOf(shards), 'the final open shards');

      const readOrder: ReadRecord[] = [];
      const recordsByShard = new Map<string, ReadRecord[]>();
      const finished = new Set<string>();
      const parentsOf = (shard: Shard) =>
        [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => id !== undefined && byId.has(id));

      const readWholeShard = async (shard: Shard) => {
        const shardId = shard.ShardId!;
        const closed = !isOpen(shard);
        const starting = BigInt(shard.SequenceNumberRange!.StartingSequenceNumber!);
        const ending = closed ? BigInt(shard.SequenceNumberRange!.EndingSequenceNumber!) : undefined;
        const records: ReadRecord[] = [];
        let previous = starting;
        let iterator = (await client.send(new GetShardIteratorCommand({ StreamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' })))
          .ShardIterator;
        for (let call = 0; call < MAX_GET_RECORDS_CALLS; call++) {
          const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 + random(400) }));
          for (const record of page.Records ?? []) {
            const number = BigInt(record.SequenceNumber!);
            assert.ok(number > previous, `${shardId}: ${record.SequenceNumber} rises above ${previous} (and the StartingSequenceNumber)`);
            if (ending !== undefined) assert.ok(number <= ending, `${shardId}: ${record.SequenceNumber} <= EndingSequenceNumber ${ending}`);
            previous = number;
            const { key, counter } = parseData(record.Data);
            assert.equal(record.PartitionKey, key, `${shardId}: ${record.SequenceNumber} keeps its partition key`);
            records.push({ shardId, sequenceNumber: record.SequenceNumber!, key, counter });
          }
          if (page.NextShardIterator === undefined) {
            assert.ok(closed, `${shardId} is open in ListShards, yet GetRecords ended it (ChildShards ${JSON.stringify(page.ChildShards)})`);
            assert.equal(page.MillisBehindLatest, 0, `${shardId}: at the end of a closed shard nothing is behind`);
            const expected = childrenOf(shards, shardId);
            assert.ok(expected.length > 0, `${shardId}: a closed shard has children`);
            assert.deepEqual(normaliseChildShards(page.ChildShards), expected, `${shardId}: ChildShards match ListShards' lineage`);
            recordsByShard.set(shardId, records);
            return;
          }
          assert.equal((page.ChildShards ?? []).length, 0, `${shardId}: ChildShards only at the end of a closed shard`);
          if (!closed && (page.Records ?? []).length === 0 && page.MillisBehindLatest === 0) {
            recordsByShard.set(shardId, records);
            return;
          }
          iterator = page.NextShardIterator;
        }
        throw new Error(`${shardId}: not read to its end after ${MAX_GET_RECORDS_CALLS} GetRecords calls (${records.length} records)`);
      };

      for (let round = 0; round <= shards.length && finished.size < shards.length; round++) {
        const ready = shards.filter((shard) => !finished.has(shard.ShardId!) && parentsOf(shard).every((id) => finished.has(id)));
        assert.ok(ready.length > 0, `some unread shard has all its parents read (read ${[...finished].join(', ')})`);
        for (const shard of ready) {
          await readWholeShard(shard);
          readOrder.push(...recordsByShard.get(shard.ShardId!)!);
          finished.add(shard.ShardId!);
        }
      }
      assert.equal(finished.size, shards.length, 'every shard was read');
      t.diagnostic(`${shards.length} shards in the lineage, ${[...recordsByShard.values()].filter((r) => r.length > 0).length} with records`);

      // Every acknowledged record exactly once, from the shard that acknowledged it.
      const seen = new Map<string, ReadRecord>();
      const duplicates: string[] = [];
      const unknown: string[] = [];
      const wrongShard: string[] = [];
      for (const record of readOrder) {
        if (seen.has(record.sequenceNumber)) duplicates.push(`${record.sequenceNumber} in ${seen.get(record.sequenceNumber)!.shardId} and ${record.shardId}`);
        seen.set(record.sequenceNumber, record);
        const ack = acks.get(record.sequenceNumber);
        if (!ack) unknown.push(`${record.shardId} ${record.sequenceNumber} ${record.key}#${record.counter}`);
        else if (ack.shardId !== record.shardId || ack.key !== record.key || ack.counter !== record.counter) {
          wrongShard.push(`${record.sequenceNumber}: acknowledged ${ack.shardId} ${ack.key}#${ack.counter}, read ${record.shardId} ${record.key}#${record.counter}`);
        }
      }
      const missing = [...acks].filter(([sequenceNumber]) => !seen.has(sequenceNumber)).map(([sequenceNumber, ack]) => `${ack.shardId} ${sequenceNumber} ${ack.key}#${ack.counter}`);
      assert.deepEqual(duplicates.slice(0, 10), [], `${duplicates.length} records read twice`);
      assert.deepEqual(unknown.slice(0, 10), [], `${unknown.length} records read that were never acknowledged`);
      assert.deepEqual(wrongShard.slice(0, 10), [], `${wrongShard.length} records read elsewhere than acknowledged`);
      assert.deepEqual(missing.slice(0, 10), [], `${missing.length} of ${acks.size} acknowledged records are missing`);
      assert.equal(readOrder.length, acks.size);

      // Per key, the order written, following parents before children.
      const lastCounter = new Map<string, { counter: number; shardId: string }>();
      for (const record of readOrder) {
        const last = lastCounter.get(record.key);
        if (last) {
          assert.ok(
            record.counter > last.counter,
            `${record.key}: #${record.counter} (${record.shardId}) read after #${last.counter} (${last.shardId})`,
          );
        }
        lastCounter.set(record.key, { counter: record.counter, shardId: record.shardId });
      }

      // A write sent after a reshard finished never lands in a shard that reshard (or an earlier one) closed.
      const lateWrites = [...acks]
        .filter(([, ack]) => closedAfter[ack.stepAtSend]!.has(ack.shardId))
        .map(([sequenceNumber, ack]) => `${ack.key}#${ack.counter} sent after step ${ack.stepAtSend} landed in closed ${ack.shardId} (${sequenceNumber})`);
      assert.deepEqual(lateWrites.slice(0, 10), [], `${lateWrites.length} writes landed in already-closed shards`);
      // Writes went on through every generation: shards created by the reshards took records.
      const initialIds = new Set(['shardId-000000000000', 'shardId-000000000001']);
      for (const shard of openShardsOf(shards)) assert.ok(!initialIds.has(shard.ShardId!));
      assert.ok(
        [...recordsByShard].some(([shardId, records]) => !initialIds.has(shardId) && !isOpen(byId.get(shardId)!) && records.length > 0),
        'some shard created by a reshard and closed by a later one holds records',
      );
      assert.ok(openShardsOf(shards).every((shard) => recordsByShard.get(shard.ShardId!)!.length > 0), 'every final open shard took writes');

      // A closed parent stays readable: AT_SEQUENCE_NUMBER of its last record, then AFTER it, then LATEST.
      const closedWithRecords = shards.filter((shard) => !isOpen(shard) && recordsByShard.get(shard.ShardId!)!.length > 0);
      assert.ok(closedWithRecords.length > 0);
      for (const shard of closedWithRecords) {
        const shardId = shard.ShardId!;
        const last = recordsByShard.get(shardId)!.at(-1)!;
        const expectedChildren = childrenOf(shards, shardId);

        const at = (
          await client.send(
            new GetShardIteratorCommand({ StreamName, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: last.sequenceNumber }),
          )
        ).ShardIterator;
        const atPage = await client.send(new GetRecordsCommand({ ShardIterator: at }));
        assert.deepEqual(atPage.Records!.map((record) => record.SequenceNumber), [last.sequenceNumber], `${shardId}: AT_SEQUENCE_NUMBER of its last record`);
        assert.equal(atPage.NextShardIterator, undefined, `${shardId}: the last record's page ends the closed shard`);
        assert.deepEqual(normaliseChildShards(atPage.ChildShards), expectedChildren);

        const afterLast = (
          await client.send(
            new GetShardIteratorCommand({ StreamName, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: last.sequenceNumber }),
          )
        ).ShardIterator;
        const afterPage = await client.send(new GetRecordsCommand({ ShardIterator: afterLast }));
        assert.deepEqual(afterPage.Records, [], `${shardId}: nothing after its last record`);
        assert.equal(afterPage.NextShardIterator, undefined);
        assert.deepEqual(normaliseChildShards(afterPage.ChildShards), expectedChildren);
      }
      for (const shard of shards.filter((candidate) => !isOpen(candidate))) {
        const shardId = shard.ShardId!;
        const latest = (await client.send(new GetShardIteratorCommand({ StreamName, ShardId: shardId, ShardIteratorType: 'LATEST' }))).ShardIterator;
        assert.ok(latest, `${shardId}: GetShardIterator LATEST on a closed shard answers an iterator`);
        const page = await client.send(new GetRecordsCommand({ ShardIterator: latest }));
        assert.deepEqual(page.Records, [], `${shardId}: LATEST on a closed shard reads nothing`);
        assert.equal(page.NextShardIterator, undefined, `${shardId}: LATEST on a closed shard has no NextShardIterator`);
        assert.deepEqual(normaliseChildShards(page.ChildShards), childrenOf(shards, shardId), `${shardId}: LATEST on a closed shard answers ChildShards`);
      }
    });
  });
}
