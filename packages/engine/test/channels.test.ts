import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStorage, FileObjectStore, openFileStorage } from '@riffle/storage';
import { DEFAULT_OUTPUT_KEY_TEMPLATE, Engine, FakeClock } from '@riffle/engine';
import { assertEngineError, bytes, startEngine, testConfig } from './engine-fixture.js';
import { linesIn, objectsIn, s3Channel, s3Destination, tempDir } from './channel-fixture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const zstdAvailable = typeof (await import('node:zlib') as { zstdCompress?: unknown }).zstdCompress === 'function';

async function onDemand(config: Parameters<typeof startEngine>[0] = {}) {
  const fixture = await startEngine(config);
  await fixture.engine.createStream({ name: 's', mode: 'ON_DEMAND' });
  await fixture.clock.advance(config.createStreamMs ?? 0);
  return fixture;
}

const tablesDestination = {
  type: 'S3_TABLES' as const,
  deadLetterQueue: { bucketArn: 'arn:aws:s3:::dlq', expectedBucketOwner: '111122223333' },
  tables: [
    { tableBucketArn: 'arn:aws:s3tables:us-east-1:111122223333:bucket/tb', namespace: 'ns', tableName: 't', compressionType: 'ZSTD' as const },
  ],
};

describe('channels: lifecycle and rules', () => {
  it('creates a channel that is CREATING for createStreamMs, then ACTIVE, with AWS\'s defaults', async () => {
    const { engine, clock } = await onDemand({ createStreamMs: 500 });
    const created = await engine.channels.create(s3Channel('orders'));
    assert.equal(created.status, 'CREATING');
    assert.match(created.id, UUID);
    assert.equal(created.arn, `arn:aws:kinesis:us-east-1:111122223333:channel/${created.id}`);
    assert.equal(created.createdAt, clock.now());
    assert.deepEqual(created.stream, {
      name: 's',
      arn: 'arn:aws:kinesis:us-east-1:111122223333:stream/s',
      createdAt: engine.describeStream('s').createdAt,
      recordFormat: 'JSON',
    });
    assert.deepEqual(created.destination, {
      type: 'S3',
      dataFreshnessSeconds: 300,
      storage: {
        bucketArn: 'arn:aws:s3:::my-bucket',
        expectedBucketOwner: '111122223333',
        compressionType: 'NONE',
        outputKeyTemplate: DEFAULT_OUTPUT_KEY_TEMPLATE,
        storageClass: 'STANDARD',
      },
      deadLetterQueue: {
        bucketArn: 'arn:aws:s3:::my-bucket',
        expectedBucketOwner: '111122223333',
        errorOutputPrefix: `kinesis-channel/errors/orders/${created.id}/`,
      },
    });
    assert.deepEqual(created.logging, { enabled: false });
    await clock.advance(499);
    assert.equal(engine.channels.describe(created.id).status, 'CREATING');
    await clock.advance(1);
    assert.equal(engine.channels.describe(created.id).status, 'ACTIVE');
  });

  it('fills the logging defaults when logging is on and keeps the tags', async () => {
    const { engine } = await onDemand();
    const channel = await engine.channels.create(s3Channel('logged', { logging: { enabled: true }, tags: { team: 'data' } }));
    assert.deepEqual(channel.logging, { enabled: true, logGroupName: `/aws/kinesis/logged/${channel.id}`, logStreamName: 'DestinationDelivery' });
    assert.deepEqual(channel.tags, [{ key: 'team', value: 'data' }]);
  });

  it('needs an existing, ACTIVE, ON_DEMAND stream', async () => {
    const { engine, clock } = await startEngine({ createStreamMs: 100 });
    await assertEngineError(() => engine.channels.create(s3Channel('c')), 'StreamNotFound', { stream: 's' });
    await engine.createStream({ name: 's', mode: 'ON_DEMAND' });
    await assertEngineError(() => engine.channels.create(s3Channel('c')), 'StreamNotActive', { stream: 's', status: 'CREATING' });
    await engine.createStream({ name: 'p', shardCount: 1, mode: 'PROVISIONED' });
    await clock.advance(100);
    await assertEngineError(
      () => engine.channels.create(s3Channel('c', { stream: { name: 'p', recordFormat: 'JSON' } })),
      'ChannelStreamNotOnDemand',
      { stream: 'p' },
    );
  });

  it('allows one channel name per account and one channel per destination type per stream', async () => {
    const { engine } = await onDemand();
    await engine.createStream({ name: 't', mode: 'ON_DEMAND' });
    await engine.channels.create(s3Channel('c'));
    await assertEngineError(() => engine.channels.create(s3Channel('c', { stream: { name: 't', recordFormat: 'JSON' } })), 'ChannelExists', {
      channel: 'c',
    });
    await assertEngineError(() => engine.channels.create(s3Channel('d')), 'ChannelsPerStreamExceeded', { stream: 's', destinationType: 'S3' });
    await engine.channels.create(
      s3Channel('tables', { stream: { name: 's', recordFormat: 'JSON', gsrSchemaArn: 'arn:aws:glue:us-east-1:111122223333:schema/r/s' }, destination: tablesDestination }),
    );
    assert.equal(engine.channels.countForStream('s'), 2);
    assert.equal(engine.channels.count(), 2);
    assert.equal(engine.channels.countLimit(), testConfig.onDemandStreamCountLimit * 2);
  });

  it('checks freshness, record formats, the schema, the table count, the KMS key and the key template', async () => {
    const { engine } = await onDemand();
    await assertEngineError(() => engine.channels.create(s3Channel('c', { destination: s3Destination({ dataFreshnessSeconds: 299 }) })), 'DataFreshnessOutOfRange', {
      value: 299,
      min: 300,
      max: 900,
    });
    await assertEngineError(() => engine.channels.create(s3Channel('c', { destination: s3Destination({ dataFreshnessSeconds: 901 }) })), 'DataFreshnessOutOfRange');
    await assertEngineError(() => engine.channels.create(s3Channel('c', { stream: { name: 's', recordFormat: 'GSR_JSON' } })), 'RecordFormatNotSupported', {
      format: 'GSR_JSON',
      destinationType: 'S3',
    });
    const gsr = 'arn:aws:glue:us-east-1:111122223333:schema/r/s';
    await assertEngineError(
      () => engine.channels.create(s3Channel('c', { stream: { name: 's', recordFormat: 'STRING', gsrSchemaArn: gsr }, destination: tablesDestination })),
      'RecordFormatNotSupported',
      { format: 'STRING', destinationType: 'S3_TABLES' },
    );
    await assertEngineError(() => engine.channels.create(s3Channel('c', { destination: tablesDestination })), 'GsrSchemaRequired');
    await assertEngineError(
      () =>
        engine.channels.create(
          s3Channel('c', { stream: { name: 's', recordFormat: 'JSON', gsrSchemaArn: gsr }, destination: { ...tablesDestination, tables: [...tablesDestination.tables, ...tablesDestination.tables] } }),
        ),
      'ChannelTableCount',
      { count: 2 },
    );
    await assertEngineError(() => engine.channels.create(s3Channel('c', { encryption: { type: 'KMS', keyId: 'alias/aws/kinesis' } })), 'ChannelServiceKey', {
      keyId: 'alias/aws/kinesis',
    });
    await assertEngineError(
      () => engine.channels.create(s3Channel('c', { destination: s3Destination({}, { outputKeyTemplate: 'a/!{shard-id}' }) })),
      'InvalidObjectKeyTemplate',
      { member: 'OutputKeyTemplate', value: 'a/!{shard-id}', problem: 'unknownVariable', variable: 'shard-id' },
    );
    await assertEngineError(
      () =>
        engine.channels.create(
          s3Channel('c', {
            destination: s3Destination({ deadLetterQueue: { bucketArn: 'arn:aws:s3:::b', expectedBucketOwner: '111122223333', errorOutputPrefix: '../x/' } }),
          }),
        ),
      'InvalidObjectKeyTemplate',
      { member: 'ErrorOutputPrefix', value: '../x/', problem: 'pathTraversal' },
    );
    assert.equal(engine.channels.count(), 0);
  });

  it('accepts streaming-table channels but fails them: Riffle does not write Iceberg tables', async () => {
    const { engine, clock } = await onDemand({ createStreamMs: 10 });
    const channel = await engine.channels.create(
      s3Channel('tables', {
        stream: { name: 's', recordFormat: 'GSR_JSON', gsrSchemaArn: 'arn:aws:glue:us-east-1:111122223333:schema/r/s' },
        destination: tablesDestination,
      }),
    );
    assert.equal(channel.destination.deadLetterQueue.errorOutputPrefix, `kinesis-channel/errors/tables/${channel.id}/`);
    await clock.advance(10);
    const failed = engine.channels.describe(channel.id);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.failure, 'S3TablesNotDelivered');
    await engine.channels.delete(channel.id);
    await assertEngineError(() => engine.channels.describe(channel.id), 'ChannelNotFound', { channelId: channel.id });
  });

  it(`delivers ZSTD when this Node has it, and fails the channel otherwise (${zstdAvailable ? 'has it' : 'has not'})`, async () => {
    const { engine } = await onDemand();
    const channel = await engine.channels.create(s3Channel('z', { destination: s3Destination({}, { compressionType: 'ZSTD' }) }));
    const described = engine.channels.describe(channel.id);
    assert.equal(described.status, zstdAvailable ? 'ACTIVE' : 'FAILED');
    if (!zstdAvailable) assert.equal(described.failure, 'CompressionUnavailable');
  });

  it('updates freshness and logging of ACTIVE channels only, through UPDATING', async () => {
    const { engine, clock } = await onDemand({ updateStreamMs: 200, createStreamMs: 0 });
    const { id } = await engine.channels.create(s3Channel('c', { logging: { enabled: true, logGroupName: 'g' } }));
    const updated = await engine.channels.update(id, {
      dataFreshness: { destinationType: 'S3', member: 'S3DestinationConfiguration', seconds: 600 },
      logging: { enabled: false },
    });
    assert.equal(updated.status, 'UPDATING');
    assert.equal(updated.destination.dataFreshnessSeconds, 600);
    assert.deepEqual(updated.logging, { enabled: false, logGroupName: 'g', logStreamName: 'DestinationDelivery' });
    await assertEngineError(() => engine.channels.update(id, { logging: { enabled: true } }), 'ChannelNotActive', { channelId: id, status: 'UPDATING' });
    await assertEngineError(() => engine.channels.delete(id), 'ChannelNotActive', { channelId: id, status: 'UPDATING' });
    await clock.advance(200);
    assert.equal(engine.channels.describe(id).status, 'ACTIVE');
    await assertEngineError(
      () => engine.channels.update(id, { dataFreshness: { destinationType: 'S3_TABLES', member: 'S3TablesDestinationConfiguration', seconds: 600 } }),
      'ChannelDestinationMismatch',
      { channelId: id, member: 'S3TablesDestinationConfiguration', destinationType: 'S3' },
    );
    await assertEngineError(
      () => engine.channels.update(id, { dataFreshness: { destinationType: 'S3', member: 'S3DestinationConfiguration', seconds: 30 } }),
      'DataFreshnessOutOfRange',
    );
    await assertEngineError(() => engine.channels.update('missing', { logging: { enabled: true } }), 'ChannelNotFound', { channelId: 'missing' });
  });

  it('deletes through DELETING; a stream with channels cannot be deleted until they are gone', async () => {
    const { engine, clock } = await onDemand({ deleteStreamMs: 300, createStreamMs: 50 });
    const { id } = await engine.channels.create(s3Channel('c'));
    await assertEngineError(() => engine.channels.delete(id), 'ChannelNotActive', { channelId: id, status: 'CREATING' });
    await assertEngineError(() => engine.deleteStream('s'), 'StreamHasChannels', { stream: 's' });
    await clock.advance(50);
    await engine.channels.delete(id);
    assert.equal(engine.channels.describe(id).status, 'DELETING');
    await assertEngineError(() => engine.channels.delete(id), 'ChannelNotActive', { channelId: id, status: 'DELETING' });
    await assertEngineError(() => engine.deleteStream('s'), 'StreamHasChannels');
    // The name is taken until the channel is gone, as a stream's is.
    await assertEngineError(() => engine.channels.create(s3Channel('c')), 'ChannelExists');
    await clock.advance(300);
    await assertEngineError(() => engine.channels.describe(id), 'ChannelNotFound');
    assert.deepEqual(engine.channels.list(), []);
    await engine.deleteStream('s');
  });

  it('lists every channel by name', async () => {
    const { engine } = await onDemand({ onDemandStreamCountLimit: 10 });
    for (const name of ['t', 'u', 'v']) await engine.createStream({ name, mode: 'ON_DEMAND' });
    for (const [channel, stream] of [['b', 't'], ['a', 'u'], ['c', 'v']] as const) {
      await engine.channels.create(s3Channel(channel, { stream: { name: stream, recordFormat: 'BYTE_ARRAY' } }));
    }
    assert.deepEqual(engine.channels.list().map((channel) => [channel.name, channel.stream.name]), [['a', 'u'], ['b', 't'], ['c', 'v']]);
  });

  it('keeps channels and their pending transitions across restarts (file store)', async () => {
    const dataDir = tempDir('channels-restart');
    const clock = new FakeClock();
    const config = { ...testConfig, createStreamMs: 1000, deleteStreamMs: 1000 };
    let storage = await openFileStorage({ dataDir, now: () => clock.now() });
    let engine = await Engine.open({ storage, clock, config });
    await engine.createStream({ name: 's', mode: 'ON_DEMAND' });
    await clock.advance(1000);
    const kept = await engine.channels.create(s3Channel('kept'));
    await engine.createStream({ name: 't', mode: 'ON_DEMAND' });
    await clock.advance(1000);
    const gone = await engine.channels.create(s3Channel('gone', { stream: { name: 't', recordFormat: 'JSON' } }));
    await clock.advance(1000);
    await engine.channels.delete(gone.id);
    await engine.close();
    await storage.close();

    storage = await openFileStorage({ dataDir, now: () => clock.now() });
    engine = await Engine.open({ storage, clock, config });
    try {
      assert.equal(engine.channels.describe(kept.id).status, 'ACTIVE');
      assert.deepEqual(engine.channels.describe(kept.id), { ...kept, status: 'ACTIVE' });
      assert.equal(engine.channels.describe(gone.id).status, 'DELETING');
      await clock.advance(1000);
      await assertEngineError(() => engine.channels.describe(gone.id), 'ChannelNotFound');
      await engine.deleteStream('t');
    } finally {
      await engine.close();
      await storage.close();
    }
  });
});

