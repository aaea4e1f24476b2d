import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createMemoryStorage } from '@riffle/storage';
import { Engine, FakeClock, initialHashRanges, MAX_HASH_KEY, type ShardSnapshot } from '@riffle/engine';
import { assertEngineError, bytes, splitStreamRecord, startEngine, testConfig } from './engine-fixture.js';

const DAY_MS = 86_400_000;

function open(shards: readonly ShardSnapshot[]): ShardSnapshot[] {
  return shards.filter((shard) => shard.endingSequenceNumber === undefined).sort((a, b) => (a.hashKeyRange.start < b.hashKeyRange.start ? -1 : 1));
}

/** Open shards cover 0..2^128-1 with no gap and no overlap. */
function assertTiles(shards: readonly ShardSnapshot[]): void {
  let next = 0n;
  for (const shard of open(shards)) {
    assert.equal(shard.hashKeyRange.start, next, `gap or overlap before ${shard.shardId}`);
    next = shard.hashKeyRange.end + 1n;
  }
  assert.equal(next, MAX_HASH_KEY + 1n);
}

async function readShard(engine: Engine, stream: string, shardId: string) {
  const records: string[] = [];
  let iterator: string | undefined = await engine.getShardIterator(stream, shardId, 'TRIM_HORIZON');
  let childShards: readonly { shardId: string; parentShards: string[] }[] | undefined;
  for (let call = 0; iterator !== undefined && call < 100; call++) {
    const result = await engine.getRecords(iterator);
    records.push(...result.records.map((record) => Buffer.from(record.data).toString()));
    childShards = result.childShards;
    iterator = result.records.length === 0 && result.nextShardIterator !== undefined ? undefined : result.nextShardIterator;
  }
  return { records, childShards };
}

