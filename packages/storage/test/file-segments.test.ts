import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openFileStorage, type FileStorage, type RecordToAppend } from '@riffle/storage';
import { segmentBases, segmentPath } from './segment-files.js';
import { T0, atT0, testRecord } from './test-record.js';
import { tempDataDir } from './temp-data-dir.js';

const SHARD = 'shardId-000000000000';
const ALL = { maxRecords: 100_000, maxBytes: Number.MAX_SAFE_INTEGER };

/** A record whose frame is exactly 100 bytes: 28 of header, a 4-byte key, 68 of data. */
function hundredBytes(n: number, arrivalTime = T0): RecordToAppend {
  return { arrivalTime, partitionKey: `k${String(n % 1000).padStart(3, '0')}`, data: new Uint8Array(68).fill(n % 256) };
}

const offsetsOf = async (storage: FileStorage) =>
  (await (await storage.openShardLog('s@1', SHARD)).read(0, ALL)).map((record) => record.offset);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const files = (dir: string, base: number) => (['log', 'index', 'timeindex'] as const).map((ext) => segmentPath(dir, base, ext));

describe('file store: segment rolls', () => {
  it('rolls before a segment would grow past segmentBytes', async () => {
    const dataDir = tempDataDir('roll-size');
    const storage = await openFileStorage({ dataDir, now: atT0, segmentBytes: 1000 });
    try {
      const log = await storage.openShardLog('s@1', SHARD);
      for (let n = 0; n < 25; n++) await log.append([hundredBytes(n)]);
      const dir = storage.shardDirectory('s@1', SHARD);
      assert.deepEqual(segmentBases(dir), [0, 10, 20]);
      assert.equal(readFileSync(segmentPath(dir, 0, 'log')).length, 1000);
      assert.equal(readFileSync(segmentPath(dir, 10, 'log')).length, 1000);
      assert.equal(readFileSync(segmentPath(dir, 20, 'log')).length, 500);
      for (const base of [0, 10, 20]) for (const path of files(dir, base)) assert.ok(existsSync(path), path);
      // A batch never straddles two segments: six records that do not fit in the active one start the next.
      await log.append([hundredBytes(25), hundredBytes(26), hundredBytes(27), hundredBytes(28), hundredBytes(29), hundredBytes(30)]);
      assert.deepEqual(segmentBases(dir), [0, 10, 20, 25]);
      assert.deepEqual(await offsetsOf(storage), range(0, 31));
    } finally {
      await storage.close();
    }
  });

  it('rolls once the first record of the active segment is segmentMs old', async () => {
    const dataDir = tempDataDir('roll-age');
    let fakeNow = T0;
    const storage = await openFileStorage({ dataDir, now: () => fakeNow, segmentMs: 60_000 });
    try {
      const log = await storage.openShardLog('s@1', SHARD);
      const dir = storage.shardDirectory('s@1', SHARD);
      await log.append([hundredBytes(0, fakeNow), hundredBytes(1, fakeNow)]);
      fakeNow += 59_999;
      await log.append([hundredBytes(2, fakeNow)]);
      assert.deepEqual(segmentBases(dir), [0]);
      fakeNow += 1;
      await log.append([hundredBytes(3, fakeNow)]);
      assert.deepEqual(segmentBases(dir), [0, 3]);
      // The new segment's age counts from its own first record.
      fakeNow += 59_999;
      await log.append([hundredBytes(4, fakeNow)]);
      assert.deepEqual(segmentBases(dir), [0, 3]);
      fakeNow += 1;
      await log.append([hundredBytes(5, fakeNow)]);
      assert.deepEqual(segmentBases(dir), [0, 3, 5]);
      assert.deepEqual(await offsetsOf(storage), range(0, 6));
    } finally {
      await storage.close();
    }
    // The age survives a restart: it is the first record's arrival time, read back from the segment.
    fakeNow += 60_000;
    const reopened = await openFileStorage({ dataDir, now: () => fakeNow, segmentMs: 60_000 });
    try {
      const log = await reopened.openShardLog('s@1', SHARD);
      await log.append([hundredBytes(6, fakeNow)]);
      assert.deepEqual(segmentBases(reopened.shardDirectory('s@1', SHARD)), [0, 3, 5, 6]);
    } finally {
      await reopened.close();
    }
  });
});

