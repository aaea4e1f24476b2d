import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { openFileStorage, type FileStorage, type FileStorageOptions, type StreamRecord } from '@riffle/storage';
import { encodeFrames } from '../src/file/record-frame.js';
import { eventLog } from './event-log.js';
import { framesOf, indexEntries, segmentBases, segmentPath, type FrameAt } from './segment-files.js';
import { atT0, plain, testRecord, testStream } from './test-record.js';
import { tempDataDir } from './temp-data-dir.js';

const ALL = { maxRecords: 100_000, maxBytes: Number.MAX_SAFE_INTEGER };
const SHARD = 'shardId-000000000000';

const stream = (name: string, streamKey: string): StreamRecord =>
  testStream(name, { streamKey, createdAt: 1_700_000_000_123, tags: [{ key: 'team', value: 'data' }] });

/** Appends records 0..n-1 (record n at offset n) in batches of `batch`, awaiting each. */
async function fill(storage: FileStorage, streamKey: string, shardId: string, n: number, batch = 4) {
  const log = await storage.openShardLog(streamKey, shardId);
  for (let i = 0; i < n; i += batch) {
    const records = [];
    for (let j = i; j < Math.min(n, i + batch); j++) records.push(testRecord(j));
    assert.deepEqual(await log.append(records), { firstOffset: i });
  }
  return log;
}

async function readAll(storage: FileStorage, streamKey = 's@1', shardId = SHARD) {
  const log = await storage.openShardLog(streamKey, shardId);
  return (await log.read(0, ALL)).map(plain);
}

const expected = (numbers: readonly number[]) => numbers.map((n) => plain({ ...testRecord(n), offset: n }));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('file store: restart', () => {
  it('keeps every record (offsets, keys, hash keys, arrival times, bytes) and the metadata across a reopen', async () => {
    const dataDir = tempDataDir('restart');
    const options: FileStorageOptions = { dataDir, now: atT0, segmentBytes: 4096, indexIntervalBytes: 256 };
    const storage = await openFileStorage(options);
    const shards = ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002'];
    for (const [i, shardId] of shards.entries()) await fill(storage, 's@1', shardId, 50 + i * 30);
    await fill(storage, 'other@7', SHARD, 5);
    await storage.metadata.commit([
      { type: 'putStream', stream: stream('s', 's@1') },
      { type: 'putStream', stream: stream('other', 'other@7') },
      { type: 'putSetting', key: 'shardLimit', value: '{"limit":500}' },
    ]);
    const before = new Map<string, unknown[]>();
    for (const shardId of shards) before.set(shardId, await readAll(storage, 's@1', shardId));
    const metadataBefore = await storage.metadata.load();
    await storage.close();

    const reopened = await openFileStorage(options);
    try {
      for (const [i, shardId] of shards.entries()) {
        const records = await readAll(reopened, 's@1', shardId);
        assert.deepEqual(records, expected(range(0, 50 + i * 30)));
        assert.deepEqual(records, before.get(shardId));
        const log = await reopened.openShardLog('s@1', shardId);
        assert.equal(log.startOffset, 0);
        assert.equal(log.endOffset, 50 + i * 30);
      }
      assert.ok(segmentBases(reopened.shardDirectory('s@1', shards[2]!)).length > 2, 'the data spans several segments');
      assert.deepEqual(await readAll(reopened, 'other@7'), expected(range(0, 5)));
      const metadata = await reopened.metadata.load();
      assert.deepEqual(metadata, metadataBefore);
      const s = metadata.streams.find((item) => item.name === 's')!;
      assert.equal(s.shards[1]!.hashKeyEnd, 2n ** 128n - 1n);
      assert.equal(typeof s.shards[1]!.hashKeyStart, 'bigint');
      assert.deepEqual(metadata.settings, { shardLimit: '{"limit":500}' });
      // Appends after the reopen continue the offsets.
      const log = await reopened.openShardLog('s@1', shards[0]!);
      assert.deepEqual(await log.append([testRecord(50)]), { firstOffset: 50 });
    } finally {
      await reopened.close();
    }
  });
});