describe('SplitShard', () => {
  it('closes the parent at its last record and routes later writes to the two children', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', { data: bytes('before-low'), partitionKey: 'p', explicitHashKey: '1' });
    await engine.putRecord('s', { data: bytes('before-high'), partitionKey: 'p', explicitHashKey: MAX_HASH_KEY.toString() });
    const half = 2n ** 127n;
    await engine.splitShard('s', 'shardId-000000000000', half.toString());
    const after = await engine.putRecord('s', { data: bytes('after-low'), partitionKey: 'p', explicitHashKey: '1' });
    const high = await engine.putRecord('s', { data: bytes('after-high'), partitionKey: 'p', explicitHashKey: MAX_HASH_KEY.toString() });
    assert.deepEqual([after.shardId, high.shardId], ['shardId-000000000001', 'shardId-000000000002']);

    const [parent, low, upper] = engine.describeStream('s').shards;
    assert.ok(parent!.endingSequenceNumber);
    assert.deepEqual(low!.hashKeyRange, { start: 0n, end: half - 1n });
    assert.deepEqual(upper!.hashKeyRange, { start: half, end: MAX_HASH_KEY });
    assert.equal(low!.parentShardId, 'shardId-000000000000');
    assert.equal(upper!.parentShardId, 'shardId-000000000000');
    assert.equal(low!.adjacentParentShardId, undefined);

    const parentRead = await readShard(engine, 's', 'shardId-000000000000');
    assert.deepEqual(parentRead.records, ['before-low', 'before-high']);
    assert.deepEqual(parentRead.childShards?.map((child) => child.shardId), ['shardId-000000000001', 'shardId-000000000002']);
    assert.deepEqual((await readShard(engine, 's', 'shardId-000000000001')).records, ['after-low']);
    assert.deepEqual((await readShard(engine, 's', 'shardId-000000000002')).records, ['after-high']);
    assertTiles(engine.describeStream('s').shards);
  });

  it('keeps the stream UPDATING, with the old shards taking writes, until the update time has passed', async () => {
    const { engine, clock } = await startEngine({ updateStreamMs: 500 });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.splitShard('s', 'shardId-000000000000', (2n ** 127n).toString());
    assert.equal(engine.describeStream('s').status, 'UPDATING');
    assert.equal(engine.describeStream('s').shards.length, 1);
    const during = await engine.putRecord('s', { data: bytes('x'), partitionKey: 'p' });
    assert.equal(during.shardId, 'shardId-000000000000');
    await assertEngineError(() => engine.splitShard('s', 'shardId-000000000000', '5'), 'StreamNotActive');
    await clock.advance(500);
    const stream = engine.describeStream('s');
    assert.equal(stream.status, 'ACTIVE');
    assert.equal(stream.shards.length, 3);
    assert.deepEqual((await readShard(engine, 's', 'shardId-000000000000')).records, ['x']);
  });

  it('finishes an update that was pending when the engine stopped', async () => {
    const { engine, clock, storage } = await startEngine({ updateStreamMs: 500 });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', { data: bytes('x'), partitionKey: 'p' });
    await engine.splitShard('s', 'shardId-000000000000', (2n ** 127n).toString());
    await engine.close();
    const reopened = await Engine.open({ storage, clock, config: { ...engine.config } });
    assert.equal(reopened.describeStream('s').status, 'UPDATING');
    await clock.advance(500);
    assert.equal(reopened.describeStream('s').status, 'ACTIVE');
    assert.equal(reopened.describeStream('s').openShardCount, 2);
    assert.deepEqual((await readShard(reopened, 's', 'shardId-000000000000')).records, ['x']);
  });

  it('checks the shard, its state and the new starting hash key as AWS does', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    const end = initialHashRanges(2)[0]!.end;
    await assertEngineError(() => engine.splitShard('s', 'shardId-000000000009', '5'), 'CouldNotFindShard', {
      stream: 's',
      shardId: 'shardId-000000000009',
    });
    await assertEngineError(() => engine.splitShard('s', 'shardId-000000000000', '1'), 'InvalidSplitHashKey', {
      key: '1',
      shardId: 'shardId-000000000000',
      stream: 's',
      start: '0',
      end: end.toString(),
    });
    await assertEngineError(() => engine.splitShard('s', 'shardId-000000000000', end.toString()), 'InvalidSplitHashKey');
    await engine.splitShard('s', '0', '2');
    await assertEngineError(() => engine.splitShard('s', 'shardId-000000000000', '100'), 'ShardNotOpen', {
      stream: 's',
      shardId: 'shardId-000000000000',
    });
    await assertEngineError(() => engine.splitShard('nope', 'shardId-000000000000', '100'), 'StreamNotFound');
  });

  it('counts against the account shard quota', async () => {
    const { engine } = await startEngine({ shardLimit: 2 });
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.splitShard('s', 'shardId-000000000000', '100'), 'ShardLimitExceeded', {
      current: 2,
      limit: 2,
      additional: 1,
    });
  });

  it('is refused on on-demand streams', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND' });
    await assertEngineError(() => engine.splitShard('od', 'shardId-000000000000', '100'), 'NotSupportedOnDemand', {
      operation: 'SplitShard',
      stream: 'od',
    });
    await assertEngineError(() => engine.mergeShards('od', 'shardId-000000000000', 'shardId-000000000001'), 'NotSupportedOnDemand');
    await assertEngineError(() => engine.updateShardCount('od', 5), 'NotSupportedOnDemand');
  });

  it('never lets a record in flight land behind the parent’s end', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const writes = Array.from({ length: 200 }, (_, i) => engine.putRecord('s', { data: bytes(`r${i}`), partitionKey: `k${i}` }));
    const split = engine.splitShard('s', 'shardId-000000000000', (2n ** 127n).toString());
    const more = Array.from({ length: 200 }, (_, i) => engine.putRecord('s', { data: bytes(`r${200 + i}`), partitionKey: `k${i}` }));
    const results = await Promise.all([...writes, ...more]);
    await split;
    const read = new Map<string, string[]>();
    for (const shard of engine.describeStream('s').shards) read.set(shard.shardId, (await readShard(engine, 's', shard.shardId)).records);
    const all = [...read.values()].flat().sort();
    assert.deepEqual(all, results.map((_, i) => `r${i}`).sort());
    results.forEach((result, i) => assert.ok(read.get(result.shardId)!.includes(`r${i}`), `r${i} is in ${result.shardId}`));
  });
});