describe('file store: retention', () => {
  async function tenSegments(label: string) {
    const dataDir = tempDataDir(label);
    const options = { dataDir, now: atT0, segmentBytes: 1000 };
    const storage = await openFileStorage(options);
    const log = await storage.openShardLog('s@1', SHARD);
    for (let n = 0; n < 100; n += 5) await log.append([0, 1, 2, 3, 4].map((i) => hundredBytes(n + i)));
    const dir = storage.shardDirectory('s@1', SHARD);
    assert.deepEqual(segmentBases(dir), range(0, 10).map((i) => i * 10));
    return { options, storage, log, dir };
  }

  it('deletes whole segments before the new start, never the one holding it', async () => {
    const { options, storage, log, dir } = await tenSegments('trim');
    await log.trimBefore(35);
    assert.equal(log.startOffset, 35);
    assert.deepEqual(segmentBases(dir), [30, 40, 50, 60, 70, 80, 90]);
    for (const base of [0, 10, 20]) for (const path of files(dir, base)) assert.ok(!existsSync(path), `${path} is gone`);
    assert.deepEqual(await offsetsOf(storage), range(35, 100));
    // Trimming to a segment's base deletes everything before it, and that segment stays.
    await log.trimBefore(60);
    assert.deepEqual(segmentBases(dir), [60, 70, 80, 90]);
    // Never backwards.
    await log.trimBefore(10);
    assert.equal(log.startOffset, 60);
    await storage.close();

    const reopened = await openFileStorage(options);
    try {
      const again = await reopened.openShardLog('s@1', SHARD);
      assert.equal(again.startOffset, 60, 'the log-start-offset checkpoint survives a reopen');
      assert.equal(again.endOffset, 100);
      assert.equal(readFileSync(join(dir, 'log-start-offset'), 'utf8').trim(), '60');
      assert.deepEqual(await offsetsOf(reopened), range(60, 100));
      assert.equal(await again.offsetAtTime(0), 60);
    } finally {
      await reopened.close();
    }
  });

  it('a start inside a segment survives a reopen too', async () => {
    const { options, storage, log } = await tenSegments('trim-inside');
    await log.trimBefore(47);
    await storage.close();
    const reopened = await openFileStorage(options);
    try {
      const again = await reopened.openShardLog('s@1', SHARD);
      assert.equal(again.startOffset, 47);
      assert.deepEqual(await offsetsOf(reopened), range(47, 100));
    } finally {
      await reopened.close();
    }
  });

  it('trimming everything rolls the active segment so that its files go too', async () => {
    const { options, storage, log, dir } = await tenSegments('trim-all');
    await log.trimBefore(1000);
    assert.equal(log.startOffset, 100);
    assert.equal(log.endOffset, 100);
    assert.deepEqual(segmentBases(dir), [100]);
    for (const path of files(dir, 90)) assert.ok(!existsSync(path), `${path} is gone`);
    assert.equal(readFileSync(segmentPath(dir, 100, 'log')).length, 0);
    assert.deepEqual(await offsetsOf(storage), []);
    assert.deepEqual(await log.append([hundredBytes(100)]), { firstOffset: 100 });
    await storage.close();

    const reopened = await openFileStorage(options);
    try {
      const again = await reopened.openShardLog('s@1', SHARD);
      assert.equal(again.startOffset, 100);
      assert.equal(again.endOffset, 101);
      assert.deepEqual(await offsetsOf(reopened), [100]);
    } finally {
      await reopened.close();
    }
  });

  it('an emptied log reopens empty at the trimmed offset', async () => {
    const { options, storage, log } = await tenSegments('trim-all-reopen');
    await log.trimBefore(100);
    await storage.close();
    const reopened = await openFileStorage(options);
    try {
      const again = await reopened.openShardLog('s@1', SHARD);
      assert.equal(again.startOffset, 100);
      assert.equal(again.endOffset, 100);
      assert.deepEqual(await again.append([hundredBytes(100)]), { firstOffset: 100 });
    } finally {
      await reopened.close();
    }
  });
});