describe('channels: distributed mode (engines of several nodes on one store)', () => {
  it('keeps a channel with the node that created it: another node lists it, refuses to change it and never delivers it', async () => {
    const storage = createMemoryStorage();
    const clock = new FakeClock();
    const [homeObjects, otherObjects] = [new FileObjectStore(tempDir('home')), new FileObjectStore(tempDir('other'))];
    const home = await Engine.open({ storage, clock, objects: homeObjects, nodeId: 'node-a', config: testConfig });
    await home.createStream({ name: 's', mode: 'ON_DEMAND' });
    const created = await home.channels.create(s3Channel('orders'));
    await clock.advance(0);
    assert.equal((await storage.metadata.load()).channels[0]!.homeNode, 'node-a');
    const other = await Engine.open({ storage, clock, objects: otherObjects, nodeId: 'node-b', config: testConfig });
    assert.deepEqual(other.channels.list().map((channel) => channel.id), [created.id]);
    assert.equal(other.channels.describe(created.id).name, 'orders');
    await assertEngineError(() => other.channels.delete(created.id), 'ChannelOnAnotherNode');
    await assertEngineError(() => other.channels.create(s3Channel('orders')), 'ChannelExists');
    // Records written through either node are delivered once, by the home node, into its own objects.
    await home.putRecords('s', [{ data: bytes('{"via":"a"}'), partitionKey: 'a' }]);
    await other.putRecords('s', [{ data: bytes('{"via":"b"}'), partitionKey: 'b' }]);
    await clock.advance(300_000);
    assert.deepEqual(linesIn(homeObjects, 'my-bucket').sort(), ['{"via":"a"}', '{"via":"b"}']);
    assert.deepEqual(objectsIn(otherObjects, 'my-bucket'), []);
    // The home node after a restart is the same node: it keeps the channel.
    await home.close();
    const again = await Engine.open({ storage, clock, objects: homeObjects, nodeId: 'node-a', config: testConfig });
    await again.channels.delete(created.id);
    other.followMetadata(await storage.metadata.load());
    assert.deepEqual(other.channels.list(), []);
    for (const engine of [other, again]) await engine.close();
  });
});