describe('MergeShards', () => {
  it('closes both parents and creates their union with parent and adjacent parent', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 3, mode: 'PROVISIONED' });
    await engine.putRecord('s', { data: bytes('a'), partitionKey: 'p', explicitHashKey: initialHashRanges(3)[2]!.start.toString() });
    await engine.mergeShards('s', 'shardId-000000000002', 'shardId-000000000001');
    const child = engine.describeStream('s').shards[3]!;
    assert.equal(child.shardId, 'shardId-000000000003');
    assert.equal(child.parentShardId, 'shardId-000000000002');
    assert.equal(child.adjacentParentShardId, 'shardId-000000000001');
    assert.deepEqual(child.hashKeyRange, { start: initialHashRanges(3)[1]!.start, end: MAX_HASH_KEY });
    assert.equal(engine.describeStream('s').openShardCount, 2);
    assertTiles(engine.describeStream('s').shards);
    const parent = await readShard(engine, 's', 'shardId-000000000002');
    assert.deepEqual(parent.records, ['a']);
    assert.deepEqual(parent.childShards, [
      {
        shardId: 'shardId-000000000003',
        parentShards: ['shardId-000000000002', 'shardId-000000000001'],
        hashKeyRange: child.hashKeyRange,
      },
    ]);
  });

  it('refuses shards that are not adjacent, unknown or already closed', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 3, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.mergeShards('s', 'shardId-000000000000', 'shardId-000000000002'), 'ShardsNotAdjacent', {
      stream: 's',
      shardId: 'shardId-000000000000',
      adjacentShardId: 'shardId-000000000002',
    });
    await assertEngineError(() => engine.mergeShards('s', 'shardId-000000000000', 'shardId-000000000007'), 'CouldNotFindShard');
    await engine.mergeShards('s', 'shardId-000000000000', 'shardId-000000000001');
    await assertEngineError(() => engine.mergeShards('s', 'shardId-000000000001', 'shardId-000000000002'), 'ShardNotOpen');
  });
});

describe('UpdateShardCount', () => {
  it('ends with the even ranges of the target, every shard with at most two parents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.double({ min: 0.5, max: 2, noNaN: true }), async (start, factor) => {
        const target = Math.max(1, Math.min(start * 2, Math.ceil(start * factor)));
        const { engine } = await startEngine({ shardLimit: 1000 });
        await engine.createStream({ name: 's', shardCount: start, mode: 'PROVISIONED' });
        const answer = await engine.updateShardCount('s', target);
        assert.deepEqual(answer, { current: start, target });
        const stream = engine.describeStream('s');
        const ranges = open(stream.shards).map((shard) => shard.hashKeyRange);
        assert.deepEqual(ranges, initialHashRanges(target));
        const byId = new Map(stream.shards.map((shard) => [shard.shardId, shard]));
        for (const shard of stream.shards) {
          for (const parent of [shard.parentShardId, shard.adjacentParentShardId]) {
            if (parent === undefined) continue;
            assert.ok(byId.get(parent)?.endingSequenceNumber, `${shard.shardId}'s parent ${parent} is closed`);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('keeps every record readable through the lineage', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 3, mode: 'PROVISIONED' });
    const written: string[] = [];
    const put = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const value = `v${written.length}`;
        written.push(value);
        await engine.putRecord('s', { data: bytes(value), partitionKey: value });
      }
    };
    await put(30);
    await engine.updateShardCount('s', 5);
    await put(30);
    await engine.updateShardCount('s', 3);
    await put(30);
    const read: string[] = [];
    for (const shard of engine.describeStream('s').shards) read.push(...(await readShard(engine, 's', shard.shardId)).records);
    assert.deepEqual(read.sort(), [...written].sort());
  });

  it('enforces double, half, the per-stream maximum and the account quota', async () => {
    const { engine } = await startEngine({ shardLimit: 10 });
    await engine.createStream({ name: 's', shardCount: 4, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.updateShardCount('s', 9), 'ScaleUpTooFar', { stream: 's', target: 9, current: 4 });
    await assertEngineError(() => engine.updateShardCount('s', 1), 'ScaleDownTooFar', { stream: 's', target: 1, current: 4 });
    await engine.createStream({ name: 'other', shardCount: 4, mode: 'PROVISIONED' });
    await assertEngineError(() => engine.updateShardCount('s', 8), 'ShardLimitExceeded', { current: 8, limit: 10, additional: 4 });
    await engine.updateShardCount('s', 2);
    assert.equal(engine.describeStream('s').openShardCount, 2);
  });

  it('allows ten scaling operations per stream in a rolling 24 hours', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    for (let i = 0; i < 10; i++) {
      await engine.updateShardCount('s', i % 2 === 0 ? 3 : 2);
      await clock.advance(60_000);
    }
    await assertEngineError(() => engine.updateShardCount('s', 3), 'DailyChangeLimit', { stream: 's', kind: 'scale', limit: 10 });
    await clock.advance(DAY_MS - 10 * 60_000 + 1);
    await engine.updateShardCount('s', 3);
  });
});