describe('file store: a shard directory without segments', () => {
  it('opens at its checkpoint, creates nothing, and takes its first append there', async () => {
    const dataDir = tempDataDir('no-segments');
    const first = await openFileStorage({ dataDir, now: atT0 });
    const dir = first.shardDirectory('s@1', SHARD);
    await first.close();
    // What a crash can leave: the directory and its checkpoint, but no segment file yet.
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'log-start-offset'), '42\n');
    const storage = await openFileStorage({ dataDir, now: atT0 });
    try {
      const log = await storage.openShardLog('s@1', SHARD);
      assert.equal(log.startOffset, 42);
      assert.equal(log.endOffset, 42);
      assert.deepEqual(await log.read(0, ALL), []);
      assert.deepEqual(segmentBases(dir), []);
      assert.deepEqual(await log.append([hundredBytes(0)]), { firstOffset: 42 });
      assert.deepEqual(segmentBases(dir), [42]);
    } finally {
      await storage.close();
    }
  });
});

describe('file store: stream directories', () => {
  it('deleteStreamLogs removes the stream’s directory; listStreamKeys lists exactly the streams with logs', async () => {
    const dataDir = tempDataDir('streams');
    const options = { dataDir, now: atT0 };
    const storage = await openFileStorage(options);
    const keys = ['alpha@1', 'beta@2', 'odd/name %@3'];
    for (const key of keys) {
      for (const shardId of [SHARD, 'shardId-000000000001']) await (await storage.openShardLog(key, shardId)).append([testRecord(0)]);
    }
    assert.deepEqual((await storage.listStreamKeys()).sort(), [...keys].sort());
    const betaDir = join(storage.shardDirectory('beta@2', SHARD), '..');
    assert.ok(existsSync(betaDir));
    await storage.deleteStreamLogs('beta@2');
    assert.ok(!existsSync(betaDir), 'the directory is gone');
    assert.deepEqual((await storage.listStreamKeys()).sort(), ['alpha@1', 'odd/name %@3']);
    await storage.close();

    const reopened = await openFileStorage(options);
    try {
      assert.deepEqual((await reopened.listStreamKeys()).sort(), ['alpha@1', 'odd/name %@3']);
      assert.equal((await reopened.openShardLog('alpha@1', SHARD)).endOffset, 1);
      assert.equal((await reopened.openShardLog('odd/name %@3', 'shardId-000000000001')).endOffset, 1);
      // A stream key used again after its deletion starts with nothing.
      assert.equal((await reopened.openShardLog('beta@2', SHARD)).endOffset, 0);
    } finally {
      await reopened.close();
    }
  });

  it('opening and reading a shard nobody wrote to creates nothing; its first append creates and syncs its directories', async () => {
    const dataDir = tempDataDir('unborn');
    const writes: string[] = [];
    const syncs: string[] = [];
    const faults = { beforeWrite: (path: string) => void writes.push(path), beforeSync: (path: string) => void syncs.push(path) };
    const storage = await openFileStorage({ dataDir, now: atT0, faults });
    try {
      writes.length = 0;
      syncs.length = 0;
      const log = await storage.openShardLog('fresh@1', SHARD);
      const shardDir = storage.shardDirectory('fresh@1', SHARD);
      assert.deepEqual(await log.read(0, ALL), []);
      assert.equal(await log.offsetAtTime(T0), 0);
      await log.trimBefore(10);
      assert.ok(!existsSync(join(shardDir, '..')), 'no stream directory yet');
      assert.deepEqual([writes, syncs], [[], []]);
      assert.deepEqual(await storage.listStreamKeys(), []);

      assert.deepEqual(await log.append([testRecord(0)]), { firstOffset: 0 });
      assert.deepEqual(segmentBases(shardDir), [0]);
      // The new entries of the shard, stream and streams directories are durable before the append is answered.
      for (const dir of [shardDir, join(shardDir, '..'), join(dataDir, 'streams')]) assert.ok(syncs.includes(dir), dir);
      assert.deepEqual((await log.read(0, ALL)).map((record) => record.offset), [0]);
    } finally {
      await storage.close();
    }
  });
});
