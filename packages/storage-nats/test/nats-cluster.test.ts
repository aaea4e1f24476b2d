import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import type { MetadataSnapshot, RecordToAppend, StreamRecord } from '@riffle/storage';
import { startNatsCluster } from '@riffle/testkit';
import { openNatsStorage, type NatsStorage, type NatsStorageOptions } from '@riffle/storage-nats';

// Needs /usr/sbin/nats-server (.ci/run installs it): without it this file fails, it never skips.
const cluster = await startNatsCluster({ nodes: 3 });
const open: NatsStorage[] = [];
let count = 0;
const ALL = { maxRecords: 1_000_000, maxBytes: Number.MAX_SAFE_INTEGER };

after(async () => {
  for (const storage of open) await storage.close().catch(() => undefined);
  await cluster.stop();
});

async function storage(prefix: string, options: Partial<NatsStorageOptions> = {}): Promise<NatsStorage> {
  const opened = await openNatsStorage({ servers: cluster.servers, prefix, ...options });
  open.push(opened);
  return opened;
}

function records(tag: string, n: number, size = 8): RecordToAppend[] {
  return Array.from({ length: n }, (_, i) => ({ arrivalTime: 1_000 + i, partitionKey: `${tag}-${i}`, data: new Uint8Array(size).fill(i) }));
}

function stream(name: string, overrides: Partial<StreamRecord> = {}): StreamRecord {
  return {
    name,
    streamKey: `${name}@1`,
    status: 'ACTIVE',
    mode: 'PROVISIONED',
    createdAt: 1_700_000_000_000,
    retentionHours: 24,
    encryptionType: 'NONE',
    shardLevelMetrics: [],
    maxRecordSizeKiB: 1024,
    nextShardIndex: 1,
    shards: [{ index: 0, hashKeyStart: 0n, hashKeyEnd: 2n ** 128n - 1n, createdAt: 1_700_000_000_000 }],
    tags: [],
    ...overrides,
  };
}

