import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { openFileStorage, type FaultProbe, type FileStorageOptions, type RecordToAppend } from '@riffle/storage';
import { eventLog } from './event-log.js';
import { indexEntries, segmentBases, segmentPath } from './segment-files.js';
import { T0, atT0, plain, testRecord } from './test-record.js';
import { tempDataDir } from './temp-data-dir.js';

const SHARD = 'shardId-000000000000';
const COUNT = 300;

/** Mostly rising arrival times with repeats and a step back now and then, as a real clock gives. */
function arrival(n: number): number {
  return T0 + Math.floor(n / 2) * 10 - (n % 23 === 0 ? 25 : 0);
}
const record = (n: number): RecordToAppend => testRecord(n, { arrivalTime: arrival(n) });

interface Answers {
  reads: unknown[][];
  times: number[];
}

const lookupTimes = Array.from({ length: (COUNT / 2) * 2 + 8 }, (_, i) => T0 - 40 + i * 5 + (i % 2));

/** Every read of three records from every offset, and offsetAtTime over the whole span of arrival times. */
async function answers(options: FileStorageOptions): Promise<Answers> {
  const storage = await openFileStorage(options);
  try {
    const log = await storage.openShardLog('s@1', SHARD);
    const reads = [];
    for (let from = 0; from <= COUNT; from++) {
      reads.push((await log.read(from, { maxRecords: 3, maxBytes: Number.MAX_SAFE_INTEGER })).map(plain));
    }
    const times = [];
    for (const time of lookupTimes) times.push(await log.offsetAtTime(time));
    return { reads, times };
  } finally {
    await storage.close();
  }
}

describe('file store: damaged index files', () => {
  let pristine: string;
  let shardPath: string;
  let truth: Answers;

  before(async () => {
    pristine = tempDataDir('index-pristine');
    const storage = await openFileStorage({ dataDir: pristine, now: atT0, segmentBytes: 4096, indexIntervalBytes: 256 });
    const log = await storage.openShardLog('s@1', SHARD);
    for (let n = 0; n < COUNT; n += 2) await log.append([record(n), record(n + 1)]);
    shardPath = storage.shardDirectory('s@1', SHARD).slice(pristine.length);
    await storage.close();
    assert.ok(segmentBases(join(pristine, shardPath)).length >= 6);
    truth = await answers({ dataDir: pristine, now: atT0, segmentBytes: 4096, indexIntervalBytes: 256 });
    // The answers are the log's: every record once, in order; times as a scan of the records finds them.
    assert.deepEqual(truth.reads[0]!.map((item) => (item as { offset: number }).offset), [0, 1, 2]);
    const byScan = lookupTimes.map((time) => {
      let max = -Infinity;
      for (let n = 0; n < COUNT; n++) if ((max = Math.max(max, arrival(n))) >= time) return n;
      return COUNT;
    });
    assert.deepEqual(truth.times, byScan);
  });

  /** Copies the pristine data, damages every segment's files (the active one's too), and compares the answers. */
  async function damaged(damage: (files: { index: string; timeIndex: string }) => void) {
    const dataDir = tempDataDir('index-damaged');
    rmSync(dataDir, { recursive: true });
    cpSync(pristine, dataDir, { recursive: true });
    const dir = join(dataDir, shardPath);
    for (const base of segmentBases(dir)) damage({ index: segmentPath(dir, base, 'index'), timeIndex: segmentPath(dir, base, 'timeindex') });
    const { report, events } = eventLog();
    const got = await answers({ dataDir, now: atT0, segmentBytes: 4096, indexIntervalBytes: 256, report });
    const offsets = (reads: unknown[][]) => reads.map((batch) => batch.map((item) => (item as { offset: number }).offset).join(','));
    assert.deepEqual(offsets(got.reads), offsets(truth.reads));
    assert.deepEqual(got.reads, truth.reads);
    assert.deepEqual(got.times, truth.times);
    // An index is only a hint: its damage is not damage to the log.
    assert.deepEqual(events.filter((event) => event.event === 'segment-damaged'), []);
  }

  const edit = (path: string, change: (bytes: Buffer) => void) => {
    const bytes = readFileSync(path);
    change(bytes);
    writeFileSync(path, bytes);
  };
  const middleEntry = (path: string, entryBytes: number) => Math.floor(readFileSync(path).length / entryBytes / 2) * entryBytes;

  it('an offset-index entry whose offset is off by one (still in order)', () =>
    damaged(({ index }) => {
      assert.ok(indexEntries(index).length >= 4);
      edit(index, (bytes) => {
        const at = middleEntry(index, 8);
        bytes.writeUInt32LE(bytes.readUInt32LE(at) - 1, at);
      });
    }));

  it('an offset-index entry whose position is off by a few bytes (still in order)', () =>
    damaged(({ index }) =>
      edit(index, (bytes) => {
        const at = middleEntry(index, 8) + 4;
        bytes.writeUInt32LE(bytes.readUInt32LE(at) + 7, at);
      }),
    ));

  it('an offset-index entry pointing past the end of the log', () =>
    damaged(({ index }) => edit(index, (bytes) => (bytes[middleEntry(index, 8) + 7] = 0x7f))));

  it('an offset index cut in half, and one cut inside an entry', () =>
    damaged(({ index }) => truncateSync(index, Math.floor(readFileSync(index).length / 2) + 3)));

  it('a missing offset index', () => damaged(({ index }) => rmSync(index)));

  it('an offset index of garbage', () =>
    damaged(({ index }) => writeFileSync(index, Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 97 + 13) % 256)))));

  it('a time-index entry with a flipped byte', () =>
    damaged(({ timeIndex }) => edit(timeIndex, (bytes) => (bytes[middleEntry(timeIndex, 16) + 2]! ^= 0x40))));

  it('a time index cut inside an entry', () =>
    damaged(({ timeIndex }) => truncateSync(timeIndex, Math.floor(readFileSync(timeIndex).length / 2) + 5)));

  it('a time index that lost its last entries (cut at an entry boundary, as a crash can leave it)', () =>
    damaged(({ timeIndex }) => truncateSync(timeIndex, Math.floor(readFileSync(timeIndex).length / 32) * 16)));

  it('a missing time index', () => damaged(({ timeIndex }) => rmSync(timeIndex)));

  it('both indexes missing', () =>
    damaged(({ index, timeIndex }) => {
      rmSync(index);
      rmSync(timeIndex);
    }));
});