describe('file store: torn tail of the active segment', () => {
  async function tornTail(tail: (logPath: string) => void) {
    const dataDir = tempDataDir('torn');
    const first = await openFileStorage({ dataDir, now: atT0 });
    await fill(first, 's@1', SHARD, 10, 3);
    const dir = first.shardDirectory('s@1', SHARD);
    await first.close();
    const logPath = segmentPath(dir, segmentBases(dir).at(-1)!, 'log');
    const wholeSize = statSync(logPath).size;
    tail(logPath);
    assert.ok(statSync(logPath).size > wholeSize);

    const { report, named } = eventLog();
    const storage = await openFileStorage({ dataDir, now: atT0, report });
    try {
      const log = await storage.openShardLog('s@1', SHARD);
      assert.equal(log.endOffset, 10);
      assert.equal(statSync(logPath).size, wholeSize, 'the file is cut back to its last whole record');
      const [event] = named('torn-tail-truncated');
      assert.equal(event?.file, logPath);
      assert.equal(event?.position, wholeSize);
      assert.deepEqual(await readAll(storage), expected(range(0, 10)));
      assert.deepEqual(await log.append([testRecord(10), testRecord(11)]), { firstOffset: 10 });
      assert.deepEqual(await readAll(storage), expected(range(0, 12)));
    } finally {
      await storage.close();
    }
    // And the repaired log opens cleanly again.
    const { report: report2, events } = eventLog();
    const again = await openFileStorage({ dataDir, now: atT0, report: report2 });
    try {
      assert.deepEqual(await readAll(again), expected(range(0, 12)));
      assert.deepEqual(events, []);
    } finally {
      await again.close();
    }
  }

  it('cuts off garbage after the last whole record', () =>
    tornTail((logPath) => appendFileSync(logPath, Buffer.from('not a frame at all, just bytes that a crash left behind'))));

  it('cuts off the first half of a frame whose write was interrupted', () =>
    tornTail((logPath) => {
      const { bytes } = encodeFrames(10, [testRecord(10)]);
      appendFileSync(logPath, bytes.subarray(0, Math.floor(bytes.length / 2)));
    }));

  it('cuts off a whole-length frame whose last bytes never reached the disk', () =>
    tornTail((logPath) => {
      const { bytes } = encodeFrames(10, [testRecord(10)]);
      bytes.fill(0, bytes.length - 20);
      appendFileSync(logPath, bytes);
    }));

  it('cuts off a tail of zeros (a file extended but never written)', () =>
    tornTail((logPath) => appendFileSync(logPath, Buffer.alloc(4096))));
});

/** A log of `count` records in single-record appends over 4 KiB segments with an entry every 256 bytes. */
async function segmentedLog(label: string, count: number) {
  const dataDir = tempDataDir(label);
  const options = { dataDir, now: atT0, segmentBytes: 4096, indexIntervalBytes: 256 };
  const storage = await openFileStorage(options);
  await fill(storage, 's@1', SHARD, count, 1);
  const dir = storage.shardDirectory('s@1', SHARD);
  await storage.close();
  const bases = segmentBases(dir);
  assert.ok(bases.length >= 4, `several segments (${bases.length})`);
  return { dataDir, options, dir, bases };
}

function flipByte(path: string, position: number): void {
  const bytes = readFileSync(path);
  bytes[position] = bytes[position]! ^ 0xff;
  writeFileSync(path, bytes);
}

