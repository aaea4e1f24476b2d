import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DATA_FORMAT_VERSION, openFileStorage, type MetadataMutation, type StreamRecord } from '@riffle/storage';
import { eventLog } from './event-log.js';
import { atT0, testStream } from './test-record.js';
import { tempDataDir } from './temp-data-dir.js';

const stream = (name: string, shards = 2): StreamRecord => testStream(name, { shards, createdAt: 1_700_000_000_000 });

const put = (name: string, shards = 2): MetadataMutation => ({ type: 'putStream', stream: stream(name, shards) });
const names = (snapshot: { streams: readonly StreamRecord[] }) => snapshot.streams.map((item) => item.name).sort();
const journalOf = (dataDir: string) => {
  const name = readdirSync(join(dataDir, 'metadata')).find((item) => item.startsWith('journal-'))!;
  return join(dataDir, 'metadata', name);
};

describe('file store: metadata journal', () => {

  it('keeps channel records through compaction and reopening', async () => {
    const dataDir = tempDataDir('channels');
    const options = { dataDir, now: atT0, metadataCompactAfterBytes: 1024 };
    const channel = (id: string, offset: number) => ({
      id,
      name: `c-${id}`,
      status: 'ACTIVE' as const,
      createdAt: 1_700_000_000_000,
      serviceExecutionRoleArn: 'arn:aws:iam::123456789012:role/r',
      stream: { name: 's0', streamKey: 's0@1', createdAt: 1_700_000_000_000, recordFormat: 'BYTE_ARRAY' as const },
      destination: {
        type: 'S3' as const,
        dataFreshnessSeconds: 300,
        storage: {
          bucketArn: 'arn:aws:s3:::b',
          expectedBucketOwner: '123456789012',
          compressionType: 'NONE' as const,
          outputKeyTemplate: 'k!{extension}',
          storageClass: 'STANDARD' as const,
        },
        deadLetterQueue: { bucketArn: 'arn:aws:s3:::b', expectedBucketOwner: '123456789012', errorOutputPrefix: 'e/' },
      },
      logging: { enabled: false },
      tags: [],
      positions: [{ shardIndex: 0, offset }],
    });
    let storage = await openFileStorage(options);
    for (let i = 0; i < 40; i++) await storage.metadata.commit([{ type: 'putChannel', channel: channel(`c${i % 3}`, i) }]);
    await storage.metadata.commit([{ type: 'deleteChannel', id: 'c1' }]);
    const before = await storage.metadata.load();
    assert.deepEqual(before.channels.map((c) => [c.id, c.positions[0]!.offset]).sort(), [['c0', 39], ['c2', 38]]);
    await storage.close();
    assert.ok(readdirSync(join(dataDir, 'metadata')).some((name) => name !== 'snapshot-00000000000000000000.json' && name.startsWith('snapshot-')));
    storage = await openFileStorage(options);
    try {
      assert.deepEqual(await storage.metadata.load(), before);
    } finally {
      await storage.close();
    }
  });
  it('compacts into snapshots, keeps every stream across reopens, and leaves one generation on disk', async () => {
    const dataDir = tempDataDir('compaction');
    const options = { dataDir, now: atT0, metadataCompactAfterBytes: 2048 };
    let storage = await openFileStorage(options);
    const expected = new Set<string>();
    for (let i = 0; i < 60; i++) {
      await storage.metadata.commit([put(`s${i}`, 1 + (i % 4))]);
      expected.add(`s${i}`);
      if (i % 7 === 3) {
        await storage.metadata.commit([{ type: 'deleteStream', name: `s${i - 2}` }]);
        expected.delete(`s${i - 2}`);
      }
    }
    await storage.metadata.commit([{ type: 'putSetting', key: 'limits', value: 'x' }]);
    const before = await storage.metadata.load();
    assert.deepEqual(names(before), [...expected].sort());
    await storage.close();

    const files = readdirSync(join(dataDir, 'metadata')).sort();
    assert.equal(files.length, 2, `one snapshot and its journal: ${files.join(', ')}`);
    const generation = /^snapshot-(\d{20})\.json$/.exec(files[1]!)?.[1];
    assert.ok(generation && Number(generation) > 1, 'compacted more than once');
    assert.deepEqual(files, [`journal-${generation}.log`, `snapshot-${generation}.json`]);

    storage = await openFileStorage(options);
    try {
      const after = await storage.metadata.load();
      assert.deepEqual(after, before);
      assert.equal(after.streams.find((item) => item.name === 's59')!.shards[3]!.hashKeyEnd, 2n ** 128n - 1n);
      await storage.metadata.commit([put('late')]);
    } finally {
      await storage.close();
    }
    storage = await openFileStorage(options);
    try {
      assert.deepEqual(names(await storage.metadata.load()), [...expected, 'late'].sort());
    } finally {
      await storage.close();
    }
  });

  it('loads the newest generation and removes what an interrupted compaction left behind', async () => {
    const dataDir = tempDataDir('compaction-leftovers');
    const options = { dataDir, now: atT0, metadataCompactAfterBytes: 1024 };
    const first = await openFileStorage(options);
    for (let i = 0; i < 20; i++) await first.metadata.commit([put(`s${i}`)]);
    const before = await first.metadata.load();
    await first.close();
    const dir = join(dataDir, 'metadata');
    const kept = readdirSync(dir).sort();
    const generation = Number(/^snapshot-(\d{20})\.json$/.exec(kept[1]!)![1]);
    const stem = (n: number) => String(n).padStart(20, '0');
    // An older generation not yet removed, and the temp file of a snapshot whose rename never happened.
    writeFileSync(join(dir, `snapshot-${stem(generation - 1)}.json`), 'old');
    writeFileSync(join(dir, `journal-${stem(generation - 1)}.log`), 'old');
    writeFileSync(join(dir, `snapshot-${stem(generation + 1)}.json.tmp`), 'half');

    const storage = await openFileStorage(options);
    try {
      assert.deepEqual(await storage.metadata.load(), before);
      assert.deepEqual(readdirSync(dir).sort(), kept);
    } finally {
      await storage.close();
    }
  });

  it('cuts a torn last commit off the journal at open', async () => {
    const dataDir = tempDataDir('journal-torn');
    const first = await openFileStorage({ dataDir, now: atT0 });
    await first.metadata.commit([put('a')]);
    await first.metadata.commit([put('b')]);
    await first.close();
    const journal = journalOf(dataDir);
    const whole = readFileSync(journal).length;
    // The start of a commit frame: a length, a CRC, then less payload than the length says.
    const torn = Buffer.alloc(8 + 20);
    torn.writeUInt32LE(500, 0);
    torn.write('[{"type":"putStream"', 8);
    appendFileSync(journal, torn);

    const { report, named } = eventLog();
    const storage = await openFileStorage({ dataDir, now: atT0, report });
    try {
      assert.deepEqual(names(await storage.metadata.load()), ['a', 'b']);
      assert.equal(readFileSync(journal).length, whole);
      const [event] = named('torn-tail-truncated');
      assert.equal(event?.file, journal);
      assert.equal(event?.position, whole);
      await storage.metadata.commit([put('c')]);
    } finally {
      await storage.close();
    }
    const again = await openFileStorage({ dataDir, now: atT0 });
    try {
      assert.deepEqual(names(await again.metadata.load()), ['a', 'b', 'c']);
    } finally {
      await again.close();
    }
  });

  it('skips only a damaged commit in the middle of the journal', async () => {
    const dataDir = tempDataDir('journal-damaged');
    const first = await openFileStorage({ dataDir, now: atT0 });
    await first.metadata.commit([put('a')]);
    const journal = journalOf(dataDir);
    const damagedAt = readFileSync(journal).length;
    await first.metadata.commit([put('b'), { type: 'putSetting', key: 'k', value: 'from b' }]);
    await first.metadata.commit([put('c')]);
    await first.metadata.commit([{ type: 'deleteStream', name: 'a' }]);
    await first.close();
    const bytes = readFileSync(journal);
    bytes[damagedAt + 40] = bytes[damagedAt + 40]! ^ 0x20;
    writeFileSync(journal, bytes);

    const { report, named } = eventLog();
    const storage = await openFileStorage({ dataDir, now: atT0, report });
    try {
      const snapshot = await storage.metadata.load();
      assert.deepEqual(names(snapshot), ['c']);
      assert.deepEqual(snapshot.settings, {});
      const [event] = named('metadata-damaged');
      assert.equal(event?.file, journal);
      assert.equal(event?.position, damagedAt);
      assert.deepEqual(named('torn-tail-truncated'), []);
      assert.equal(readFileSync(journal).length, bytes.length, 'the intact commits after it are kept');
      await storage.metadata.commit([put('d')]);
    } finally {
      await storage.close();
    }
    const again = await openFileStorage({ dataDir, now: atT0 });
    try {
      assert.deepEqual(names(await again.metadata.load()), ['c', 'd']);
    } finally {
      await again.close();
    }
  });

  it('refuses a damaged snapshot rather than start on metadata it cannot trust', async () => {
    const dataDir = tempDataDir('snapshot-damaged');
    const first = await openFileStorage({ dataDir, now: atT0, metadataCompactAfterBytes: 100 });
    await first.metadata.commit([put('a')]);
    await first.close();
    const dir = join(dataDir, 'metadata');
    const snapshot = join(dir, readdirSync(dir).find((name) => name.startsWith('snapshot-'))!);
    const bytes = readFileSync(snapshot);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x01;
    writeFileSync(snapshot, bytes);
    await assert.rejects(openFileStorage({ dataDir, now: atT0 }), { code: 'RIFFLE_ERR_METADATA_CORRUPT' });
  });
});

