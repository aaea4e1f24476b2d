import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { openFileStorage, systemError, type FaultProbe } from '@riffle/storage';
import { eventLog } from './event-log.js';
import { atT0, plain, testRecord } from './test-record.js';
import { tempDataDir } from './temp-data-dir.js';

const SHARD = 'shardId-000000000000';
const ALL = { maxRecords: 100_000, maxBytes: Number.MAX_SAFE_INTEGER };
const isLog = (path: string) => path.endsWith('.log') && path.includes('shardId-');

/** Waits (a bounded number of short sleeps) until `done` holds; the caller asserts it afterwards. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await sleep(10);
}

/** Fails every sync of a `.log` file with EIO while counts.failing is true, and counts both outcomes. */
function failingLogSyncs(): { counts: { failing: boolean; failed: number; synced: number }; faults: FaultProbe } {
  const counts = { failing: true, failed: 0, synced: 0 };
  const faults: FaultProbe = {
    beforeSync(path) {
      if (!isLog(path)) return;
      if (counts.failing) {
        counts.failed++;
        throw systemError('EIO', 'fsync');
      }
      counts.synced++;
    },
  };
  return { counts, faults };
}

describe('file store: fsync interval mode', () => {
  it('resolves appends at once, readable at once, without waiting for a sync', async () => {
    const dataDir = tempDataDir('interval-at-once');
    let syncs = 0;
    const faults: FaultProbe = { beforeSync: (path) => void (isLog(path) && syncs++) };
    // An interval far longer than the test: no timer round can run during it.
    const storage = await openFileStorage({ dataDir, now: atT0, faults, fsync: 'interval', fsyncIntervalMs: 600_000 });
    const log = await storage.openShardLog('s@1', SHARD);
    assert.deepEqual(await log.append([testRecord(0), testRecord(1)]), { firstOffset: 0 });
    assert.equal(log.endOffset, 2);
    assert.deepEqual((await log.read(0, ALL)).map(plain), [0, 1].map((n) => plain({ ...testRecord(n), offset: n })));
    assert.deepEqual(await log.append([testRecord(2)]), { firstOffset: 2 });
    assert.equal(syncs, 0, 'nothing was synced for those appends');
    // close() syncs what is dirty.
    await storage.close();
    assert.equal(syncs, 1);

    const reopened = await openFileStorage({ dataDir, now: atT0 });
    try {
      const again = await reopened.openShardLog('s@1', SHARD);
      assert.deepEqual((await again.read(0, ALL)).map((record) => record.offset), [0, 1, 2]);
    } finally {
      await reopened.close();
    }
  });

  it('syncs dirty logs on the interval', async () => {
    const dataDir = tempDataDir('interval-timer');
    let syncs = 0;
    const faults: FaultProbe = { beforeSync: (path) => void (isLog(path) && syncs++) };
    const storage = await openFileStorage({ dataDir, now: atT0, faults, fsync: 'interval', fsyncIntervalMs: 20 });
    try {
      const log = await storage.openShardLog('s@1', SHARD);
      await log.append([testRecord(0)]);
      await until(() => syncs >= 1);
      assert.equal(syncs, 1, 'a timer round synced the append');
      await log.append([testRecord(1)]);
      await until(() => syncs >= 2);
      assert.equal(syncs, 2);
      // A clean log is not synced again, however many rounds pass.
      await sleep(100);
      assert.equal(syncs, 2);
    } finally {
      await storage.close();
    }
  });

  it('retries a failed sync at a later interval, without a new append', async () => {
    const dataDir = tempDataDir('interval-retry');
    const { counts, faults } = failingLogSyncs();
    const { report, named } = eventLog();
    const storage = await openFileStorage({ dataDir, now: atT0, faults, report, fsync: 'interval', fsyncIntervalMs: 20 });
    try {
      const log = await storage.openShardLog('s@1', SHARD);
      assert.deepEqual(await log.append([testRecord(0), testRecord(1)]), { firstOffset: 0 });
      await until(() => counts.failed >= 1);
      assert.ok(counts.failed >= 1);
      assert.ok(named('sync-failed').length >= 1);
      // Interval mode acknowledged the records already: they stay, and are synced once the disk recovers.
      assert.equal(log.endOffset, 2);
      counts.failing = false;
      await until(() => counts.synced >= 1);
      assert.equal(counts.synced, 1, 'the failed sync was retried');
      assert.deepEqual((await log.read(0, ALL)).map((record) => record.offset), [0, 1]);
    } finally {
      await storage.close();
    }
  });

  it('syncs at close what failed to sync before', async () => {
    const dataDir = tempDataDir('interval-close-retry');
    const { counts, faults } = failingLogSyncs();
    const storage = await openFileStorage({ dataDir, now: atT0, faults, fsync: 'interval', fsyncIntervalMs: 20 });
    const log = await storage.openShardLog('s@1', SHARD);
    await log.append([testRecord(0)]);
    await until(() => counts.failed >= 1);
    assert.ok(counts.failed >= 1);
    counts.failing = false;
    await storage.close();
    assert.equal(counts.synced, 1, 'close synced the records the failed round left dirty');
  });
});

describe('file store: group commit', () => {
  it('shares fsync rounds between concurrent appends across 32 shards', async () => {
    const dataDir = tempDataDir('group-commit');
    let syncs = 0;
    const faults: FaultProbe = { beforeSync: (path) => void (isLog(path) && syncs++) };
    const storage = await openFileStorage({ dataDir, now: atT0, faults });
    try {
      const shards = Array.from({ length: 32 }, (_, i) => `shardId-${String(i).padStart(12, '0')}`);
      const logs = await Promise.all(shards.map((shardId) => storage.openShardLog('s@1', shardId)));
      syncs = 0;
      const appends = logs.flatMap((log) => Array.from({ length: 20 }, (_, i) => log.append([testRecord(i)])));
      const results = await Promise.all(appends);
      assert.equal(appends.length, 640);
      // Each shard's appends got offsets 0..19 in call order.
      assert.deepEqual(results.slice(0, 20), Array.from({ length: 20 }, (_, i) => ({ firstOffset: i })));
      assert.ok(syncs < appends.length, `${syncs} syncs for ${appends.length} appends`);
      assert.ok(syncs <= 2 * shards.length, `${syncs} syncs: about one per shard per round`);
      for (const log of logs) assert.equal(log.endOffset, 20);
    } finally {
      await storage.close();
    }
  });
});