describe('expired parents', () => {
  it('stops listing and serving a closed shard once all its records are past retention, and forgets it', async () => {
    const { engine, clock, storage } = await startEngine({ retentionCheckMs: 0 });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', { data: bytes('old'), partitionKey: 'p' });
    await engine.splitShard('s', 'shardId-000000000000', (2n ** 127n).toString());
    await clock.advance(23 * 3_600_000);
    assert.equal(engine.describeStream('s').shards.length, 3);
    assert.deepEqual((await readShard(engine, 's', 'shardId-000000000000')).records, ['old']);
    await clock.advance(3_600_000);
    assert.deepEqual(engine.describeStream('s').shards.map((shard) => shard.shardId), ['shardId-000000000001', 'shardId-000000000002']);
    assert.equal(engine.describeStream('s').shards[0]!.parentShardId, 'shardId-000000000000');
    await assertEngineError(() => engine.getShardIterator('s', 'shardId-000000000000', 'TRIM_HORIZON'), 'ShardNotFound');
    await engine.sweepRetention();
    const record = (await storage.metadata.load()).streams[0]!;
    assert.deepEqual(record.shards.map((shard) => shard.index), [1, 2]);
    assert.equal(record.nextShardIndex, 3, 'indexes are never reused');
  });
});

describe('account quotas and pending updates', () => {
  // A pending scale-up or mode switch holds its room while it waits in UPDATING.
  it('never ends with more open provisioned shards than the account shard limit', async () => {
    const { engine, clock } = await startEngine({ shardLimit: 10, updateStreamMs: 500 });
    await engine.createStream({ name: 'a', shardCount: 4, mode: 'PROVISIONED' });
    await engine.updateShardCount('a', 8);
    assert.equal(engine.describeStream('a').status, 'UPDATING');
    let refused = false;
    try {
      await engine.createStream({ name: 'b', shardCount: 6, mode: 'PROVISIONED' });
    } catch (error) {
      refused = (error as { code?: string }).code === 'ShardLimitExceeded';
    }
    await clock.advance(500);
    const limits = engine.describeLimits();
    assert.ok(
      refused || limits.openShardCount <= limits.shardLimit,
      `open provisioned shards ${limits.openShardCount} exceed the shard limit ${limits.shardLimit}`,
    );
  });

  it('never ends with more on-demand streams than the on-demand stream limit', async () => {
    const { engine, clock } = await startEngine({ onDemandStreamCountLimit: 1, updateStreamMs: 500 });
    await engine.createStream({ name: 'p', shardCount: 1, mode: 'PROVISIONED' });
    await engine.updateStreamMode('p', 'ON_DEMAND');
    let refused = false;
    try {
      await engine.createStream({ name: 'od', mode: 'ON_DEMAND' });
    } catch (error) {
      refused = (error as { code?: string }).code === 'OnDemandStreamLimit';
    }
    await clock.advance(500);
    const limits = engine.describeLimits();
    assert.ok(
      refused || limits.onDemandStreamCount <= limits.onDemandStreamCountLimit,
      `${limits.onDemandStreamCount} on-demand streams exceed the limit ${limits.onDemandStreamCountLimit}`,
    );
  });
});

describe('closed shards end at their cut', () => {
  // The state a write landing behind the cut would leave (closedEndOffset 1, three records in the log), built directly.
  it('serves a closed shard only up to its end', async () => {
    const clock = new FakeClock();
    const storage = createMemoryStorage();
    const createdAt = clock.now();
    await storage.metadata.commit([{ type: 'putStream', stream: splitStreamRecord(createdAt, 1) }]);
    const parentLog = await storage.openShardLog('s@1', 'shardId-000000000000');
    await parentLog.append(['in', 'behind-1', 'behind-2'].map((text) => ({ arrivalTime: createdAt, partitionKey: 'p', data: bytes(text) })));
    await clock.advance(2000);
    const engine = await Engine.open({ storage, clock, config: testConfig });
    const iterator = await engine.getShardIterator('s', 'shardId-000000000000', 'TRIM_HORIZON');
    const result = await engine.getRecords(iterator);
    assert.deepEqual(
      result.records.map((record) => Buffer.from(record.data).toString()),
      ['in'],
      'records at or past the cut are not served',
    );
  });
});