/** Rejects after `ms` so that a missing event fails the test instead of hanging it; not a timing assertion. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

describe('NATS storage across clients', () => {
  for (const routeAppends of [false, true]) {
  it(`two clients appending to one shard log concurrently never get the same offsets (${routeAppends ? 'sent through the writing node' : 'both writing'})`, async () => {
    const prefix = `w${count++}`;
    const a = await storage(prefix, { servers: [cluster.servers[0]!], routeAppends });
    const b = await storage(prefix, { servers: [cluster.servers[1]!], routeAppends });
    const [logA, logB] = await Promise.all([a.openShardLog('w@1', 'shardId-000000000000'), b.openShardLog('w@1', 'shardId-000000000000')]);
    const appends = 20;
    const perAppend = 5;
    const run = async (log: typeof logA, tag: string) => {
      const firsts: number[] = [];
      for (let n = 0; n < appends; n++) firsts.push((await log.append(records(`${tag}${n}`, perAppend))).firstOffset);
      return firsts;
    };
    const [firstsA, firstsB] = await Promise.all([run(logA, 'a'), run(logB, 'b')]);
    const starts = [...firstsA, ...firstsB].sort((x, y) => x - y);
    assert.deepEqual(starts, Array.from({ length: appends * 2 }, (_, n) => n * perAppend), 'the appends tile [0, 200) without overlap');

    const reader = await (await storage(prefix)).openShardLog('w@1', 'shardId-000000000000');
    assert.equal(reader.endOffset, appends * 2 * perAppend);
    const read = await reader.read(0, ALL);
    assert.deepEqual(read.map((r) => r.offset), Array.from({ length: 200 }, (_, n) => n));
    for (const [tag, firsts] of [['a', firstsA], ['b', firstsB]] as const) {
      const mine = read.filter((r) => r.partitionKey.startsWith(tag)).map((r) => r.partitionKey);
      assert.deepEqual(mine, Array.from({ length: appends * perAppend }, (_, k) => `${tag}${Math.floor(k / perAppend)}-${k % perAppend}`));
      firsts.forEach((first, n) => assert.equal(read[first]!.partitionKey, `${tag}${n}-0`));
    }
    // Each writer also sees the other's records.
    assert.equal((await logA.read(0, ALL)).length, 200);
  });
  }

  it('a reader that follows concurrent appends gets every offset, in order, none skipped', async () => {
    const log = await (await storage(`r${count++}`)).openShardLog('follow@1', 'shardId-000000000000');
    let next = 0;
    let writing = true;
    const offsets: number[] = [];
    // While each read's batch fetches are out, more appends settle into the index (the reads a skip once hid in).
    const reader = (async () => {
      for (let reads = 0; reads < 20_000 && (writing || next < log.endOffset); reads++) {
        const [read] = await Promise.all([log.read(next, ALL), log.offsetAtTime(0)]);
        for (const record of read) offsets.push(record.offset);
        if (read.length > 0) next = read[read.length - 1]!.offset + 1;
        else await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    let appended = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let i = 0; i < 60; i++) await log.append(records(`w${writer}-${i}`, 1));
        appended += 60;
      }),
    );
    writing = false;
    await reader;
    assert.equal(appended, 480);
    assert.deepEqual(offsets, Array.from({ length: 480 }, (_, i) => i));
  });

  it('keeps every acknowledged append when the log leader is killed -9 during appends and comes back', async () => {
    const prefix = `k${count++}`;
    const writer = await storage(prefix);
    const log = await writer.openShardLog('k@1', 'shardId-000000000000');
    const jsm = await jetstreamManager(writer.connection);
    const streamName = (await jsm.streams.names().next()).find((name) => name.startsWith(`${prefix}-log-`));
    assert.ok(streamName);
    const leader = (await jsm.streams.info(streamName)).cluster?.leader;
    const victim = cluster.nodes.findIndex((node) => node.name === leader);
    assert.ok(victim >= 0, `leader ${leader} is one of the nodes`);

    const acknowledged: { firstOffset: number; tag: string }[] = [];
    for (let n = 0; n < 40; n++) {
      if (n === 10) await cluster.kill(victim);
      if (n === 25) await cluster.restart(victim);
      const { firstOffset } = await log.append(records(`r${n}`, 10));
      acknowledged.push({ firstOffset, tag: `r${n}` });
    }
    assert.deepEqual(acknowledged.map((a) => a.firstOffset), Array.from({ length: 40 }, (_, n) => n * 10));

    const reader = await (await storage(prefix)).openShardLog('k@1', 'shardId-000000000000');
    const read = await reader.read(0, ALL);
    assert.equal(read.length, 400, 'every acknowledged record once, nothing more');
    for (const { firstOffset, tag } of acknowledged) {
      for (let i = 0; i < 10; i++) assert.equal(read[firstOffset + i]!.partitionKey, `${tag}-${i}`);
    }
  });

  it('a watch sees a commit another client made', async () => {
    const prefix = `m${count++}`;
    const a = await storage(prefix);
    const b = await storage(prefix);
    let seen!: (snapshot: MetadataSnapshot) => void;
    const changed = new Promise<MetadataSnapshot>((resolve) => (seen = resolve));
    const subscription = await a.metadata.subscribe((snapshot) => seen(snapshot));
    await b.metadata.commit([{ type: 'putStream', stream: stream('watched') }, { type: 'putSetting', key: 'k', value: 'v' }]);
    const snapshot = await within(changed, 30_000, 'change notification');
    subscription.stop();
    assert.deepEqual(snapshot.streams.map((s) => s.name), ['watched']);
    assert.equal(snapshot.settings['k'], 'v');
    assert.equal(typeof snapshot.streams[0]!.shards[0]!.hashKeyEnd, 'bigint');
  });

  it('two clients committing concurrently lose no change', async () => {
    const prefix = `m${count++}`;
    const a = await storage(prefix, { servers: [cluster.servers[0]!] });
    const b = await storage(prefix, { servers: [cluster.servers[2]!] });
    await Promise.all([
      ...Array.from({ length: 15 }, (_, n) => a.metadata.commit([{ type: 'putStream', stream: stream(`a${n}`) }])),
      ...Array.from({ length: 15 }, (_, n) => b.metadata.commit([{ type: 'putStream', stream: stream(`b${n}`) }])),
    ]);
    const names = (await a.metadata.load()).streams.map((s) => s.name).sort();
    assert.equal(names.length, 30);
    assert.deepEqual(names.filter((name) => name.startsWith('a')).length, 15);
  });

  it('of conditional changes to one stream through two clients at once, exactly one wins each round', async () => {
    const prefix = `m${count++}`;
    const a = await storage(prefix, { servers: [cluster.servers[0]!] });
    const b = await storage(prefix, { servers: [cluster.servers[2]!] });
    for (let round = 0; round < 10; round++) {
      const name = `race${round}`;
      // Two creates of one name (as two CreateStreams through two nodes): one record, and one refusal.
      const creates = await Promise.allSettled(
        [a, b].map((client, n) => client.metadata.commit([{ type: 'putStream', stream: stream(name, { streamKey: `${name}@${n}`, revision: 1 }), replaces: null }])),
      );
      assert.equal(creates.filter((outcome) => outcome.status === 'fulfilled').length, 1, `round ${round}: one create wins`);
      const created = (await b.metadata.load()).streams.find((s) => s.name === name)!;
      assert.equal(created.streamKey, `${name}@${creates.findIndex((outcome) => outcome.status === 'fulfilled')}`);
      // Two changes decided on that record: the loser's is not applied over the winner's.
      const updates = await Promise.allSettled(
        [a, b].map((client, n) =>
          client.metadata.commit([{ type: 'putStream', stream: { ...created, revision: 2, retentionHours: 48 + n }, replaces: { streamKey: created.streamKey, revision: 1 } }]),
        ),
      );
      assert.equal(updates.filter((outcome) => outcome.status === 'fulfilled').length, 1, `round ${round}: one update wins`);
      const winner = updates.findIndex((outcome) => outcome.status === 'fulfilled');
      for (const client of [a, b]) {
        const held = (await client.metadata.load()).streams.find((s) => s.name === name)!;
        assert.equal(held.retentionHours, 48 + winner);
      }
    }
  });

  it('keeps a metadata snapshot larger than one message, and replaces it', async () => {
    const prefix = `m${count++}`;
    const a = await storage(prefix);
    const policy = 'x'.repeat(1_500_000);
    await a.metadata.commit([{ type: 'putStream', stream: stream('big', { resourcePolicy: policy }) }]);
    const b = await storage(prefix);
    assert.equal((await b.metadata.load()).streams[0]!.resourcePolicy, policy);
    await b.metadata.commit([{ type: 'putStream', stream: stream('small') }]);
    assert.deepEqual((await a.metadata.load()).streams.map((s) => s.name), ['big', 'small']);
  });

  it('lists the stream keys that have logs and deletes one stream key\'s logs', async () => {
    const prefix = `l${count++}`;
    const a = await storage(prefix);
    await (await a.openShardLog('x@1', 'shardId-000000000000')).append(records('x', 1));
    await a.openShardLog('x@1', 'shardId-000000000001');
    await a.openShardLog('y.z-w_@2', 'shardId-000000000000');
    assert.deepEqual((await a.listStreamKeys()).sort(), ['x@1', 'y.z-w_@2']);
    await a.deleteStreamLogs('x@1');
    assert.deepEqual(await a.listStreamKeys(), ['y.z-w_@2']);
    const reopened = await a.openShardLog('x@1', 'shardId-000000000000');
    assert.equal(reopened.endOffset, 0, 'a deleted log comes back empty');
  });
});
