import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killRiffle, kinesisClient, kinesisJson, readShard, startRiffle, type RiffleProcess } from '@riffle/testkit';

// A real full disk, not a fault probe: an 8 MiB tmpfs (root only; CI runs as root) under the data directory.

const StreamName = 'disk-full';
const SHARDS = 2;
/** Left free by the filler file: a few batches fit, then the disk is full. */
const LEAVE_FREE_BYTES = 96 * 1024;

interface Acknowledged {
  shardId: string;
  payload: string;
}

describe('disk full', () => {
  // Large segments: the disk fills inside one file. Small ones: segments roll (new files) while it is full.
  for (const { segmentBytes, fsync } of [
    { segmentBytes: 512 * 1024, fsync: 'always' },
    { segmentBytes: 8 * 1024, fsync: 'interval' },
  ]) {
  it(`answers InternalFailure, keeps serving what it acknowledged, writes again once space is freed, and keeps it all across kill -9 (--segment-bytes ${segmentBytes} --fsync ${fsync})`, async (t) => {
    assert.equal(process.getuid?.(), 0, 'this test mounts a tmpfs and must run as root (CI does)');
    const mountPoint = await mkdtemp(join(tmpdir(), 'riffle-disk-full-'));
    let mounted = false;
    let riffle: RiffleProcess | undefined;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint]);
      mounted = true;
      const dataDir = join(mountPoint, 'data');
      const args = ['--segment-bytes', String(segmentBytes), '--fsync', fsync];
      riffle = await startRiffle({ dataDir, args });
      const acknowledged = new Map<string, Acknowledged>();
      let sequence = 0;
      const batch = (count: number, bytes: number) =>
        Array.from({ length: count }, () => {
          const payload = JSON.stringify({ n: sequence++, pad: 'x'.repeat(bytes) });
          return { payload, entry: { PartitionKey: `k${sequence}`, Data: Buffer.from(payload).toString('base64') } };
        });
      const putRecords = async (count: number, bytes: number) => {
        const records = batch(count, bytes);
        const { status, body } = await kinesisJson(riffle!.endpoint, 'PutRecords', { StreamName, Records: records.map((r) => r.entry) });
        if (status === 200) {
          body.Records.forEach((entry: { SequenceNumber?: string; ShardId?: string; ErrorCode?: string }, i: number) => {
            if (entry.ErrorCode === undefined) acknowledged.set(entry.SequenceNumber!, { shardId: entry.ShardId!, payload: records[i]!.payload });
          });
        }
        return { status, body };
      };
      const putRecord = async (bytes: number) => {
        const [record] = batch(1, bytes);
        const { status, body } = await kinesisJson(riffle!.endpoint, 'PutRecord', { StreamName, ...record!.entry });
        if (status === 200) acknowledged.set(body.SequenceNumber, { shardId: body.ShardId, payload: record!.payload });
        return { status, body };
      };
      const checkAllReadable = async (label: string) => {
        const client = kinesisClient(riffle!.endpoint, { http: '1.1' });
        try {
          const stored = new Map<string, Acknowledged>();
          for (let shard = 0; shard < SHARDS; shard++) {
            const shardId = `shardId-${String(shard).padStart(12, '0')}`;
            for (const record of await readShard(client, StreamName, shardId, { maxCalls: 100 })) {
              stored.set(record.SequenceNumber!, { shardId, payload: Buffer.from(record.Data!).toString('utf8') });
            }
          }
          const missing = [...acknowledged].filter(([sequenceNumber, record]) => {
            const found = stored.get(sequenceNumber);
            return found?.shardId !== record.shardId || found.payload !== record.payload;
          });
          assert.deepEqual(missing.map(([sequenceNumber]) => sequenceNumber), [], `${label}: every acknowledged record is readable as acknowledged`);
          return stored.size;
        } finally {
          client.destroy();
        }
      };

      assert.equal((await kinesisJson(riffle.endpoint, 'CreateStream', { StreamName, ShardCount: SHARDS })).status, 200);
      for (let i = 0; i < 5; i++) assert.equal((await putRecords(20, 500)).status, 200);

      // Fill the disk but for a little space, with real blocks (tmpfs allocates pages as they are written).
      const filler = join(mountPoint, 'filler');
      fill(filler, mountPoint, LEAVE_FREE_BYTES);

      // Four writers at once until each has been refused; bounded, the space left holds a few dozen KiB.
      const answers: { status: number; body: any }[] = [];
      await Promise.all(
        Array.from({ length: 4 }, async (_, writer) => {
          let refused = 0;
          for (let attempt = 0; attempt < 300 && refused < 3; attempt++) {
            const answer = (attempt + writer) % 3 === 2 ? await putRecord(2000) : await putRecords(20, 1000);
            answers.push(answer);
            if (answer.status !== 200) refused++;
          }
        }),
      );
      const failures = answers.filter((answer) => answer.status !== 200);
      t.diagnostic(`${answers.length} writes on the full disk, ${failures.length} refused; ${acknowledged.size} records acknowledged`);
      assert.ok(failures.length > 0, 'writes are refused on a full disk');
      for (const failure of failures) {
        assert.equal(failure.status, 500, JSON.stringify(failure.body));
        assert.equal(failure.body.__type, 'InternalFailure', JSON.stringify(failure.body));
      }

      assert.equal(riffle.child.exitCode, null, 'the server is still running');
      assert.equal((await kinesisJson(riffle.endpoint, 'ListStreams', {})).status, 200);
      await checkAllReadable('disk full');
      const logged = riffle.logs
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => entry.level === 'error' && JSON.stringify(entry).includes('ENOSPC'));
      assert.ok(logged.length > 0, `an error line names ENOSPC; logs: ${riffle.logs.join('\n')}`);
      assert.ok(
        logged.some((entry) => ['write-failed', 'sync-failed', 'internal-failure', 'metadata-write-failed'].includes(String(entry.event))),
        `the ENOSPC error line names the failure: ${JSON.stringify(logged)}`,
      );
      t.diagnostic(`logged: ${JSON.stringify(logged[0])}`);

      // A control-plane change on a disk with no space at all: done (and kept) or refused (and not made).
      fill(join(mountPoint, 'filler-2'), mountPoint, 0);
      const create = await kinesisJson(riffle.endpoint, 'CreateStream', { StreamName: 'made-when-full', ShardCount: 1 });
      if (create.status !== 200) {
        assert.equal(create.status, 500, JSON.stringify(create.body));
        assert.equal(create.body.__type, 'InternalFailure');
      }
      t.diagnostic(`CreateStream on a disk with no space left: ${create.status}`);
      const listedWhenFull = (await kinesisJson(riffle.endpoint, 'ListStreams', {})).body.StreamNames;
      assert.deepEqual(listedWhenFull, create.status === 200 ? ['disk-full', 'made-when-full'] : ['disk-full']);

      // Metadata changes until one needs a block the disk does not have: refused, and not made.
      let lastTags: Record<string, string> = {};
      let tagRefusal: { status: number; body: any } | undefined;
      for (let i = 0; i < 200 && !tagRefusal; i++) {
        const tags = { version: `v${i}-${'t'.repeat(200)}` };
        const answer = await kinesisJson(riffle.endpoint, 'AddTagsToStream', { StreamName, Tags: tags });
        if (answer.status === 200) lastTags = tags;
        else tagRefusal = answer;
      }
      assert.ok(tagRefusal, 'a metadata change is refused on a full disk');
      assert.equal(tagRefusal.status, 500, JSON.stringify(tagRefusal.body));
      assert.equal(tagRefusal.body.__type, 'InternalFailure', JSON.stringify(tagRefusal.body));
      const tagsNow = async () =>
        Object.fromEntries(
          (await kinesisJson(riffle!.endpoint, 'ListTagsForStream', { StreamName })).body.Tags.map((tag: { Key: string; Value: string }) => [tag.Key, tag.Value]),
        );
      assert.deepEqual(await tagsNow(), lastTags, 'the refused change was not made');
      assert.ok(
        riffle.logs.some((line) => line.includes('"level":"error"') && line.includes('metadata-write-failed') && line.includes('ENOSPC')),
        'the refused metadata change is logged as an error naming ENOSPC',
      );

      // Killed while the disk is full, it starts again on it and serves what it acknowledged.
      assert.equal(await killRiffle(riffle), 'SIGKILL');
      riffle = await startRiffle({ dataDir, args });
      assert.deepEqual((await kinesisJson(riffle.endpoint, 'ListStreams', {})).body.StreamNames, listedWhenFull, 'the same streams after the restart');
      await checkAllReadable('restarted on a full disk');
      assert.deepEqual(await tagsNow(), lastTags, 'the last acknowledged tags after the restart');

      // Space back: writes succeed again and read back.
      rmSync(filler);
      rmSync(join(mountPoint, 'filler-2'));
      for (let i = 0; i < 10; i++) {
        const answer = i % 2 === 0 ? await putRecords(20, 1000) : await putRecord(2000);
        assert.equal(answer.status, 200, `write ${i} after space was freed: ${JSON.stringify(answer.body)}`);
        if (answer.body.FailedRecordCount !== undefined) assert.equal(answer.body.FailedRecordCount, 0);
      }
      await checkAllReadable('space freed');
      lastTags = { version: 'after-space-freed' };
      assert.equal((await kinesisJson(riffle.endpoint, 'AddTagsToStream', { StreamName, Tags: lastTags })).status, 200);

      // And all of it survives a crash.
      assert.equal(await killRiffle(riffle), 'SIGKILL');
      riffle = await startRiffle({ dataDir, args });
      const summary = await kinesisJson(riffle.endpoint, 'DescribeStreamSummary', { StreamName });
      assert.equal(summary.body.StreamDescriptionSummary?.StreamStatus, 'ACTIVE');
      const stored = await checkAllReadable('after kill -9');
      assert.deepEqual(await tagsNow(), lastTags);
      t.diagnostic(`${acknowledged.size} acknowledged, ${stored} stored after the restart`);
      assert.equal((await putRecords(5, 100)).status, 200, 'writes work after the restart');
      await checkAllReadable('after the restart');
    } finally {
      if (riffle) await killRiffle(riffle);
      if (mounted) unmount(mountPoint);
      await rm(mountPoint, { recursive: true, force: true });
    }
  });
  }
});

/** Writes a file until the filesystem has only `leaveFree` bytes left (0: until it refuses). */
function fill(path: string, mountPoint: string, leaveFree: number): void {
  const fd = openSync(path, 'w');
  try {
    const chunk = Buffer.alloc(256 * 1024, 0x5a);
    // Bounded by the filesystem's size: each pass writes at least a block or stops.
    for (let pass = 0; pass < 10_000; pass++) {
      const { bavail, bsize } = statfsSync(mountPoint);
      const room = bavail * bsize - leaveFree;
      if (room <= 0) return;
      try {
        writeSync(fd, chunk, 0, Math.min(chunk.length, room));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return;
        throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Unmounts; if the mount is still busy, detaches it lazily (so nothing is left behind) and still fails. */
function unmount(mountPoint: string): void {
  try {
    execFileSync('umount', [mountPoint]);
  } catch (error) {
    execFileSync('umount', ['-l', mountPoint]);
    throw error;
  }
}