describe('file store: the data directory', () => {
  it('writes a version marker and keeps only its own entries in the data directory', async () => {
    const dataDir = tempDataDir('layout');
    const storage = await openFileStorage({ dataDir, now: atT0 });
    await (await storage.openShardLog('s@1', 'shardId-000000000000')).append([{ arrivalTime: 1, partitionKey: 'p', data: new Uint8Array(1) }]);
    await storage.metadata.commit([put('s')]);
    await storage.close();
    assert.deepEqual(JSON.parse(readFileSync(join(dataDir, 'riffle-data.json'), 'utf8')), { format: 'riffle-data', version: 1 });
    assert.equal(DATA_FORMAT_VERSION, 1);
    assert.deepEqual(readdirSync(dataDir).sort(), ['metadata', 'riffle-data.json', 'streams']);
    // Opening it again keeps the marker as it is.
    const before = readFileSync(join(dataDir, 'riffle-data.json'), 'utf8');
    await (await openFileStorage({ dataDir, now: atT0 })).close();
    assert.equal(readFileSync(join(dataDir, 'riffle-data.json'), 'utf8'), before);
  });

  for (const [label, marker] of [
    ['a later version', { format: 'riffle-data', version: 2 }],
    ['version 0', { format: 'riffle-data', version: 0 }],
    ['no version', { format: 'riffle-data' }],
    ['not JSON', 'version: 1'],
  ] as const) {
    it(`refuses a data directory whose marker has ${label}`, async () => {
      const dataDir = tempDataDir('layout-version');
      writeFileSync(join(dataDir, 'riffle-data.json'), typeof marker === 'string' ? marker : JSON.stringify(marker));
      await assert.rejects(openFileStorage({ dataDir, now: atT0 }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'RIFFLE_ERR_DATA_FORMAT');
        assert.match(error.message, /riffle-data\.json/);
        return true;
      });
      // Nothing was written into a directory it refused.
      assert.deepEqual(readdirSync(dataDir), ['riffle-data.json']);
    });
  }
});
