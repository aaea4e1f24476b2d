import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import {
  killRiffle,
  kinesisClient,
  kinesisJson,
  readShard,
  seededRandom,
  startRiffle,
  testSeed,
  type RiffleProcess,
} from '@riffle/testkit';

// "Nothing lost" across resharding: two writers put records while one reshard (SplitShard, MergeShards or
// UpdateShardCount, valid for the layout of the moment) is sent, and the server is killed with -9 a few
// milliseconds after it, before or after its answer, sometimes while the reshard waits in UPDATING. After every
// restart on the same data directory: the lineage is well formed, an acknowledged reshard has happened (a pending
// one completes), an unacknowledged one has happened wholly or not at all, and every acknowledged record is read
// exactly once, from the shard that acknowledged it, following parents before children.

const ROUNDS = 10;
const WRITERS = 2;
const KEYS_PER_WRITER = 40;
const MAX_OPEN_SHARDS = 8;
/** AWS: at most 10 UpdateShardCount a stream in a rolling 24 hours (Riffle enforces it even with limits off). */
const SCALING_PER_DAY = 10;
/** Lifecycle delay of the rounds that leave the reshard pending: longer than any kill delay. */
const UPDATING_MS = 200;
const MAX_KILL_DELAY_MS = 150;
/** Bounds: requests per writer per round, acknowledged requests before the reshard, polls, pages, reads. */
const MAX_REQUESTS_PER_WRITER = 1500;
const MAX_ACKS_BEFORE_RESHARD = 60;
const MAX_STATUS_POLLS = 300;
const MAX_LIST_PAGES = 50;
const MAX_GET_RECORDS_CALLS = 500;
const MAX_HASH_KEY = 2n ** 128n - 1n;
const StreamName = 'crash-resharding';

interface Sent {
  key: string;
  counter: number;
}

interface Acked {
  shardId: string;
  sequenceNumber: string;
}

interface Range {
  start: bigint;
  end: bigint;
}

/** The reshard of the last round, to be judged after the restart. */
interface Pending {
  describe: string;
  acknowledged: boolean;
  updateMs: number;
  /** The open shards when it was sent. */
  oldOpen: { shardId: string; range: Range }[];
  /** The open ranges it leads to. */
  newRanges: Range[];
}

const startOf = (shard: Shard) => BigInt(shard.HashKeyRange!.StartingHashKey!);
const endOf = (shard: Shard) => BigInt(shard.HashKeyRange!.EndingHashKey!);
const isOpen = (shard: Shard) => shard.SequenceNumberRange!.EndingSequenceNumber === undefined;
const byStart = (a: Range, b: Range) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
const rangeOf = (shard: Shard): Range => ({ start: startOf(shard), end: endOf(shard) });
const layoutText = (ranges: readonly Range[]) => [...ranges].sort(byStart).map((range) => `${range.start}-${range.end}`).join(',');

function openShardsOf(shards: readonly Shard[]): Shard[] {
  return shards.filter(isOpen).sort((a, b) => byStart(rangeOf(a), rangeOf(b)));
}

function evenRanges(count: number): Range[] {
  const width = (MAX_HASH_KEY + 1n) / BigInt(count);
  return Array.from({ length: count }, (_, i) => ({
    start: BigInt(i) * width,
    end: i === count - 1 ? MAX_HASH_KEY : BigInt(i + 1) * width - 1n,
  }));
}