describe('a reshard under --fsync interval, then a power loss', () => {
  // If a closed shard's log comes back shorter than its cut (its unsynced tail lost with the machine), readers must
  // still reach its children. The loss is simulated by copying the data directory while the process runs and
  // dropping the parent's segment files from the copy.
  it('lets readers reach the children of a parent whose tail was lost', async () => {
    const { mkdtempSync, cpSync, rmSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openFileStorage } = await import('@riffle/storage');
    const live = mkdtempSync(join(tmpdir(), 'riffle-power-live-'));
    const after = mkdtempSync(join(tmpdir(), 'riffle-power-after-'));
    const clock = new FakeClock();
    const storage = await openFileStorage({ dataDir: live, fsync: 'interval', fsyncIntervalMs: 600_000 });
    try {
      const engine = await Engine.open({ storage, clock, config: testConfig });
      await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
      await engine.putRecords('s', [0, 1, 2].map((i) => ({ data: bytes(`r${i}`), partitionKey: `k${i}` })));
      await engine.splitShard('s', 'shardId-000000000000', (2n ** 127n).toString());
      // The power loss: what the disk holds now is the fsync'd metadata and no record of the parent.
      cpSync(live, after, { recursive: true });
      rmSync(join(after, 'riffle.lock'), { force: true });
      const streamsDir = join(after, 'streams');
      for (const stream of readdirSync(streamsDir)) {
        const parentDir = join(streamsDir, stream, 'shardId-000000000000');
        for (const file of readdirSync(parentDir)) rmSync(join(parentDir, file), { force: true });
      }
      await engine.close();
    } finally {
      await storage.close();
      rmSync(live, { recursive: true, force: true });
    }

    const recovered = await openFileStorage({ dataDir: after });
    try {
      const engine = await Engine.open({ storage: recovered, clock, config: testConfig });
      let iterator: string | undefined = await engine.getShardIterator('s', 'shardId-000000000000', 'TRIM_HORIZON');
      let children: readonly unknown[] | undefined;
      for (let call = 0; call < 20 && iterator !== undefined; call++) {
        const result = await engine.getRecords(iterator);
        children = result.childShards;
        iterator = result.nextShardIterator;
      }
      assert.ok(children !== undefined && children.length === 2, 'the parent never ends: 20 GetRecords calls, no ChildShards');
      await engine.close();
    } finally {
      await recovered.close();
      rmSync(after, { recursive: true, force: true });
    }
  });
});

describe('the cut of a reshard is durable before the metadata that names it', () => {
  it('syncs the shards it closes first, even with --fsync interval', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openFileStorage } = await import('@riffle/storage');
    const dataDir = mkdtempSync(join(tmpdir(), 'riffle-cut-sync-'));
    const events: string[] = [];
    const faults = {
      beforeSync: (path: string) => events.push(`sync ${path}`),
      beforeWrite: (path: string) => events.push(`write ${path}`),
    };
    // An interval no test outlives: without the cut's own sync nothing of the parent would reach the disk.
    const storage = await openFileStorage({ dataDir, fsync: 'interval', fsyncIntervalMs: 600_000, faults });
    try {
      const engine = await Engine.open({ storage, clock: new FakeClock(), config: testConfig });
      await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
      await engine.putRecords('s', [0, 1, 2].map((i) => ({ data: bytes(`r${i}`), partitionKey: `k${i}` })));
      events.length = 0;
      await engine.splitShard('s', 'shardId-000000000000', (2n ** 127n).toString());
      const parentSync = events.findIndex((event) => event.startsWith('sync ') && event.includes('shardId-000000000000') && event.endsWith('.log'));
      const metadataWrite = events.findIndex((event) => event.startsWith('write ') && event.includes('metadata'));
      assert.ok(parentSync >= 0, `the parent's segment was synced: ${events.join(', ')}`);
      assert.ok(metadataWrite > parentSync, `before the metadata was written: ${events.join(', ')}`);
      await engine.close();
    } finally {
      await storage.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
