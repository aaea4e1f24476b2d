import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createMemoryStorage, FileObjectStore, systemError, type ChannelRecord, type MetadataMutation, type Storage } from '@riffle/storage';
import { Engine, FakeClock } from '@riffle/engine';
import { bytes, splitStreamRecord, testConfig } from './engine-fixture.js';
import { linesIn, objectsIn, s3Channel, s3Destination, startChannelEngine, tempDir, type ChannelFixture } from './channel-fixture.js';

const FRESHNESS = 300_000;
const json = (n: number) => bytes(JSON.stringify({ n }));
const put = (engine: Engine, values: readonly (string | Uint8Array)[], stream = 's') =>
  engine.putRecords(
    stream,
    values.map((value, i) => ({ data: typeof value === 'string' ? bytes(value) : value, partitionKey: `k${i}` })),
  );

async function withStream(config: Parameters<typeof startChannelEngine>[0] = {}, storage?: Storage): Promise<ChannelFixture> {
  const fixture = await startChannelEngine(config, storage);
  await fixture.engine.createStream({ name: 's', mode: 'ON_DEMAND' });
  await fixture.clock.advance(0);
  return fixture;
}

describe('channel delivery', () => {
  it('delivers records written after the channel became ACTIVE, as one object once the oldest is DataFreshnessInSeconds old', async () => {
    const { engine, clock, objects } = await withStream();
    await put(engine, ['{"before":1}']);
    const channel = await engine.channels.create(s3Channel('c'));
    await put(engine, ['{"a":1}', '{"b":2}\n', '[3]']);
    await clock.advance(200_000);
    await put(engine, ['"late"']);
    await clock.advance(FRESHNESS - 200_000 - 1);
    assert.deepEqual(objectsIn(objects, 'my-bucket'), [], 'nothing before the oldest record is 300 s old');
    await clock.advance(1);
    const delivered = objectsIn(objects, 'my-bucket');
    assert.equal(delivered.length, 1);
    // The default key template, with the time of the oldest record (the fake clock starts at 2026-01-01T00:00:00Z).
    assert.match(
      delivered[0]!.key,
      new RegExp(`^kinesis-channel/c/${channel.id}/2026/01/01/00/c-${channel.id}-2026-01-01-00-00-[0-9a-f-]{36}$`),
    );
    // Each JSON record on its own line: a newline is added unless the record ends with one.
    assert.deepEqual(delivered[0]!.data.toString('utf8').split('\n').sort(), ['', '"late"', '[3]', '{"a":1}', '{"b":2}']);
  });

  it('does not deliver what was written before ACTIVE, even while CREATING', async () => {
    const { engine, clock, objects } = await withStream({ createStreamMs: 100 });
    await clock.advance(100);
    await engine.channels.create(s3Channel('c'));
    await put(engine, ['"while creating"']);
    await clock.advance(100);
    await put(engine, ['"after"']);
    await clock.advance(FRESHNESS);
    assert.deepEqual(linesIn(objects, 'my-bucket'), ['"after"']);
  });

  it('writes an object as soon as the buffer reaches the size bound', async () => {
    const { engine, clock, objects } = await withStream({ channelObjectBytes: 100 });
    await engine.channels.create(s3Channel('c', { stream: { name: 's', recordFormat: 'STRING' } }));
    await put(engine, ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40), 'd'.repeat(40), 'e'.repeat(40)].map((s) => s));
    await clock.advance(0);
    assert.equal(objectsIn(objects, 'my-bucket').length, 1, 'one full object at once');
    assert.equal(linesIn(objects, 'my-bucket').length, 3);
    await clock.advance(FRESHNESS);
    assert.equal(objectsIn(objects, 'my-bucket').length, 2);
    assert.deepEqual(linesIn(objects, 'my-bucket').map((line) => line[0]).sort(), ['a', 'b', 'c', 'd', 'e']);
  });

  it('concatenates BYTE_ARRAY records as they are and compresses with GZIP (.gz)', async () => {
    const { engine, clock, objects } = await withStream();
    await engine.channels.create(
      s3Channel('c', { stream: { name: 's', recordFormat: 'BYTE_ARRAY' }, destination: s3Destination({}, { compressionType: 'GZIP' }) }),
    );
    await engine.putRecord('s', { data: new Uint8Array([0, 1, 255]), partitionKey: 'same' });
    await engine.putRecord('s', { data: new Uint8Array([10]), partitionKey: 'same' });
    await clock.advance(FRESHNESS);
    const [object] = objectsIn(objects, 'my-bucket');
    assert.match(object!.key, /\.gz$/);
    assert.deepEqual([...gunzipSync(object!.data)], [0, 1, 255, 10]);
  });

  it('sends records that are not valid for their format to the dead-letter queue, as JSON lines', async () => {
    const { engine, clock, objects } = await withStream();
    const channel = await engine.channels.create(
      s3Channel('c', {
        destination: s3Destination({ deadLetterQueue: { bucketArn: 'arn:aws:s3:::dlq-bucket', expectedBucketOwner: '111122223333', errorOutputPrefix: 'bad/' } }),
      }),
    );
    const [, broken] = await put(engine, ['{"ok":true}', '{not json', new Uint8Array([0xff, 0xfe])]);
    await clock.advance(FRESHNESS);
    assert.deepEqual(linesIn(objects, 'my-bucket'), ['{"ok":true}']);
    const [dead] = objectsIn(objects, 'dlq-bucket');
    assert.match(dead!.key, new RegExp(`^bad/2026/01/01/00/c-${channel.id}-2026-01-01-00-00-[0-9a-f-]{36}$`));
    const letters = dead!.data.toString('utf8').trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(letters.map((letter) => letter.errorCode).sort(), ['RecordNotJson', 'RecordNotUtf8']);
    const notJson = letters.find((letter) => letter.errorCode === 'RecordNotJson');
    assert.deepEqual(notJson, {
      errorCode: 'RecordNotJson',
      shardId: (broken as { shardId: string }).shardId,
      sequenceNumber: (broken as { sequenceNumber: string }).sequenceNumber,
      partitionKey: 'k1',
      approximateArrivalTimestamp: clock.now() - FRESHNESS,
      rawData: Buffer.from('{not json').toString('base64'),
    });
  });

  it('keeps a channel named .. inside its bucket (the key segment is a name, not a path)', async () => {
    const { engine, clock, objects } = await withStream();
    const { id } = await engine.channels.create(s3Channel('..'));
    await put(engine, ['1']);
    await clock.advance(FRESHNESS);
    const [object] = objectsIn(objects, 'my-bucket');
    assert.ok(object!.key.startsWith(`kinesis-channel/%2E%2E/${id}/2026/01/01/00/..-${id}-`), object!.key);
  });

  it('stops delivering when the channel is deleted; buffered records are not delivered', async () => {
    const { engine, clock, objects } = await withStream();
    const { id } = await engine.channels.create(s3Channel('c'));
    await put(engine, ['1', '2']);
    await clock.advance(1000);
    await engine.channels.delete(id);
    await put(engine, ['3']);
    await clock.advance(2 * FRESHNESS);
    assert.deepEqual(objectsIn(objects, 'my-bucket'), []);
  });

  it('resumes after a restart from the last durable positions: nothing lost, nothing repeated', async () => {
    const fixture = await withStream();
    await fixture.engine.channels.create(s3Channel('c'));
    await put(fixture.engine, Array.from({ length: 20 }, (_, n) => json(n)));
    await fixture.clock.advance(FRESHNESS);
    assert.equal(linesIn(fixture.objects, 'my-bucket').length, 20);
    await put(fixture.engine, Array.from({ length: 10 }, (_, n) => json(20 + n)));
    await fixture.clock.advance(FRESHNESS / 2);
    // Buffered, not yet written: a restart reads these again from the committed positions.
    const engine = await fixture.restart();
    await put(engine, Array.from({ length: 5 }, (_, n) => json(30 + n)));
    await fixture.clock.advance(FRESHNESS);
    const seen = linesIn(fixture.objects, 'my-bucket').map((line) => JSON.parse(line).n as number);
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 35 }, (_, n) => n));
  });

  it('adopts the objects of an interrupted delivery that were all written, and removes those of one that was not', async () => {
    const fixture = await withStream();
    const { id } = await fixture.engine.channels.create(s3Channel('c'));
    await put(fixture.engine, ['1', '2', '3']);
    await fixture.clock.advance(FRESHNESS);
    await fixture.engine.close();
    const record = (await fixture.storage.metadata.load()).channels.find((channel) => channel.id === id)!;
    assert.equal(record.pendingDelivery, undefined);
    const ahead = record.positions.map((position) => ({ ...position, offset: position.offset + 1000 }));

    // All written: a crash came between the objects and the positions. The positions are taken.
    await fixture.objects.putObject('my-bucket', 'done/object', bytes('x'));
    await fixture.storage.metadata.commit([
      { type: 'putChannel', channel: { ...record, pendingDelivery: { objects: [{ bucket: 'my-bucket', key: 'done/object' }], positions: ahead } } },
    ]);
    let engine = await Engine.open({ storage: fixture.storage, clock: fixture.clock, objects: fixture.objects, config: testConfig });
    const adopted = (await fixture.storage.metadata.load()).channels[0]!;
    assert.deepEqual([adopted.positions, adopted.pendingDelivery], [ahead, undefined]);
    await engine.close();

    // One missing: the crash came before they were all written. The written ones go, the positions stay.
    await fixture.objects.putObject('my-bucket', 'half/one', bytes('x'));
    await fixture.storage.metadata.commit([
      {
        type: 'putChannel',
        channel: {
          ...record,
          pendingDelivery: {
            objects: [
              { bucket: 'my-bucket', key: 'half/one' },
              { bucket: 'my-bucket', key: 'half/two' },
            ],
            positions: ahead,
          },
        },
      },
    ]);
    engine = await Engine.open({ storage: fixture.storage, clock: fixture.clock, objects: fixture.objects, config: testConfig });
    const kept = (await fixture.storage.metadata.load()).channels[0]!;
    assert.deepEqual([kept.positions, kept.pendingDelivery], [record.positions, undefined]);
    assert.equal(existsSync(fixture.objects.pathOf('my-bucket', 'half/one')), false);
    await engine.close();
  });

  it('retries when the disk refuses an object, then delivers every record exactly once', async () => {
    let failures = 3;
    const root = tempDir('failing-buckets');
    const objects = new FileObjectStore(root, {
      beforeWrite: (path) => {
        if (path.includes('kinesis-channel') && failures-- > 0) throw systemError('ENOSPC', 'write');
      },
    });
    const clock = new FakeClock();
    const storage = createMemoryStorage();
    const engine = await Engine.open({ storage, clock, objects, config: testConfig });
    await engine.createStream({ name: 's', mode: 'ON_DEMAND' });
    await engine.channels.create(s3Channel('c'));
    await put(engine, Array.from({ length: 7 }, (_, n) => json(n)));
    await clock.advance(FRESHNESS + 5_000);
    const delivered = objectsIn(objects, 'my-bucket');
    assert.equal(delivered.length, 1, delivered.map((o) => o.key).join(', '));
    assert.deepEqual(linesIn(objects, 'my-bucket').map((line) => JSON.parse(line).n).sort(), [0, 1, 2, 3, 4, 5, 6]);
    assert.equal((await storage.metadata.load()).channels[0]!.pendingDelivery, undefined);
    await engine.close();
  });

  it('retries a refused positions commit without reading the delivered records again', async () => {
    const storage = createMemoryStorage();
    // The first commit of positions after a delivery's objects are written is refused.
    let refused = false;
    let afterPending = false;
    const commit = storage.metadata.commit.bind(storage.metadata);
    storage.metadata.commit = async (mutations: readonly MetadataMutation[]) => {
      const [mutation] = mutations;
      if (mutation?.type === 'putChannel') {
        if (mutation.channel.pendingDelivery) afterPending = true;
        else if (afterPending && !refused) {
          refused = true;
          throw systemError('EIO', 'fsync');
        }
      }
      return commit(mutations);
    };
    const { engine, clock, objects } = await withStream({}, storage);
    await engine.channels.create(s3Channel('c'));
    await put(engine, ['1', '2']);
    await clock.advance(FRESHNESS);
    await put(engine, ['3']);
    await clock.advance(FRESHNESS + 2_000);
    assert.ok(refused);
    assert.deepEqual(linesIn(objects, 'my-bucket').sort(), ['1', '2', '3']);
    const channel = (await storage.metadata.load()).channels[0]!;
    assert.equal(channel.pendingDelivery, undefined);
    await engine.close();
  });

  it('reads a closed parent to its end before its children, as KCL does', async () => {
    const clock = new FakeClock();
    const storage = createMemoryStorage();
    const createdAt = clock.now();
    const stream = splitStreamRecord(createdAt, 3, { mode: 'ON_DEMAND' });
    const appendTo = async (shard: number, values: string[], at: number) =>
      (await storage.openShardLog('s@1', `shardId-00000000000${shard}`)).append(
        values.map((value) => ({ arrivalTime: at, partitionKey: 'p', data: bytes(value) })),
      );
    await appendTo(0, ['"p1"', '"p2"', '"p3"'], createdAt);
    await appendTo(1, ['"low"'], createdAt + 1000);
    await appendTo(2, ['"high"'], createdAt + 1000);
    // The channel became ACTIVE before the split and had delivered the parent's first record.
    const channel: ChannelRecord = {
      id: '00000000-0000-4000-8000-000000000001',
      name: 'c',
      status: 'ACTIVE',
      createdAt,
      serviceExecutionRoleArn: 'arn:aws:iam::111122223333:role/r',
      stream: { name: 's', streamKey: 's@1', createdAt, recordFormat: 'JSON' },
      destination: {
        type: 'S3',
        dataFreshnessSeconds: 300,
        storage: {
          bucketArn: 'arn:aws:s3:::my-bucket',
          expectedBucketOwner: '111122223333',
          compressionType: 'NONE',
          outputKeyTemplate: 'out',
          storageClass: 'STANDARD',
        },
        deadLetterQueue: { bucketArn: 'arn:aws:s3:::my-bucket', expectedBucketOwner: '111122223333', errorOutputPrefix: 'e/' },
      },
      logging: { enabled: false },
      tags: [],
      positions: [{ shardIndex: 0, offset: 1 }],
    };
    await storage.metadata.commit([{ type: 'putStream', stream }, { type: 'putChannel', channel }]);
    const objects = new FileObjectStore(tempDir('lineage'));
    const engine = await Engine.open({ storage, clock, objects, config: testConfig });
    await clock.advance(FRESHNESS);
    // The rest of the parent, then its children (in shard order): records come in reading order.
    assert.deepEqual(linesIn(objects, 'my-bucket'), ['"p2"', '"p3"', '"low"', '"high"']);
    const positions = (await storage.metadata.load()).channels[0]!.positions;
    assert.deepEqual(positions, [
      { shardIndex: 0, offset: 3 },
      { shardIndex: 1, offset: 1 },
      { shardIndex: 2, offset: 1 },
    ]);
    await engine.close();
  });
});