describe('file store: damage inside a segment', () => {
  /** Damages one record of the second segment (chosen by `pick`) and reads the log back. */
  async function sealedDamage(label: string, pick: (frames: FrameAt[], entryPositions: Set<number>) => FrameAt | undefined) {
    const { options, dir, bases } = await segmentedLog(label, 160);
    const base = bases[1]!;
    const logPath = segmentPath(dir, base, 'log');
    const entries = indexEntries(segmentPath(dir, base, 'index'));
    const victim = pick(framesOf(logPath), new Set(entries.map((entry) => entry.position)));
    assert.ok(victim);
    const next = entries.find((entry) => entry.position > victim.position);
    assert.ok(next, 'an index entry follows the damage');
    const resumeOffset = base + next.relativeOffset;
    assert.ok(resumeOffset < bases[2]!);
    const sizeBefore = statSync(logPath).size;
    flipByte(logPath, victim.position + victim.length - 3);

    const { report, named } = eventLog();
    const storage = await openFileStorage({ ...options, report });
    try {
      const log = await storage.openShardLog('s@1', SHARD);
      assert.equal(log.endOffset, 160);
      const offsets = (await log.read(0, ALL)).map((record) => record.offset);
      assert.ok(!offsets.includes(victim.offset), 'the damaged record is not served');
      const kept = range(0, 160).filter((n) => n < victim.offset || n >= resumeOffset);
      assert.deepEqual(offsets, kept);
      assert.deepEqual((await log.read(0, ALL)).map(plain), expected(kept));
      // Reads starting at, inside and just before the skipped stretch go on after it.
      for (const from of [victim.offset, victim.offset + 1, victim.offset - 1]) {
        const got = (await log.read(from, { maxRecords: 3, maxBytes: Number.MAX_SAFE_INTEGER })).map((record) => record.offset);
        assert.deepEqual(got, kept.filter((n) => n >= Math.min(from, resumeOffset)).slice(0, 3), `read from ${from}`);
      }
      const damage = named('segment-damaged');
      assert.equal(damage.length, 1, 'reported once, however often read');
      assert.equal(damage[0]!.file, logPath);
      assert.equal(damage[0]!.position, victim.position);
      assert.equal(statSync(logPath).size, sizeBefore, 'a sealed segment is not rewritten');
    } finally {
      await storage.close();
    }
  }

  it('never serves a damaged record of a sealed segment, and serves the records after the next index entry', () =>
    sealedDamage('sealed-damage', (frames, entryPositions) =>
      frames.find((frame, i) => i > frames.length / 3 && !entryPositions.has(frame.position)),
    ));

  it('the same when the damaged record is the one an index entry points at', () =>
    sealedDamage('sealed-entry-damage', (frames, entryPositions) =>
      frames.find((frame, i) => i > frames.length / 3 && entryPositions.has(frame.position)),
    ));

  it('reports damage in the middle of the active segment at recovery, keeps the intact records after it', async () => {
    const dataDir = tempDataDir('active-damage');
    const first = await openFileStorage({ dataDir, now: atT0 });
    await fill(first, 's@1', SHARD, 20, 1);
    const dir = first.shardDirectory('s@1', SHARD);
    await first.close();
    const logPath = segmentPath(dir, 0, 'log');
    const victim = framesOf(logPath)[8]!;
    const sizeBefore = statSync(logPath).size;
    flipByte(logPath, victim.position + 30);

    const { report, named } = eventLog();
    const storage = await openFileStorage({ dataDir, now: atT0, report });
    try {
      const log = await storage.openShardLog('s@1', SHARD);
      const [event] = named('segment-damaged');
      assert.equal(event?.file, logPath);
      assert.equal(event?.position, victim.position);
      assert.deepEqual(named('torn-tail-truncated'), []);
      assert.equal(statSync(logPath).size, sizeBefore, 'the intact records after the damage are kept');
      assert.equal(log.endOffset, 20);
      const kept = range(0, 20).filter((n) => n !== 8);
      assert.deepEqual(await readAll(storage), expected(kept));
      assert.deepEqual(await log.append([testRecord(20)]), { firstOffset: 20 });
      assert.deepEqual(await readAll(storage), expected([...kept, 20]));
    } finally {
      await storage.close();
    }
  });

  it('serves nothing past the cut of a truncated sealed segment, and the segments after it', async () => {
    const { options, dir, bases } = await segmentedLog('sealed-cut', 160);
    const base = bases[1]!;
    const logPath = segmentPath(dir, base, 'log');
    const frames = framesOf(logPath);
    const cutFrame = frames[Math.floor(frames.length / 2)]!;
    truncateSync(logPath, cutFrame.position + 10);

    const { report, named } = eventLog();
    const storage = await openFileStorage({ ...options, report });
    try {
      const log = await storage.openShardLog('s@1', SHARD);
      const kept = range(0, 160).filter((n) => n < cutFrame.offset || n >= bases[2]!);
      assert.deepEqual((await log.read(0, ALL)).map(plain), expected(kept));
      // Read in small steps too, so that reads start inside and right after the lost stretch.
      const stepped: number[] = [];
      for (let next = 0, i = 0; next < log.endOffset && i < 200; i++) {
        const batch = await log.read(next, { maxRecords: 3, maxBytes: Number.MAX_SAFE_INTEGER });
        if (batch.length === 0) break;
        stepped.push(...batch.map((record) => record.offset));
        next = batch.at(-1)!.offset + 1;
      }
      assert.deepEqual(stepped, kept);
      const [event] = named('segment-damaged');
      assert.equal(event?.file, logPath);
      assert.equal(event?.position, cutFrame.position);
      assert.equal(statSync(logPath).size, cutFrame.position + 10, 'reads never write');
      assert.deepEqual(await log.append([testRecord(160)]), { firstOffset: 160 });
    } finally {
      await storage.close();
    }
  });
});

describe('file store: large records', () => {
  it('keeps records larger than a read chunk across a reopen', async () => {
    const dataDir = tempDataDir('large');
    const options: FileStorageOptions = { dataDir, now: atT0 };
    const sizes = [5 * 1024 * 1024, 10 * 1024 * 1024 - 2, 3];
    const storage = await openFileStorage(options);
    const log = await storage.openShardLog('s@1', SHARD);
    await log.append(sizes.map((size, n) => ({ arrivalTime: 1, partitionKey: `k${n}`, data: new Uint8Array(size).fill(n + 1) })));
    await storage.close();
    const reopened = await openFileStorage(options);
    try {
      const records = await (await reopened.openShardLog('s@1', SHARD)).read(0, ALL);
      assert.deepEqual(records.map((r) => [r.offset, r.data.byteLength, r.data[r.data.byteLength - 1]]), [
        [0, sizes[0], 1],
        [1, sizes[1], 2],
        [2, sizes[2], 3],
      ]);
    } finally {
      await reopened.close();
    }
  });
});