function hashKeyOf(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** (a) Open shards tile 0..2^128-1; every parent is a closed shard of the list; splits and merges are whole. */
function assertLineage(shards: readonly Shard[], label: string): void {
  const open = openShardsOf(shards);
  assert.ok(open.length > 0, `${label}: some open shard`);
  let expectedStart = 0n;
  for (const shard of open) {
    assert.equal(startOf(shard), expectedStart, `${label}: open ${shard.ShardId} starts where the previous open shard ended (no gap, no overlap)`);
    assert.ok(endOf(shard) >= startOf(shard), `${label}: ${shard.ShardId} has a non-empty range`);
    expectedStart = endOf(shard) + 1n;
  }
  assert.equal(expectedStart, MAX_HASH_KEY + 1n, `${label}: the last open shard ends at 2^128-1`);

  const byId = new Map(shards.map((shard) => [shard.ShardId!, shard]));
  assert.equal(byId.size, shards.length, `${label}: shard ids are unique`);
  for (const shard of shards) {
    const id = shard.ShardId!;
    const starting = BigInt(shard.SequenceNumberRange!.StartingSequenceNumber!);
    if (!isOpen(shard)) {
      assert.ok(BigInt(shard.SequenceNumberRange!.EndingSequenceNumber!) >= starting, `${label}: ${id} ends at or after its start`);
    }
    if (shard.AdjacentParentShardId !== undefined) assert.ok(shard.ParentShardId !== undefined, `${label}: ${id}: an adjacent parent only beside a parent`);
    for (const parentId of [shard.ParentShardId, shard.AdjacentParentShardId]) {
      if (parentId === undefined) continue;
      const parent = byId.get(parentId);
      assert.ok(parent, `${label}: ${id}'s parent ${parentId} is listed`);
      assert.ok(parent.SequenceNumberRange?.EndingSequenceNumber !== undefined, `${label}: ${id}'s parent ${parentId} is closed (has an EndingSequenceNumber)`);
    }
    if (shard.AdjacentParentShardId !== undefined) {
      const [lower, upper] = [byId.get(shard.ParentShardId!)!, byId.get(shard.AdjacentParentShardId)!].sort((a, b) => byStart(rangeOf(a), rangeOf(b)));
      assert.equal(endOf(lower!) + 1n, startOf(upper!), `${label}: ${id}'s two parents are adjacent`);
      assert.deepEqual(rangeOf(shard), { start: startOf(lower!), end: endOf(upper!) }, `${label}: merge child ${id} covers both parents`);
    }
  }
  for (const shard of shards) {
    if (isOpen(shard)) continue;
    const id = shard.ShardId!;
    const children = shards.filter((child) => child.ParentShardId === id || child.AdjacentParentShardId === id);
    if (children.some((child) => child.AdjacentParentShardId !== undefined)) {
      assert.equal(children.length, 1, `${label}: merged ${id} has exactly one child`);
    } else {
      assert.equal(children.length, 2, `${label}: closed ${id} was split in two or merged once (children ${children.map((c) => c.ShardId).join(', ')})`);
      const [low, high] = [...children].sort((a, b) => byStart(rangeOf(a), rangeOf(b)));
      assert.equal(startOf(low!), startOf(shard), `${label}: ${id}'s lower child starts where it starts`);
      assert.equal(endOf(low!) + 1n, startOf(high!), `${label}: ${id}'s children are adjacent`);
      assert.equal(endOf(high!), endOf(shard), `${label}: ${id}'s upper child ends where it ends`);
    }
  }
}

describe('crash recovery: kill -9 around SplitShard, MergeShards and UpdateShardCount', () => {
  const seed = testSeed();
  /** Round plans (reshard, when, kill delay) and the writers' records draw apart, so that a seed repeats the plans. */
  const plan = seededRandom(seed);
  const random = seededRandom(seed ^ 0x5bd1e995);
  let dataDir: string;
  let riffle: RiffleProcess | undefined;
  /** Every record sent (acknowledged or not), by id: nothing else may ever be read. */
  const sent = new Map<string, Sent>();
  /** Acknowledged records by id. */
  const acked = new Map<string, Acked>();
  /** Records read after a restart: recovered from disk, they stay where they were, with the same number. */
  const readBefore = new Map<string, Acked>();
  /** The shard list seen after the last restart: no shard disappears, none reopens, none moves. */
  let knownShards = new Map<string, Shard>();
  const counters = new Map<string, number>();
  let pending: Pending | undefined;
  let scalingSent = 0;
  let killsWithWritesInFlight = 0;
  const outcomes = { acknowledged: 0, unacknowledged: 0, pendingAtKill: 0 };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'riffle-crash-reshard-'));
  });

  after(async () => {
    if (riffle) await killRiffle(riffle);
    riffle = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(updateMs: number): Promise<RiffleProcess> {
    // Later flags win over fastArgs' --update-stream-ms 0.
    riffle = await startRiffle({ dataDir, args: ['--update-stream-ms', String(updateMs)] });
    return riffle;
  }

  async function listAllShards(client: KinesisClient): Promise<Shard[]> {
    const shards: Shard[] = [];
    let page = await client.send(new ListShardsCommand({ StreamName }));
    for (let n = 0; n < MAX_LIST_PAGES; n++) {
      shards.push(...(page.Shards ?? []));
      if (page.NextToken === undefined) return shards;
      page = await client.send(new ListShardsCommand({ NextToken: page.NextToken }));
    }
    throw new Error(`ListShards still had a NextToken after ${MAX_LIST_PAGES} pages`);
  }

  async function status(client: KinesisClient): Promise<string> {
    return (await client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!.StreamStatus!;
  }

  /**
   * (b) Right after a restart and until ACTIVE: the layout is the old one or the new one, never anything else;
   * once ACTIVE an acknowledged reshard has happened. Returns the shard list once ACTIVE.
   */
  async function settle(client: KinesisClient, label: string): Promise<{ shards: Shard[]; sawUpdating: boolean; layout: 'old' | 'new' | 'none' }> {
    const oldLayout = pending ? layoutText(pending.oldOpen.map((open) => open.range)) : undefined;
    const newLayout = pending ? layoutText(pending.newRanges) : undefined;
    let sawUpdating = false;
    for (let poll = 0; poll < MAX_STATUS_POLLS; poll++) {
      const current = await status(client);
      assert.ok(current === 'ACTIVE' || current === 'UPDATING', `${label}: the stream is ${current} after the restart`);
      if (current === 'UPDATING') sawUpdating = true;
      const shards = await listAllShards(client);
      assertLineage(shards, `${label} (${current})`);
      const layout = layoutText(openShardsOf(shards).map(rangeOf));
      if (pending) {
        assert.ok(
          layout === oldLayout || layout === newLayout,
          `${label}: after ${pending.describe} the open layout is the old or the new one\n  old ${oldLayout}\n  new ${newLayout}\n  got ${layout}`,
        );
      }
      if (current === 'ACTIVE') {
        if (!pending) return { shards, sawUpdating, layout: 'none' };
        if (pending.acknowledged) {
          assert.equal(layout, newLayout, `${label}: ${pending.describe} was acknowledged; once ACTIVE its layout is there`);
        }
        if (layout === oldLayout && oldLayout !== newLayout) {
          assert.deepEqual(
            openShardsOf(shards).map((shard) => shard.ShardId),
            pending.oldOpen.map((open) => open.shardId),
            `${label}: ${pending.describe} did not happen: the same shards are open`,
          );
        }
        return { shards, sawUpdating, layout: layout === newLayout ? 'new' : 'old' };
      }
      await sleep(20);
    }
    assert.fail(`${label}: the stream is not ACTIVE after ${MAX_STATUS_POLLS} polls`);
  }

  /** No shard disappears; a closed shard stays closed where it ended; an open one keeps its range and start. */
  function checkAgainstKnown(shards: readonly Shard[], label: string): void {
    const byId = new Map(shards.map((shard) => [shard.ShardId!, shard]));
    for (const [id, known] of knownShards) {
      const now = byId.get(id);
      assert.ok(now, `${label}: ${id}, listed before, is still listed`);
      assert.deepEqual(rangeOf(now), rangeOf(known), `${label}: ${id} keeps its hash key range`);
      assert.equal(now.ParentShardId, known.ParentShardId, `${label}: ${id} keeps its parent`);
      assert.equal(now.AdjacentParentShardId, known.AdjacentParentShardId, `${label}: ${id} keeps its adjacent parent`);
      assert.equal(
        now.SequenceNumberRange!.StartingSequenceNumber,
        known.SequenceNumberRange!.StartingSequenceNumber,
        `${label}: ${id} keeps its StartingSequenceNumber`,
      );
      if (!isOpen(known)) {
        assert.equal(
          now.SequenceNumberRange!.EndingSequenceNumber,
          known.SequenceNumberRange!.EndingSequenceNumber,
          `${label}: closed ${id} stays closed at the same EndingSequenceNumber`,
        );
      }
    }
    knownShards = new Map(shards.map((shard) => [shard.ShardId!, shard]));
  }

  /** (c) Every shard read from TRIM_HORIZON, parents before children, against the acknowledged records. */
  async function verifyRecords(client: KinesisClient, shards: readonly Shard[], label: string): Promise<{ stored: number; unacknowledgedStored: number }> {
    const byId = new Map(shards.map((shard) => [shard.ShardId!, shard]));
    const parentsOf = (shard: Shard) => [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => id !== undefined);
    const finished = new Set<string>();
    const readOrder: { id: string; key: string; counter: number; shardId: string; sequenceNumber: string }[] = [];
    const seenIds = new Map<string, Acked>();
    const seenSequenceNumbers = new Set<string>();
    for (let wave = 0; wave <= shards.length && finished.size < shards.length; wave++) {
      const ready = shards.filter((shard) => !finished.has(shard.ShardId!) && parentsOf(shard).every((id) => finished.has(id)));
      assert.ok(ready.length > 0, `${label}: some unread shard has all its parents read`);
      for (const shard of ready) {
        const shardId = shard.ShardId!;
        const range = rangeOf(shard);
        const starting = BigInt(shard.SequenceNumberRange!.StartingSequenceNumber!);
        const ending = isOpen(shard) ? undefined : BigInt(shard.SequenceNumberRange!.EndingSequenceNumber!);
        let previous = -1n;
        for (const record of await readShard(client, StreamName, shardId, { maxCalls: MAX_GET_RECORDS_CALLS })) {
          const sequenceNumber = record.SequenceNumber!;
          const number = BigInt(sequenceNumber);
          assert.ok(number > previous, `${label}: ${shardId}: ${sequenceNumber} rises strictly above ${previous}`);
          previous = number;
          assert.ok(number >= starting, `${label}: ${shardId}: ${sequenceNumber} is not below its StartingSequenceNumber ${starting}`);
          if (ending !== undefined) assert.ok(number <= ending, `${label}: closed ${shardId}: ${sequenceNumber} <= EndingSequenceNumber ${ending}`);
          assert.ok(!seenSequenceNumbers.has(sequenceNumber), `${label}: sequence number ${sequenceNumber} is read once`);
          seenSequenceNumbers.add(sequenceNumber);
          const { id, key, counter } = JSON.parse(Buffer.from(record.Data!).toString('utf8')) as { id: string; key: string; counter: number };
          const wrote = sent.get(id);
          assert.ok(wrote, `${label}: ${shardId} ${sequenceNumber} holds record ${id}, which was sent`);
          assert.equal(record.PartitionKey, wrote.key, `${label}: ${id} keeps its partition key`);
          assert.equal(counter, wrote.counter, `${label}: ${id} keeps its bytes`);
          const hashKey = hashKeyOf(key);
          assert.ok(hashKey >= range.start && hashKey <= range.end, `${label}: ${id} (key ${key}) is in ${shardId}, whose range holds its hash key`);
          const earlier = seenIds.get(id);
          assert.ok(!earlier, `${label}: ${id} is read once (${earlier?.shardId} ${earlier?.sequenceNumber} and ${shardId} ${sequenceNumber})`);
          seenIds.set(id, { shardId, sequenceNumber });
          readOrder.push({ id, key, counter, shardId, sequenceNumber });
        }
        finished.add(shardId);
      }
    }
    assert.equal(finished.size, byId.size, `${label}: every shard was read`);

    for (const [what, expected] of [
      ['acknowledged', acked],
      ['read after an earlier restart', readBefore],
    ] as const) {
      const missing: string[] = [];
      const moved: string[] = [];
      for (const [id, where] of expected) {
        const found = seenIds.get(id);
        if (!found) missing.push(`${id} (${where.shardId} ${where.sequenceNumber})`);
        else if (found.shardId !== where.shardId || found.sequenceNumber !== where.sequenceNumber) {
          moved.push(`${id}: ${where.shardId} ${where.sequenceNumber}, read at ${found.shardId} ${found.sequenceNumber}`);
        }
      }
      assert.deepEqual(moved.slice(0, 10), [], `${label}: ${moved.length} ${what} records are read elsewhere`);
      assert.deepEqual(missing.slice(0, 10), [], `${label}: ${missing.length} of ${expected.size} ${what} records are missing`);
    }

    // Each writer waits for one answer before its next request: per key, parents before children, in the order sent.
    const lastCounter = new Map<string, { counter: number; shardId: string }>();
    for (const record of readOrder) {
      const last = lastCounter.get(record.key);
      if (last) {
        assert.ok(record.counter > last.counter, `${label}: ${record.key}: #${record.counter} (${record.shardId}) read after #${last.counter} (${last.shardId})`);
      }
      lastCounter.set(record.key, { counter: record.counter, shardId: record.shardId });
    }
    for (const [id, where] of seenIds) readBefore.set(id, where);
    return { stored: seenIds.size, unacknowledgedStored: [...seenIds.keys()].filter((id) => !acked.has(id)).length };
  }

  /** A reshard valid for the open shards now, chosen at random among the kinds that are. */
  function planReshard(shards: readonly Shard[]): { describe: string; operation: string; input: unknown; newRanges: Range[]; scaling: boolean } {
    const open = openShardsOf(shards);
    const ranges = open.map(rangeOf);
    const kinds: ('split' | 'merge' | 'scale')[] = [];
    const splittable = open.filter((shard) => endOf(shard) - startOf(shard) > 8n);
    if (open.length < MAX_OPEN_SHARDS && splittable.length > 0) kinds.push('split');
    if (open.length > 1) kinds.push('merge');
    const targets: number[] = [];
    for (let target = Math.ceil(open.length / 2); target <= Math.min(2 * open.length, MAX_OPEN_SHARDS); target++) {
      if (target !== open.length) targets.push(target);
    }
    if (scalingSent < SCALING_PER_DAY && targets.length > 0) kinds.push('scale');
    const kind = kinds[plan(kinds.length)]!;
    if (kind === 'split') {
      const shard = splittable[plan(splittable.length)]!;
      const middle = startOf(shard) + (endOf(shard) - startOf(shard) + 1n) / 2n;
      return {
        describe: `SplitShard ${shard.ShardId} at ${middle} (${open.length} open)`,
        operation: 'SplitShard',
        input: { StreamName, ShardToSplit: shard.ShardId, NewStartingHashKey: middle.toString() },
        newRanges: [...ranges.filter((range) => range.start !== startOf(shard)), { start: startOf(shard), end: middle - 1n }, { start: middle, end: endOf(shard) }],
        scaling: false,
      };
    }
    if (kind === 'merge') {
      const lower = plan(open.length - 1);
      const [a, b] = [open[lower]!, open[lower + 1]!];
      const [first, second] = plan(2) === 0 ? [a, b] : [b, a];
      return {
        describe: `MergeShards ${first.ShardId} + ${second.ShardId} (${open.length} open)`,
        operation: 'MergeShards',
        input: { StreamName, ShardToMerge: first.ShardId, AdjacentShardToMerge: second.ShardId },
        newRanges: [...ranges.filter((range) => range.start !== startOf(a) && range.start !== startOf(b)), { start: startOf(a), end: endOf(b) }],
        scaling: false,
      };
    }
    const target = targets[plan(targets.length)]!;
    return {
      describe: `UpdateShardCount ${open.length} -> ${target}`,
      operation: 'UpdateShardCount',
      input: { StreamName, TargetShardCount: target, ScalingType: 'UNIFORM_SCALING' },
      newRanges: evenRanges(target),
      scaling: true,
    };
  }

  /** Writers put records; after a random number of answers the reshard is sent, and a moment later: kill -9. */
  async function writeReshardKill(server: RiffleProcess, client: KinesisClient, round: number, updateMs: number, shards: readonly Shard[]) {
    const reshard = planReshard(shards);
    const oldOpen = openShardsOf(shards).map((shard) => ({ shardId: shard.ShardId!, range: rangeOf(shard) }));
    const acksBeforeReshard = 1 + plan(MAX_ACKS_BEFORE_RESHARD);
    // Half the kills come almost at once (often before the answer), the others anywhere up to 150 ms.
    const killDelayMs = plan(2) === 0 ? plan(6) : plan(MAX_KILL_DELAY_MS + 1);
    const unexpected: string[] = [];
    let killed = false;
    let inFlight = 0;
    let inFlightAtKill = 0;
    let ackedRequests = 0;
    let ackedRecords = 0;
    let onTrigger: () => void = () => {};
    const triggered = new Promise<void>((resolve) => (onTrigger = resolve));

    const writer = async (w: number) => {
      for (let request = 0; request < MAX_REQUESTS_PER_WRITER && !killed; request++) {
        const count = random(3) === 0 ? 0 : 1 + random(20);
        const records = Array.from({ length: Math.max(1, count) }, (_, n) => {
          const key = `w${w}-k${random(KEYS_PER_WRITER)}`;
          const counter = (counters.get(key) ?? 0) + 1;
          counters.set(key, counter);
          const id = `r${round}-w${w}-${request}-${n}`;
          sent.set(id, { key, counter });
          return { id, key, Data: Buffer.from(JSON.stringify({ id, key, counter, pad: 'x'.repeat(random(200)) })) };
        });
        inFlight++;
        try {
          if (count === 0) {
            const [record] = records;
            const answer = await client.send(new PutRecordCommand({ StreamName, PartitionKey: record!.key, Data: record!.Data }));
            acked.set(record!.id, { shardId: answer.ShardId!, sequenceNumber: answer.SequenceNumber! });
            ackedRecords++;
          } else {
            const answer = await client.send(
              new PutRecordsCommand({ StreamName, Records: records.map((record) => ({ PartitionKey: record.key, Data: record.Data })) }),
            );
            answer.Records!.forEach((entry, i) => {
              // Limits are off: a refused entry before the kill would be a bug; after it, the entry is simply not there.
              if (entry.ErrorCode !== undefined) {
                if (!killed) unexpected.push(`writer ${w}: ${records[i]!.id}: ${entry.ErrorCode} ${entry.ErrorMessage}`);
                return;
              }
              acked.set(records[i]!.id, { shardId: entry.ShardId!, sequenceNumber: entry.SequenceNumber! });
              ackedRecords++;
            });
          }
          ackedRequests++;
          if (ackedRequests >= acksBeforeReshard) onTrigger();
        } catch (error) {
          if (!killed) unexpected.push(`writer ${w}: ${(error as Error).name}: ${(error as Error).message}`);
          return;
        } finally {
          inFlight--;
        }
      }
    };

    const writers = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    await Promise.race([triggered, writers]);
    if (reshard.scaling) scalingSent++;
    const answer = kinesisJson(server.endpoint, reshard.operation, reshard.input).then(
      (response) => response,
      (error: Error) => ({ status: 0, body: { error: `${error.name}: ${error.message}` } }),
    );
    await sleep(killDelayMs);
    killed = true;
    inFlightAtKill = inFlight;
    server.child.kill('SIGKILL');
    const response = await answer;
    await writers;
    assert.equal(await server.exited, 'SIGKILL', 'the server ran until it was killed');
    riffle = undefined;
    assert.deepEqual(unexpected.slice(0, 10), [], `${unexpected.length} writes failed before the kill`);
    // The reshard is valid for the layout: an answer, if any came, accepts it.
    const acknowledged = response.status === 200;
    if (response.status !== 0) assert.equal(response.status, 200, `${reshard.describe}: ${JSON.stringify(response.body)}`);
    if (acknowledged && reshard.operation === 'UpdateShardCount') {
      assert.equal(response.body.CurrentShardCount, oldOpen.length, `${reshard.describe}: CurrentShardCount`);
      assert.equal(response.body.TargetShardCount, reshard.newRanges.length, `${reshard.describe}: TargetShardCount`);
    }
    pending = { describe: reshard.describe, acknowledged, updateMs, oldOpen, newRanges: reshard.newRanges };
    if (acknowledged) outcomes.acknowledged++;
    else outcomes.unacknowledged++;
    if (acknowledged && updateMs > 0) outcomes.pendingAtKill++;
    if (inFlightAtKill > 0) killsWithWritesInFlight++;
    return {
      line:
        `${reshard.describe} after ${acksBeforeReshard} answered writes, kill -9 ${killDelayMs} ms later: ` +
        `${acknowledged ? 'acknowledged' : `no answer (${JSON.stringify(response.body)})`}; ` +
        `${ackedRequests} requests (${ackedRecords} records) acknowledged this round, ${inFlightAtKill} in flight at the kill`,
    };
  }

  async function restartAndCheck(client: KinesisClient, label: string): Promise<string> {
    const { shards, sawUpdating, layout } = await settle(client, label);
    checkAgainstKnown(shards, label);
    const { stored, unacknowledgedStored } = await verifyRecords(client, shards, label);
    const previous = pending;
    pending = undefined;
    return (
      `after the restart: ${previous ? `${previous.describe} (${previous.acknowledged ? 'acknowledged' : 'unacknowledged'}, ` +
        `--update-stream-ms ${previous.updateMs}) -> ${layout} layout${sawUpdating ? ', seen UPDATING first' : ''}; ` : ''}` +
      `${shards.length} shards (${openShardsOf(shards).length} open), ${stored} records stored ` +
      `(${unacknowledgedStored} unacknowledged), ${acked.size} acknowledged`
    );
  }

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: restart, check, write and reshard, kill -9`, { timeout: 60_000 }, async (t) => {
      if (round === 1) t.diagnostic(`seed ${seed} (RIFFLE_TEST_SEED=${seed} repeats this run)`);
      // Odd rounds reshard at once; even rounds leave the reshard in UPDATING past the kill.
      const updateMs = round % 2 === 1 ? 0 : UPDATING_MS;
      const server = await start(updateMs);
      const client = kinesisClient(server.endpoint, { http: '1.1' });
      try {
        let checked = '';
        if (round === 1) {
          const created = await kinesisJson(server.endpoint, 'CreateStream', { StreamName, ShardCount: 1 + plan(3) });
          assert.equal(created.status, 200, JSON.stringify(created.body));
          checked = (await restartAndCheck(client, `round ${round} start`)).replace('after the restart: ', 'created: ');
        } else {
          checked = await restartAndCheck(client, `round ${round} start`);
        }
        const { line } = await writeReshardKill(server, client, round, updateMs, [...knownShards.values()]);
        t.diagnostic(`--update-stream-ms ${updateMs}; ${checked}; ${line}`);
      } finally {
        client.destroy();
        // A round that failed before its kill must not leave a second server on the data directory.
        if (riffle) await killRiffle(riffle);
        riffle = undefined;
      }
    });
  }

  it('after the last kill: the lineage and every acknowledged record are there, and the server stops cleanly', { timeout: 60_000 }, async (t) => {
    const server = await start(0);
    const client = kinesisClient(server.endpoint, { http: '1.1' });
    try {
      t.diagnostic(await restartAndCheck(client, 'final'));
      t.diagnostic(
        `reshards: ${outcomes.acknowledged} acknowledged (${outcomes.pendingAtKill} of them pending in UPDATING at the kill), ` +
          `${outcomes.unacknowledged} unanswered; ${scalingSent} UpdateShardCount sent; ${sent.size} records sent`,
      );
    } finally {
      client.destroy();
    }
    // The kills are meant to land among writes; were none, this file would test clean restarts only.
    assert.ok(killsWithWritesInFlight > 0, 'some kill came while writes were in flight');
    riffle = undefined;
    assert.equal(await server.stop(), 0);
  });
});
