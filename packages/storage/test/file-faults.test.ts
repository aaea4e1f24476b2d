import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { openFileStorage, systemError, type FaultProbe, type FileStorage, type FileStorageOptions } from '@riffle/storage';
import { eventLog } from './event-log.js';
import { framesOf, segmentBases, segmentPath } from './segment-files.js';
import { atT0, plain, testRecord } from './test-record.js';
import { tempDataDir } from './temp-data-dir.js';

const SHARD = 'shardId-000000000000';
const ALL = { maxRecords: 100_000, maxBytes: Number.MAX_SAFE_INTEGER };
const IO_ERROR = { code: 'RIFFLE_ERR_STORAGE_IO' };

/** A probe that fails the chosen calls while `failing` is set, and counts them. */
function switchableFaults() {
  const state = {
    failWrites: undefined as ((path: string) => boolean) | undefined,
    failSyncs: undefined as ((path: string) => boolean) | undefined,
    failedWrites: 0,
    failedSyncs: 0,
  };
  const faults: FaultProbe = {
    beforeWrite(path) {
      if (state.failWrites?.(path)) {
        state.failedWrites++;
        throw systemError('ENOSPC', 'write');
      }
    },
    beforeSync(path) {
      if (state.failSyncs?.(path)) {
        state.failedSyncs++;
        throw systemError('EIO', 'fsync');
      }
    },
  };
  return { state, faults };
}

const isLog = (path: string) => path.endsWith('.log') && path.includes('shardId-');
const offsetsOf = async (storage: FileStorage) =>
  (await (await storage.openShardLog('s@1', SHARD)).read(0, ALL)).map((record) => record.offset);

/** The sizes of every segment file of the shard, to show that a failure leaves nothing behind. */
function fileSizes(dir: string): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const base of segmentBases(dir)) {
    for (const ext of ['log', 'index', 'timeindex'] as const) sizes[`${base}.${ext}`] = statSync(segmentPath(dir, base, ext)).size;
  }
  return sizes;
}