describe('file store: lookups go through the indexes', () => {
  it('reads one record and finds a time in a 20 MB log reading a small part of it', async () => {
    const dataDir = tempDataDir('lookups');
    const counted = { bytes: 0, writes: 0 };
    const faults: FaultProbe = {
      beforeRead: (_path, _position, length) => void (counted.bytes += length),
      beforeWrite: () => void counted.writes++,
    };
    const options = { dataDir, now: atT0, faults };
    const total = 20_000;
    const big = (n: number) => testRecord(n, { dataBytes: 1024, arrivalTime: T0 + n });
    let storage = await openFileStorage(options);
    let log = await storage.openShardLog('s@1', SHARD);
    for (let n = 0; n < total; n += 500) await log.append(Array.from({ length: 500 }, (_, i) => big(n + i)));
    const logBytes = readFileSync(segmentPath(storage.shardDirectory('s@1', SHARD), 0, 'log')).length;
    assert.ok(logBytes > 20_000_000);
    await storage.close();

    counted.bytes = 0;
    storage = await openFileStorage(options);
    try {
      log = await storage.openShardLog('s@1', SHARD);
      assert.equal(log.endOffset, total);
      assert.ok(counted.bytes < 1024 * 1024, `recovery read ${counted.bytes} bytes`);

      counted.bytes = 0;
      const [found] = await log.read(15_000, { maxRecords: 1, maxBytes: 10 * 1024 * 1024 });
      assert.deepEqual(plain(found!), plain({ ...big(15_000), offset: 15_000 }));
      assert.ok(counted.bytes < 1024 * 1024, `read(15000) read ${counted.bytes} of ${logBytes} bytes`);

      counted.bytes = 0;
      assert.equal(await log.offsetAtTime(T0 + 12_345), 12_345);
      assert.ok(counted.bytes < 1024 * 1024, `offsetAtTime read ${counted.bytes} of ${logBytes} bytes`);
    } finally {
      await storage.close();
    }
  });

  it('reads and time lookups of sealed segments never write', async () => {
    const dataDir = tempDataDir('read-only');
    const writes: string[] = [];
    const faults: FaultProbe = { beforeWrite: (path) => void writes.push(path) };
    const options = { dataDir, now: atT0, segmentBytes: 2048, indexIntervalBytes: 256, faults };
    let storage = await openFileStorage(options);
    let log = await storage.openShardLog('s@1', SHARD);
    for (let n = 0; n < 100; n += 4) await log.append([0, 1, 2, 3].map((i) => testRecord(n + i)));
    await storage.close();

    storage = await openFileStorage(options);
    try {
      log = await storage.openShardLog('s@1', SHARD);
      writes.length = 0;
      const all = await log.read(0, { maxRecords: 1000, maxBytes: Number.MAX_SAFE_INTEGER });
      assert.equal(all.length, 100);
      for (let n = 0; n < 100; n += 7) {
        assert.equal((await log.read(n, { maxRecords: 1, maxBytes: 0 }))[0]?.offset, n);
        assert.equal(await log.offsetAtTime(T0 + n * 10), n);
      }
      assert.deepEqual(writes, []);
    } finally {
      await storage.close();
    }
  });
});

describe('file store: lookups while a segment loads', () => {
  it('a time lookup during the reload of an unloaded segment waits for it rather than use a half-built summary', async () => {
    const dataDir = tempDataDir('reload-race');
    let onRead: ((path: string, position: number) => void) | undefined;
    const faults: FaultProbe = { beforeRead: (path, position) => onRead?.(path, position) };
    // 4 KiB segments with the default 4 KiB index interval hold no index entries: a load scans from the start.
    const options = { dataDir, now: atT0, segmentBytes: 4096, loadedSealedSegments: 1, faults };
    let storage = await openFileStorage(options);
    let log = await storage.openShardLog('s@1', SHARD);
    for (let n = 0; n < 200; n += 4) await log.append([0, 1, 2, 3].map((i) => testRecord(n + i)));
    const dir = storage.shardDirectory('s@1', SHARD);
    const bases = segmentBases(dir);
    await storage.close();
    assert.ok(bases.length >= 4);

    storage = await openFileStorage(options);
    try {
      log = await storage.openShardLog('s@1', SHARD);
      const one = { maxRecords: 1, maxBytes: 0 };
      await log.read(0, one);
      // Reading the second segment unloads the first (one loaded sealed segment at a time).
      await log.read(bases[1]!, one);
      const firstLog = segmentPath(dir, 0, 'log');
      let lookup: Promise<number> | undefined;
      onRead = (path, position) => {
        if (path !== firstLog || position !== 0 || lookup) return;
        // The first segment is being loaded again (its records are being scanned): look a time up right now.
        lookup = log.offsetAtTime(T0);
      };
      const reread = await log.read(0, one);
      onRead = undefined;
      assert.equal(reread[0]?.offset, 0);
      assert.ok(lookup, 'the lookup ran during the reload');
      assert.equal(await lookup, 0);
      assert.equal(await log.offsetAtTime(T0), 0);
    } finally {
      await storage.close();
    }
  });
});

