import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChannelRecord } from '../channel-record.js';
import type { StreamRecord } from '../metadata-record.js';
import type { MetadataStore } from '../metadata-store.js';
import { MetadataConflictError } from '../metadata-conflict-error.js';

/** Creates a fresh, empty store for one test; the suite closes it. */
export type MetadataStoreFactory = () => MetadataStore | Promise<MetadataStore>;

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
    nextShardIndex: 2,
    shards: [
      { index: 0, hashKeyStart: 0n, hashKeyEnd: 2n ** 127n - 1n, createdAt: 1_700_000_000_000 },
      {
        index: 1,
        parentIndex: 0,
        hashKeyStart: 2n ** 127n,
        hashKeyEnd: 2n ** 128n - 1n,
        createdAt: 1_700_000_000_000,
        closedAt: 1_700_000_100_000,
        closedEndOffset: 42,
      },
    ],
    tags: [{ key: 'team', value: 'data' }],
    ...overrides,
  };
}

function channel(id: string, overrides: Partial<ChannelRecord> = {}): ChannelRecord {
  return {
    id,
    name: `channel-${id}`,
    status: 'ACTIVE',
    createdAt: 1_700_000_000_000,
    serviceExecutionRoleArn: 'arn:aws:iam::123456789012:role/delivery',
    stream: { name: 'a', streamKey: 'a@1', createdAt: 1_700_000_000_000, recordFormat: 'JSON' },
    destination: {
      type: 'S3',
      dataFreshnessSeconds: 300,
      storage: {
        bucketArn: 'arn:aws:s3:::bucket',
        expectedBucketOwner: '123456789012',
        compressionType: 'GZIP',
        outputKeyTemplate: '!{yyyy}/!{MM}/x!{extension}',
        storageClass: 'STANDARD',
      },
      deadLetterQueue: { bucketArn: 'arn:aws:s3:::bucket', expectedBucketOwner: '123456789012', errorOutputPrefix: 'errors/' },
    },
    logging: { enabled: false },
    tags: [{ key: 'team', value: 'data' }],
    positions: [
      { shardIndex: 0, offset: 12 },
      { shardIndex: 1, offset: 0 },
    ],
    pendingDelivery: { objects: [{ bucket: 'bucket', key: 'a/b' }], positions: [{ shardIndex: 0, offset: 20 }] },
    ...overrides,
  };
}

