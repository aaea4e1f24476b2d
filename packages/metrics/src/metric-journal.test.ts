import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MetricJournal } from './metric-journal.js';
import { MetricRegistry, type MetricIdentity } from './metric-registry.js';
import { MINUTE_MS } from './minute-series.js';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const HOUR_MS = 60 * MINUTE_MS;
const incoming: MetricIdentity = { namespace: 'AWS/Kinesis', name: 'IncomingRecords', dimensions: { StreamName: 's' } };
const bytes: MetricIdentity = { namespace: 'AWS/Kinesis', name: 'IncomingBytes', dimensions: { StreamName: 's', ShardId: 'shardId-000000000000' } };
const directories: string[] = [];
after(() => Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true }))));

async function newDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'riffle-metric-journal-'));
  directories.push(directory);
  return directory;
}

const open = (directory: string, registry: MetricRegistry, now: number, retentionMinutes = 25 * 60) =>
  MetricJournal.open({ directory, registry, retentionMinutes }, now);

const sumsOf = (registry: MetricRegistry, identity: MetricIdentity) =>
  registry.query(identity, 0, Number.MAX_SAFE_INTEGER, MINUTE_MS).map((point) => [point.timestamp, point.statistics.sum, point.statistics.sampleCount]);

describe('MetricJournal', () => {
  it('brings every minute back after a restart, with all four statistics', async () => {
    const directory = await newDirectory();
    const before = new MetricRegistry();
    const journal = await open(directory, before, T0);
    before.record(incoming, T0 + 1, 3);
    before.record(incoming, T0 + 2, 7);
    before.record(bytes, T0 + MINUTE_MS, 1024);
    await journal.flush(T0 + 2 * MINUTE_MS);

    const after = new MetricRegistry();
    await open(directory, after, T0 + 3 * MINUTE_MS);
    assert.deepEqual(after.query(incoming, T0, T0 + MINUTE_MS, MINUTE_MS), [
      { timestamp: T0, statistics: { sampleCount: 2, sum: 10, minimum: 3, maximum: 7 } },
    ]);
    assert.deepEqual(sumsOf(after, bytes), [[T0 + MINUTE_MS, 1024, 1]]);
  });

  it('writes only what changed, and a minute written twice counts once (the later line replaces it)', async () => {
    const directory = await newDirectory();
    const registry = new MetricRegistry();
    const journal = await open(directory, registry, T0);
    registry.record(incoming, T0, 1);
    await journal.flush(T0 + 10);
    registry.record(incoming, T0 + 20, 1);
    await journal.flush(T0 + 30);
    await journal.flush(T0 + 40);
    const [file] = await readdir(directory);
    const lines = (await readFile(join(directory, file!), 'utf8')).trim().split('\n');
    assert.equal(lines.length, 2, 'the third flush had nothing to write');
    assert.ok(lines[0]!.includes('"d"') && !lines[1]!.includes('"d"'), 'a series is declared once per file');

    const restored = new MetricRegistry();
    await open(directory, restored, T0 + 50);
    assert.deepEqual(sumsOf(restored, incoming), [[T0, 2, 2]]);
  });

  it('keeps counting into a minute after a restart without counting the restored part twice', async () => {
    const directory = await newDirectory();
    const first = new MetricRegistry();
    const firstJournal = await open(directory, first, T0);
    first.record(incoming, T0 + 1, 5);
    await firstJournal.flush(T0 + 2);

    const second = new MetricRegistry();
    const secondJournal = await open(directory, second, T0 + 3);
    second.record(incoming, T0 + 4, 5);
    await secondJournal.flush(T0 + 5);

    const third = new MetricRegistry();
    await open(directory, third, T0 + 6);
    assert.deepEqual(sumsOf(third, incoming), [[T0, 10, 2]]);
  });

  it('skips a torn last line and deletes hourly files older than the retention', async () => {
    const directory = await newDirectory();
    const registry = new MetricRegistry({ retentionMinutes: 120 });
    const journal = await open(directory, registry, T0, 120);
    registry.record(incoming, T0, 1);
    await journal.flush(T0 + 1);
    registry.record(incoming, T0 + HOUR_MS, 2);
    await journal.flush(T0 + HOUR_MS + 1);
    const files = (await readdir(directory)).sort();
    assert.deepEqual(files, ['minutes-20261201T10.jsonl', 'minutes-20261201T11.jsonl']);
    await appendFile(join(directory, files[1]!), '{"p":[[0,');

    const restored = new MetricRegistry({ retentionMinutes: 120 });
    await open(directory, restored, T0 + HOUR_MS + 2, 120);
    assert.deepEqual(sumsOf(restored, incoming), [[T0, 1, 1], [T0 + HOUR_MS, 2, 1]]);

    const later = new MetricRegistry({ retentionMinutes: 120 });
    await open(directory, later, T0 + 5 * HOUR_MS, 120);
    assert.deepEqual(await readdir(directory), ['minutes-20261201T11.jsonl'], 'the 10:00 file is past 120 minutes and an hour');
    assert.deepEqual(sumsOf(later, incoming), [], 'and what remains is past the retention too');
  });

  it('ignores files that are not its own', async () => {
    const directory = await newDirectory();
    await writeFile(join(directory, 'notes.txt'), 'hello');
    await writeFile(join(directory, 'minutes-20261201T10.jsonl'), 'not json\n');
    const registry = new MetricRegistry();
    await open(directory, registry, T0);
    assert.equal(registry.seriesCount, 0);
  });
});