describe('file store: failed writes', () => {
  it('rejects an append whose write fails, keeps nothing of it, and goes on once the disk recovers', async () => {
    const dataDir = tempDataDir('write-fault');
    const { state, faults } = switchableFaults();
    const { report, named } = eventLog();
    const options: FileStorageOptions = { dataDir, now: atT0, faults, report, indexIntervalBytes: 256 };
    const storage = await openFileStorage(options);
    const log = await storage.openShardLog('s@1', SHARD);
    const dir = storage.shardDirectory('s@1', SHARD);
    for (let n = 0; n < 10; n += 2) await log.append([testRecord(n), testRecord(n + 1)]);
    const sizes = fileSizes(dir);
    const [logName, indexName, timeIndexName] = ['.log', '.index', '.timeindex'].map((suffix) => Object.keys(sizes).find((name) => name.endsWith(suffix))!) as [string, string, string];
    // Entries (8 bytes) for the 10 records already written: one per 256 bytes of their frames.
    const pendingIndexBytes = Math.ceil(sizes[logName]! / 256) * 8;

    for (const target of [isLog, (path: string) => path.endsWith('.index'), (path: string) => path.endsWith('.timeindex')]) {
      state.failWrites = target;
      const before = state.failedWrites;
      // Enough bytes that the batch adds a write's worth of index entries (64), so the index writes are reached too.
      const batch = Array.from({ length: 400 }, (_, i) => testRecord(10 + i));
      await assert.rejects(log.append(batch), (error: Error & { code?: string; errno?: string }) => {
        assert.equal(error.code, 'RIFFLE_ERR_STORAGE_IO');
        assert.equal(error.errno, 'ENOSPC');
        return true;
      });
      assert.equal(state.failedWrites, before + 1, 'the probe was reached');
      assert.equal(log.endOffset, 10);
      // The log is exactly as it was. Index files may have gained the entries of earlier, acknowledged records
      // (they are written in batches, and a failed batch flushes what came before it), never the failed batch's.
      const now = fileSizes(dir);
      assert.equal(now[logName], sizes[logName], 'nothing half-written');
      assert.ok(now[indexName]! <= pendingIndexBytes && now[timeIndexName]! <= 2 * pendingIndexBytes, JSON.stringify(now));
      assert.deepEqual(await offsetsOf(storage), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    assert.equal(named('write-failed').length, 3);

    state.failWrites = undefined;
    assert.deepEqual(await log.append([10, 11, 12, 13, 14, 15].map((n) => testRecord(n))), { firstOffset: 10 });
    assert.deepEqual((await log.read(0, ALL)).map(plain), Array.from({ length: 16 }, (_, n) => plain({ ...testRecord(n), offset: n })));
    await storage.close();

    const reopened = await openFileStorage(options);
    try {
      assert.deepEqual(await offsetsOf(reopened), Array.from({ length: 16 }, (_, n) => n));
    } finally {
      await reopened.close();
    }
  });

  it('a failed write does not take down appends already waiting for their sync', async () => {
    const dataDir = tempDataDir('write-fault-pending');
    const { state, faults } = switchableFaults();
    const storage = await openFileStorage({ dataDir, now: atT0, faults });
    try {
      const log = await storage.openShardLog('s@1', SHARD);
      const first = log.append([testRecord(0), testRecord(1)]);
      state.failWrites = isLog;
      const failed = log.append([testRecord(2)]);
      state.failWrites = undefined;
      const third = log.append([testRecord(3)]);
      await assert.rejects(failed, IO_ERROR);
      assert.deepEqual(await first, { firstOffset: 0 });
      assert.deepEqual(await third, { firstOffset: 2 });
      assert.deepEqual(
        (await log.read(0, ALL)).map(plain),
        [0, 1, 3].map((n, offset) => plain({ ...testRecord(n), offset })),
      );
    } finally {
      await storage.close();
    }
  });
});

describe('file store: failed syncs', () => {
  async function syncFailure(label: string, segmentBytes: number) {
    const dataDir = tempDataDir(label);
    const { state, faults } = switchableFaults();
    const { report, named } = eventLog();
    const options: FileStorageOptions = { dataDir, now: atT0, faults, report, segmentBytes, indexIntervalBytes: 256 };
    const storage = await openFileStorage(options);
    const log = await storage.openShardLog('s@1', SHARD);
    const dir = storage.shardDirectory('s@1', SHARD);
    for (let n = 0; n < 12; n += 3) await log.append([n, n + 1, n + 2].map((i) => testRecord(i)));
    const sizes = fileSizes(dir);

    state.failSyncs = isLog;
    // Several appends waiting on the same failing round: all of them fail.
    const pending = [0, 1, 2, 3, 4].map((i) => log.append([testRecord(100 + i * 2), testRecord(101 + i * 2)]));
    const results = await Promise.allSettled(pending);
    assert.ok(state.failedSyncs > 0, 'the probe was reached');
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.equal((result as PromiseRejectedResult).reason.code, 'RIFFLE_ERR_STORAGE_IO');
    }
    assert.equal(log.endOffset, 12);
    assert.ok(named('sync-failed').length > 0);
    assert.deepEqual(fileSizes(dir), sizes, 'the unsynced bytes are cut back, segments rolled for them removed');
    assert.deepEqual(await offsetsOf(storage), Array.from({ length: 12 }, (_, n) => n));

    state.failSyncs = undefined;
    assert.deepEqual(await log.append([testRecord(12), testRecord(13)]), { firstOffset: 12 });
    const more = await Promise.all([14, 16, 18].map((n) => log.append([testRecord(n), testRecord(n + 1)])));
    assert.deepEqual(more, [{ firstOffset: 14 }, { firstOffset: 16 }, { firstOffset: 18 }]);
    const acknowledged = Array.from({ length: 20 }, (_, n) => plain({ ...testRecord(n), offset: n }));
    assert.deepEqual((await log.read(0, ALL)).map(plain), acknowledged);
    await storage.close();

    const reopened = await openFileStorage({ ...options, faults: {} });
    try {
      const again = await reopened.openShardLog('s@1', SHARD);
      assert.equal(again.endOffset, 20);
      assert.deepEqual((await again.read(0, ALL)).map(plain), acknowledged);
      assert.deepEqual(await again.append([testRecord(20)]), { firstOffset: 20 });
    } finally {
      await reopened.close();
    }
    return { dir };
  }

  it('fails the appends of a failed fsync, cuts their bytes back, and goes on once the disk recovers', async () => {
    await syncFailure('sync-fault', 64 * 1024 * 1024);
  });

  it('the same when the failed appends had rolled new segments: offsets stay consecutive', async () => {
    const { dir } = await syncFailure('sync-fault-roll', 600);
    const bases = segmentBases(dir);
    assert.ok(bases.length > 3);
    // Segments follow each other without gaps: each one's base is where the one before it ends.
    for (let i = 0; i + 1 < bases.length; i++) {
      const frames = framesOf(segmentPath(dir, bases[i]!, 'log'));
      assert.equal(bases[i]! + frames.length, bases[i + 1], `segment ${bases[i]} ends where the next begins`);
      assert.deepEqual(frames.map((frame) => frame.offset), frames.map((_, j) => bases[i]! + j));
    }
  });

  it('fails the appends when the directory sync of a new segment fails', async () => {
    const dataDir = tempDataDir('dir-sync-fault');
    const { state, faults } = switchableFaults();
    const storage = await openFileStorage({ dataDir, now: atT0, faults, segmentBytes: 300 });
    try {
      const log = await storage.openShardLog('s@1', SHARD);
      const dir = storage.shardDirectory('s@1', SHARD);
      await log.append([testRecord(0), testRecord(1)]);
      state.failSyncs = (path) => path === dir;
      await assert.rejects(log.append([testRecord(2), testRecord(3)]), IO_ERROR);
      assert.equal(log.endOffset, 2);
      state.failSyncs = undefined;
      assert.deepEqual(await log.append([testRecord(2), testRecord(3)]), { firstOffset: 2 });
      assert.deepEqual(await offsetsOf(storage), [0, 1, 2, 3]);
    } finally {
      await storage.close();
    }
  });
});

describe('file store: failed metadata commits', () => {
  const setting = (key: string, value: string) => ({ type: 'putSetting' as const, key, value });

  for (const kind of ['write', 'fsync'] as const) {
    it(`a commit whose ${kind} fails rejects, changes nothing, and later commits work`, async () => {
      const dataDir = tempDataDir(`metadata-${kind}`);
      const { state, faults } = switchableFaults();
      const options = { dataDir, now: atT0, faults };
      const storage = await openFileStorage(options);
      await storage.metadata.commit([setting('a', '1')]);
      const isJournal = (path: string) => path.includes('journal-');
      if (kind === 'write') state.failWrites = isJournal;
      else state.failSyncs = isJournal;
      await assert.rejects(storage.metadata.commit([setting('b', '2'), setting('a', 'changed')]), IO_ERROR);
      assert.ok(state.failedWrites + state.failedSyncs > 0);
      assert.deepEqual((await storage.metadata.load()).settings, { a: '1' });
      state.failWrites = state.failSyncs = undefined;
      await storage.metadata.commit([setting('c', '3')]);
      assert.deepEqual((await storage.metadata.load()).settings, { a: '1', c: '3' });
      await storage.close();

      const { report, events } = eventLog();
      const reopened = await openFileStorage({ ...options, report });
      try {
        assert.deepEqual((await reopened.metadata.load()).settings, { a: '1', c: '3' });
        assert.deepEqual(events, [], 'the failed commit left nothing behind to repair');
      } finally {
        await reopened.close();
      }
    });
  }
});