async function withStore(make: MetadataStoreFactory, body: (store: MetadataStore) => Promise<void>): Promise<void> {
  const store = await make();
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

/** The behaviour every MetadataStore backend must have (memory, file journal, NATS KV). */
export function describeMetadataStoreContract(name: string, make: MetadataStoreFactory): void {
  describe(`MetadataStore contract: ${name}`, () => {
    it('starts empty', () =>
      withStore(make, async (store) => {
        assert.deepEqual(await store.load(), { streams: [], channels: [], dataKeys: [], settings: {} });
      }));

    it('keeps data keys by id, in id order, and replaces one by id', () =>
      withStore(make, async (store) => {
        const key = (id: number, wrapped: string) => ({ id, kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:alias/aws/kinesis', wrapped, createdAt: 1_700_000_000_000 + id });
        await store.commit([{ type: 'putDataKey', dataKey: key(2, 'Ymk=') }, { type: 'putDataKey', dataKey: key(1, 'YQ==') }]);
        assert.deepEqual((await store.load()).dataKeys, [key(1, 'YQ=='), key(2, 'Ymk=')]);
        await store.commit([{ type: 'putDataKey', dataKey: key(2, 'Yw==') }]);
        assert.deepEqual((await store.load()).dataKeys, [key(1, 'YQ=='), key(2, 'Yw==')]);
      }));

    it('round-trips stream records exactly, bigint hash keys included', () =>
      withStore(make, async (store) => {
        const original = stream('a');
        await store.commit([{ type: 'putStream', stream: original }]);
        const { streams } = await store.load();
        assert.deepEqual(streams, [original]);
        assert.equal(typeof streams[0]!.shards[1]!.hashKeyEnd, 'bigint');
      }));

    it('replaces a stream by name and deletes it', () =>
      withStore(make, async (store) => {
        await store.commit([{ type: 'putStream', stream: stream('a') }]);
        await store.commit([{ type: 'putStream', stream: stream('a', { status: 'DELETING' }) }]);
        assert.deepEqual((await store.load()).streams.map((s) => s.status), ['DELETING']);
        await store.commit([{ type: 'deleteStream', name: 'a' }]);
        assert.deepEqual((await store.load()).streams, []);
      }));

    it('round-trips channel records, replaces them by id and deletes them', () =>
      withStore(make, async (store) => {
        const original = channel('c1');
        await store.commit([{ type: 'putChannel', channel: original }, { type: 'putChannel', channel: channel('c2') }]);
        assert.deepEqual((await store.load()).channels, [original, channel('c2')]);
        const { pendingDelivery: _done, ...delivered } = channel('c1', { positions: [{ shardIndex: 0, offset: 20 }] });
        await store.commit([{ type: 'putChannel', channel: delivered }]);
        await store.commit([{ type: 'deleteChannel', id: 'c2' }, { type: 'deleteChannel', id: 'never-there' }]);
        assert.deepEqual((await store.load()).channels, [delivered]);
      }));

    it('applies a batch in order', () =>
      withStore(make, async (store) => {
        await store.commit([
          { type: 'putStream', stream: stream('a') },
          { type: 'putStream', stream: stream('b') },
          { type: 'deleteStream', name: 'a' },
          { type: 'putSetting', key: 'x', value: '1' },
          { type: 'putSetting', key: 'x', value: '2' },
          { type: 'putSetting', key: 'y', value: '3' },
          { type: 'deleteSetting', key: 'y' },
          { type: 'putChannel', channel: channel('c1') },
          { type: 'putChannel', channel: channel('c1', { status: 'DELETING' }) },
          { type: 'putChannel', channel: channel('c2') },
          { type: 'deleteChannel', id: 'c2' },
        ]);
        const snapshot = await store.load();
        assert.deepEqual(snapshot.streams.map((s) => s.name), ['b']);
        assert.deepEqual(snapshot.channels.map((c) => [c.id, c.status]), [['c1', 'DELETING']]);
        assert.deepEqual(snapshot.settings, { x: '2' });
      }));

    it('shares no objects with callers', () =>
      withStore(make, async (store) => {
        const original = stream('a');
        await store.commit([{ type: 'putStream', stream: original }]);
        (original.tags as { key: string; value: string }[]).push({ key: 'late', value: 'change' });
        const first = await store.load();
        (first.streams[0]!.tags as { key: string; value: string }[]).length = 0;
        const second = await store.load();
        assert.deepEqual(second.streams[0]!.tags, [{ key: 'team', value: 'data' }]);
      }));

    it('applies a conditional change only to the record it was decided on, and none of a commit that fails one', () =>
      withStore(make, async (store) => {
        await store.commit([{ type: 'putStream', stream: stream('a', { revision: 1 }), replaces: null }]);
        // A second create of the name: the name is taken.
        await assert.rejects(store.commit([{ type: 'putStream', stream: stream('a', { revision: 1, retentionHours: 48 }), replaces: null }]), MetadataConflictError);
        await store.commit([{ type: 'putStream', stream: stream('a', { revision: 2, retentionHours: 72 }), replaces: { streamKey: 'a@1', revision: 1 } }]);
        // Decided on revision 1, which is gone; the setting of the same commit is not applied either.
        await assert.rejects(
          store.commit([
            { type: 'putSetting', key: 'k', value: 'v' },
            { type: 'putStream', stream: stream('a', { revision: 2, retentionHours: 96 }), replaces: { streamKey: 'a@1', revision: 1 } },
          ]),
          (error: unknown) => error instanceof MetadataConflictError && error.what === 'stream a',
        );
        await assert.rejects(store.commit([{ type: 'deleteStream', name: 'a', replaces: { streamKey: 'a@0', revision: 2 } }]), MetadataConflictError);
        let snapshot = await store.load();
        assert.deepEqual(snapshot.streams.map((s) => [s.name, s.revision, s.retentionHours]), [['a', 2, 72]]);
        assert.deepEqual(snapshot.settings, {});
        await store.commit([{ type: 'deleteStream', name: 'a', replaces: { streamKey: 'a@1', revision: 2 } }]);
        // Unconditional changes are applied whatever is there; a record without a revision counts as revision 0.
        await store.commit([{ type: 'putStream', stream: stream('b') }]);
        await store.commit([{ type: 'putStream', stream: stream('b', { revision: 1 }), replaces: { streamKey: 'b@1', revision: 0 } }]);
        snapshot = await store.load();
        assert.deepEqual(snapshot.streams.map((s) => [s.name, s.revision]), [['b', 1]]);
      }));

    it('applies a conditional setting or data key only over what it was decided on', () =>
      withStore(make, async (store) => {
        await store.commit([{ type: 'putSetting', key: 'k', value: 'one', replaces: null }]);
        await assert.rejects(store.commit([{ type: 'putSetting', key: 'k', value: 'two', replaces: null }]), MetadataConflictError);
        await assert.rejects(store.commit([{ type: 'deleteSetting', key: 'k', replaces: 'other' }]), MetadataConflictError);
        await store.commit([{ type: 'putSetting', key: 'k', value: 'three', replaces: 'one' }]);
        const dataKey = { id: 1, kmsKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/a', wrapped: 'YQ==', createdAt: 1 };
        await store.commit([{ type: 'putDataKey', dataKey, replaces: null }]);
        await assert.rejects(store.commit([{ type: 'putDataKey', dataKey: { ...dataKey, wrapped: 'Yg==' }, replaces: null }]), MetadataConflictError);
        const snapshot = await store.load();
        assert.deepEqual(snapshot.settings, { k: 'three' });
        assert.deepEqual(snapshot.dataKeys.map((k) => k.wrapped), ['YQ==']);
      }));

    it('lets exactly one of concurrent conditional creates of one name through', () =>
      withStore(make, async (store) => {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, n) => store.commit([{ type: 'putStream', stream: stream('race', { streamKey: `race@${n}`, revision: 1 }), replaces: null }])),
        );
        assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
        for (const outcome of outcomes) if (outcome.status === 'rejected') assert.ok(outcome.reason instanceof MetadataConflictError);
        const winner = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
        assert.deepEqual((await store.load()).streams.map((s) => s.streamKey), [`race@${winner}`]);
      }));

    it('applies concurrent commits in call order without losing any', () =>
      withStore(make, async (store) => {
        await Promise.all(
          Array.from({ length: 50 }, (_, n) =>
            store.commit([
              { type: 'putStream', stream: stream(`s${n}`) },
              { type: 'putSetting', key: 'last', value: String(n) },
            ]),
          ),
        );
        const snapshot = await store.load();
        assert.equal(snapshot.streams.length, 50);
        assert.equal(snapshot.settings['last'], '49');
      }));
  });
}
