import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';
const arn = (name: string) => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012';
const HOUR = 3_600_000;
const MiB = 1024 * 1024;

/** AWS's expansion of ALL, in AWS's order (aws-cli examples enable-enhanced-monitoring.rst). */
const ALL_METRICS = [
  'IncomingBytes',
  'OutgoingRecords',
  'IteratorAgeMilliseconds',
  'IncomingRecords',
  'ReadProvisionedThroughputExceeded',
  'WriteProvisionedThroughputExceeded',
  'OutgoingBytes',
];

describe('StartStreamEncryption and StopStreamEncryption conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'secret', ShardCount: 1 });
  });
  after(() => server.close());

  const summary = async (name: string) => (await server.call('DescribeStreamSummary', { StreamName: name })).body.StreamDescriptionSummary;
  const put = async (key: string, stream = 'secret') => (await server.call('PutRecord', { StreamName: stream, PartitionKey: key, Data: b64(key) })).body;
  const readAll = async () => {
    const iterator = (await server.call('GetShardIterator', { StreamName: 'secret', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator;
    return (await server.call('GetRecords', { ShardIterator: iterator })).body.Records;
  };

  const refusals: Array<{ name: string; operation: string; input: Record<string, unknown>; type: string; message: string }> = [
    {
      name: 'Stop on a stream that is not encrypted',
      operation: 'StopStreamEncryption',
      input: { StreamName: 'secret', EncryptionType: 'KMS', KeyId: KEY },
      type: 'InvalidArgumentException',
      message: `Stream secret under account ${account} is not encrypted.`,
    },
    {
      name: 'Start with EncryptionType NONE',
      operation: 'StartStreamEncryption',
      input: { StreamName: 'secret', EncryptionType: 'NONE', KeyId: KEY },
      type: 'InvalidArgumentException',
      message: 'EncryptionType NONE is not supported by StartStreamEncryption.',
    },
    {
      name: 'Stop with EncryptionType NONE',
      operation: 'StopStreamEncryption',
      input: { StreamName: 'secret', EncryptionType: 'NONE', KeyId: KEY },
      type: 'InvalidArgumentException',
      message: 'EncryptionType NONE is not supported by StopStreamEncryption.',
    },
    {
      name: 'an EncryptionType outside the model enum',
      operation: 'StartStreamEncryption',
      input: { StreamName: 'secret', EncryptionType: 'AES', KeyId: KEY },
      type: 'ValidationException',
      message: "1 validation error detected: Value 'AES' at 'encryptionType' failed to satisfy constraint: Member must satisfy enum value set: [NONE, KMS]",
    },
    {
      name: 'Start without KeyId',
      operation: 'StartStreamEncryption',
      input: { StreamName: 'secret', EncryptionType: 'KMS' },
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'Start on an unknown stream',
      operation: 'StartStreamEncryption',
      input: { StreamName: 'absent', EncryptionType: 'KMS', KeyId: KEY },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'Stop on an unknown stream, by StreamARN',
      operation: 'StopStreamEncryption',
      input: { StreamARN: arn('absent'), EncryptionType: 'KMS', KeyId: KEY },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    // KMS's NotFoundException texts, passed on (sources/encryption.md).
    {
      name: 'Start with a key id the keyring does not have',
      operation: 'StartStreamEncryption',
      input: { StreamName: 'secret', EncryptionType: 'KMS', KeyId: '87654321-4321-4321-4321-210987654321' },
      type: 'KMSNotFoundException',
      message: `Key 'arn:aws:kms:us-east-1:${account}:key/87654321-4321-4321-4321-210987654321' does not exist`,
    },
    {
      name: 'Start with a key ARN of another account',
      operation: 'StartStreamEncryption',
      input: { StreamName: 'secret', EncryptionType: 'KMS', KeyId: 'arn:aws:kms:us-east-1:210987654321:key/12345678-1234-1234-1234-123456789012' },
      type: 'KMSNotFoundException',
      message: "Key 'arn:aws:kms:us-east-1:210987654321:key/12345678-1234-1234-1234-123456789012' does not exist",
    },
    {
      name: 'Start with an unknown alias',
      operation: 'StartStreamEncryption',
      input: { StreamName: 'secret', EncryptionType: 'KMS', KeyId: 'alias/NoSuchAlias' },
      type: 'KMSNotFoundException',
      message: `Alias arn:aws:kms:us-east-1:${account}:alias/NoSuchAlias is not found.`,
    },
    {
      name: 'Start with an unknown alias ARN',
      operation: 'StartStreamEncryption',
      input: { StreamName: 'secret', EncryptionType: 'KMS', KeyId: `arn:aws:kms:us-east-1:${account}:alias/NoSuchAlias` },
      type: 'KMSNotFoundException',
      message: `Alias arn:aws:kms:us-east-1:${account}:alias/NoSuchAlias is not found.`,
    },
    {
      name: 'Start with a KeyId of no known form',
      operation: 'StartStreamEncryption',
      input: { StreamName: 'secret', EncryptionType: 'KMS', KeyId: 'my-key' },
      type: 'KMSNotFoundException',
      message: "Invalid keyId 'my-key'",
    },
  ];
  for (const { name, operation, input, type, message } of refusals) {
    it(`refuses ${name}`, async () => {
      expectError(await server.call(operation, input), type, message, assert.deepEqual);
      assert.equal((await summary('secret')).EncryptionType, 'NONE');
    });
  }

  it('starts and stops encryption: DescribeStreamSummary, DescribeStream, PutRecord(s) and each record follow the switch', async () => {
    assert.equal((await put('plain-1')).EncryptionType, 'NONE');
    await server.clock.advance(1000);

    assert.deepEqual(await server.call('StartStreamEncryption', { StreamName: 'secret', EncryptionType: 'KMS', KeyId: KEY }), { status: 200, body: undefined });
    const encrypted = await summary('secret');
    assert.deepEqual([encrypted.EncryptionType, encrypted.KeyId], ['KMS', KEY]);
    const described = (await server.call('DescribeStream', { StreamName: 'secret' })).body.StreamDescription;
    assert.deepEqual([described.EncryptionType, described.KeyId], ['KMS', KEY]);

    await server.clock.advance(1000);
    const putKms = await put('kms-1');
    assert.equal(putKms.ShardId, 'shardId-000000000000');
    assert.equal(putKms.EncryptionType, 'KMS');
    const putRecords = (await server.call('PutRecords', { StreamName: 'secret', Records: [{ PartitionKey: 'kms-2', Data: b64('kms-2') }] })).body;
    assert.equal(putRecords.FailedRecordCount, 0);
    assert.equal(putRecords.EncryptionType, 'KMS');
    await server.clock.advance(1000);

    assert.deepEqual(await server.call('StopStreamEncryption', { StreamARN: arn('secret'), EncryptionType: 'KMS', KeyId: KEY }), { status: 200, body: undefined });
    const stopped = await summary('secret');
    assert.deepEqual([stopped.EncryptionType, stopped.KeyId], ['NONE', undefined]);
    await server.clock.advance(1000);
    assert.equal((await put('plain-2')).EncryptionType, 'NONE');
    const putRecordsPlain = (await server.call('PutRecords', { StreamName: 'secret', Records: [{ PartitionKey: 'plain-3', Data: b64('plain-3') }] })).body;
    assert.equal(putRecordsPlain.EncryptionType, 'NONE');

    // Each record keeps the EncryptionType it was written with: records written unencrypted stay so (NONE,
    // which GetRecords shows by leaving EncryptionType out, as AWS's answers for unencrypted streams do).
    assert.deepEqual(
      (await readAll()).map((r: any) => [r.PartitionKey, 'EncryptionType' in r ? r.EncryptionType : 'absent']),
      [
        ['plain-1', 'absent'],
        ['kms-1', 'KMS'],
        ['kms-2', 'KMS'],
        ['plain-2', 'absent'],
        ['plain-3', 'absent'],
      ],
    );
    // Stored encrypted or not, each record reads back as written.
    assert.deepEqual(
      (await readAll()).map((r: any) => Buffer.from(r.Data, 'base64').toString()),
      ['plain-1', 'kms-1', 'kms-2', 'plain-2', 'plain-3'],
    );
  });

  it('takes every form of KeyId the API reference names: key id, key ARN, alias name, alias ARN, alias/aws/kinesis', async () => {
    await server.call('CreateStream', { StreamName: 'forms', ShardCount: 1 });
    for (const KeyId of [
      '12345678-1234-1234-1234-123456789012',
      KEY,
      'alias/MyAliasName',
      `arn:aws:kms:us-east-1:${account}:alias/MyAliasName`,
      'alias/aws/kinesis',
    ]) {
      assert.deepEqual(await server.call('StartStreamEncryption', { StreamName: 'forms', EncryptionType: 'KMS', KeyId }), { status: 200, body: undefined }, KeyId);
      // DescribeStreamSummary answers the KeyId as it was given.
      assert.equal((await summary('forms')).KeyId, KeyId);
      await put(KeyId, 'forms');
    }
    const iterator = (await server.call('GetShardIterator', { StreamName: 'forms', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator;
    const records = (await server.call('GetRecords', { ShardIterator: iterator })).body.Records;
    assert.equal(records.length, 5);
    assert.ok(records.every((r: any) => r.EncryptionType === 'KMS' && Buffer.from(r.Data, 'base64').toString() === r.PartitionKey));
  });

  it('gives a record written just before StartStreamEncryption, in the same millisecond, EncryptionType NONE', async () => {
    await server.call('CreateStream', { StreamName: 'same-ms', ShardCount: 1 });
    await server.call('PutRecord', { StreamName: 'same-ms', PartitionKey: 'before', Data: b64('before') });
    await server.call('StartStreamEncryption', { StreamName: 'same-ms', EncryptionType: 'KMS', KeyId: KEY });
    await server.call('PutRecord', { StreamName: 'same-ms', PartitionKey: 'after', Data: b64('after') });
    const iterator = (await server.call('GetShardIterator', { StreamName: 'same-ms', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator;
    const records = (await server.call('GetRecords', { ShardIterator: iterator })).body.Records;
    assert.deepEqual(records.map((r: any) => [r.PartitionKey, 'EncryptionType' in r ? r.EncryptionType : 'absent']), [['before', 'absent'], ['after', 'KMS']]);
  });

  it('allows StartStreamEncryption 25 times per stream in a rolling 24 hours', async () => {
    await server.call('CreateStream', { StreamName: 'rotating', ShardCount: 1 });
    const start = () => server.call('StartStreamEncryption', { StreamName: 'rotating', EncryptionType: 'KMS', KeyId: KEY });
    for (let i = 0; i < 25; i++) assert.equal((await start()).status, 200, `call ${i + 1}`);
    expectError(
      await start(),
      'LimitExceededException',
      `Exceeded the limit of 25 StartStreamEncryption operations per rolling 24-hour period for stream rotating under account ${account}.`,
      assert.deepEqual,
    );
    await server.clock.advance(24 * HOUR);
    assert.equal((await start()).status, 200);
  });
});

describe('EnableEnhancedMonitoring and DisableEnhancedMonitoring conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'watched', ShardCount: 1 });
  });
  after(() => server.close());

  const monitoring = async () => {
    const stream = (await server.call('DescribeStream', { StreamName: 'watched' })).body.StreamDescription.EnhancedMonitoring;
    const summary = (await server.call('DescribeStreamSummary', { StreamName: 'watched' })).body.StreamDescriptionSummary.EnhancedMonitoring;
    assert.deepEqual(summary, stream);
    return stream;
  };

  const steps: Array<{ name: string; operation: string; metrics: string[]; current: string[]; desired: string[] }> = [
    { name: 'enables one metric on a stream with none', operation: 'EnableEnhancedMonitoring', metrics: ['IncomingBytes'], current: [], desired: ['IncomingBytes'] },
    {
      name: 'enables more, listing them in AWS\'s order',
      operation: 'EnableEnhancedMonitoring',
      metrics: ['OutgoingBytes', 'IncomingRecords', 'IncomingBytes'],
      current: ['IncomingBytes'],
      desired: ['IncomingBytes', 'IncomingRecords', 'OutgoingBytes'],
    },
    {
      name: 'expands ALL into the seven metrics in AWS\'s order',
      operation: 'EnableEnhancedMonitoring',
      metrics: ['ALL'],
      current: ['IncomingBytes', 'IncomingRecords', 'OutgoingBytes'],
      desired: ALL_METRICS,
    },
    {
      name: 'disables some',
      operation: 'DisableEnhancedMonitoring',
      metrics: ['IncomingBytes', 'OutgoingBytes'],
      current: ALL_METRICS,
      desired: ['OutgoingRecords', 'IteratorAgeMilliseconds', 'IncomingRecords', 'ReadProvisionedThroughputExceeded', 'WriteProvisionedThroughputExceeded'],
    },
    {
      name: 'ignores disabling a metric that is not enabled',
      operation: 'DisableEnhancedMonitoring',
      metrics: ['IncomingBytes'],
      current: ['OutgoingRecords', 'IteratorAgeMilliseconds', 'IncomingRecords', 'ReadProvisionedThroughputExceeded', 'WriteProvisionedThroughputExceeded'],
      desired: ['OutgoingRecords', 'IteratorAgeMilliseconds', 'IncomingRecords', 'ReadProvisionedThroughputExceeded', 'WriteProvisionedThroughputExceeded'],
    },
    {
      name: 'disables ALL, sending an empty Desired list',
      operation: 'DisableEnhancedMonitoring',
      metrics: ['ALL'],
      current: ['OutgoingRecords', 'IteratorAgeMilliseconds', 'IncomingRecords', 'ReadProvisionedThroughputExceeded', 'WriteProvisionedThroughputExceeded'],
      desired: [],
    },
    { name: 'disables ALL again with both lists empty', operation: 'DisableEnhancedMonitoring', metrics: ['ALL'], current: [], desired: [] },
    { name: 'enables ALL from none', operation: 'EnableEnhancedMonitoring', metrics: ['ALL'], current: [], desired: ALL_METRICS },
    { name: 'disables ALL from all', operation: 'DisableEnhancedMonitoring', metrics: ['ALL'], current: ALL_METRICS, desired: [] },
  ];
  for (const { name, operation, metrics, current, desired } of steps) {
    it(`${operation} ${name}`, async () => {
      const res = await server.call(operation, { StreamName: 'watched', ShardLevelMetrics: metrics });
      assert.deepEqual(res, {
        status: 200,
        body: { StreamName: 'watched', CurrentShardLevelMetrics: current, DesiredShardLevelMetrics: desired, StreamARN: arn('watched') },
      });
      assert.deepEqual(await monitoring(), [{ ShardLevelMetrics: desired }]);
    });
  }

  it('addresses the stream by StreamARN', async () => {
    const res = await server.call('EnableEnhancedMonitoring', { StreamARN: arn('watched'), ShardLevelMetrics: ['IteratorAgeMilliseconds'] });
    assert.deepEqual(res.body, {
      StreamName: 'watched',
      CurrentShardLevelMetrics: [],
      DesiredShardLevelMetrics: ['IteratorAgeMilliseconds'],
      StreamARN: arn('watched'),
    });
    await server.call('DisableEnhancedMonitoring', { StreamARN: arn('watched'), ShardLevelMetrics: ['ALL'] });
  });

  const refusals: Array<{ name: string; operation: string; input: Record<string, unknown>; type: string; message: string }> = [
    {
      name: 'a metric name outside the model enum',
      operation: 'EnableEnhancedMonitoring',
      input: { StreamName: 'watched', ShardLevelMetrics: ['IncomingBytes', 'Latency'] },
      type: 'ValidationException',
      message:
        "1 validation error detected: Value '[IncomingBytes, Latency]' at 'shardLevelMetrics' failed to satisfy constraint: " +
        'Member must satisfy constraint: [Member must satisfy enum value set: [IncomingBytes, IncomingRecords, OutgoingBytes, ' +
        'OutgoingRecords, WriteProvisionedThroughputExceeded, ReadProvisionedThroughputExceeded, IteratorAgeMilliseconds, ALL]]',
    },
    {
      name: 'a bad metric name on Disable',
      operation: 'DisableEnhancedMonitoring',
      input: { StreamName: 'watched', ShardLevelMetrics: ['incomingbytes'] },
      type: 'ValidationException',
      message:
        "1 validation error detected: Value '[incomingbytes]' at 'shardLevelMetrics' failed to satisfy constraint: " +
        'Member must satisfy constraint: [Member must satisfy enum value set: [IncomingBytes, IncomingRecords, OutgoingBytes, ' +
        'OutgoingRecords, WriteProvisionedThroughputExceeded, ReadProvisionedThroughputExceeded, IteratorAgeMilliseconds, ALL]]',
    },
    {
      name: 'an empty metric list',
      operation: 'EnableEnhancedMonitoring',
      input: { StreamName: 'watched', ShardLevelMetrics: [] },
      type: 'ValidationException',
      message: "1 validation error detected: Value '[]' at 'shardLevelMetrics' failed to satisfy constraint: Member must have length greater than or equal to 1",
    },
    {
      name: 'a missing metric list',
      operation: 'DisableEnhancedMonitoring',
      input: { StreamName: 'watched' },
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'shardLevelMetrics' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'an unknown stream',
      operation: 'EnableEnhancedMonitoring',
      input: { StreamName: 'absent', ShardLevelMetrics: ['ALL'] },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
  ];
  for (const { name, operation, input, type, message } of refusals) {
    it(`refuses ${name}`, async () => {
      expectError(await server.call(operation, input), type, message, assert.deepEqual);
      assert.deepEqual(await monitoring(), [{ ShardLevelMetrics: [] }]);
    });
  }
});

describe('UpdateMaxRecordSize and the per-record size limit', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'sized', ShardCount: 1 });
  });
  after(() => server.close());

  const maxSize = async () => (await server.call('DescribeStreamSummary', { StreamName: 'sized' })).body.StreamDescriptionSummary.MaxRecordSizeInKiB;
  const data = (bytes: number) => Buffer.alloc(bytes, 9).toString('base64');

  const refusals: Array<{ name: string; input: Record<string, unknown>; type: string; message: string }> = [
    {
      name: 'a size below 1024 KiB',
      input: { StreamARN: arn('sized'), MaxRecordSizeInKiB: 1023 },
      type: 'ValidationException',
      message: "1 validation error detected: Value '1023' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value greater than or equal to 1024",
    },
    {
      name: 'a size above 10240 KiB',
      input: { StreamARN: arn('sized'), MaxRecordSizeInKiB: 10241 },
      type: 'ValidationException',
      message: "1 validation error detected: Value '10241' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value less than or equal to 10240",
    },
    {
      name: 'a missing size',
      input: { StreamARN: arn('sized') },
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'an unknown stream',
      input: { StreamARN: arn('absent'), MaxRecordSizeInKiB: 2048 },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
  ];
  for (const { name, input, type, message } of refusals) {
    it(`refuses ${name}`, async () => {
      expectError(await server.call('UpdateMaxRecordSize', input), type, message, assert.deepEqual);
      assert.equal(await maxSize(), 1024);
    });
  }

  it('refuses a record above the default 1 MiB (data plus partition key) in PutRecord and PutRecords', async () => {
    assert.equal(await maxSize(), 1024);
    expectError(
      await server.call('PutRecord', { StreamName: 'sized', PartitionKey: 'k', Data: data(MiB) }),
      'ValidationException',
      "1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576.",
      assert.deepEqual,
    );
    expectError(
      await server.call('PutRecords', {
        StreamName: 'sized',
        Records: [
          { PartitionKey: 'a', Data: b64('small') },
          { PartitionKey: 'b', Data: b64('small') },
          { PartitionKey: 'k', Data: data(MiB) },
        ],
      }),
      'ValidationException',
      "1 validation error detected: Value at 'records.3.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576.",
      assert.deepEqual,
    );
    // Nothing of a refused PutRecords was written.
    const iterator = (await server.call('GetShardIterator', { StreamName: 'sized', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator;
    assert.deepEqual((await server.call('GetRecords', { ShardIterator: iterator })).body.Records, []);
  });

  it('raises the limit: 200 with no body, MaxRecordSizeInKiB in DescribeStreamSummary, and a 2 MiB record accepted', async () => {
    assert.deepEqual(await server.call('UpdateMaxRecordSize', { StreamARN: arn('sized'), MaxRecordSizeInKiB: 3072 }), { status: 200, body: undefined });
    assert.equal(await maxSize(), 3072);
    const twoMiB = Buffer.alloc(2 * MiB, 5);
    const put = await server.call('PutRecord', { StreamName: 'sized', PartitionKey: 'k', Data: twoMiB.toString('base64') });
    assert.equal(put.status, 200);
    assert.equal(put.body.ShardId, 'shardId-000000000000');
    const iterator = (await server.call('GetShardIterator', { StreamName: 'sized', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator;
    const records = (await server.call('GetRecords', { ShardIterator: iterator })).body.Records;
    assert.equal(records.length, 1);
    assert.ok(Buffer.from(records[0].Data, 'base64').equals(twoMiB));
    // The limit in the message follows the stream's setting.
    expectError(
      await server.call('PutRecords', { StreamName: 'sized', Records: [{ PartitionKey: 'k', Data: data(3 * MiB) }] }),
      'ValidationException',
      "1 validation error detected: Value at 'records.1.member.data' failed to satisfy constraint: Member must have length less than or equal to 3145728.",
      assert.deepEqual,
    );
    expectError(
      await server.call('PutRecord', { StreamName: 'sized', PartitionKey: 'k', Data: data(3 * MiB) }),
      'ValidationException',
      "1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 3145728.",
      assert.deepEqual,
    );
  });

  it('lowers the limit back to 1024 KiB', async () => {
    assert.equal((await server.call('UpdateMaxRecordSize', { StreamARN: arn('sized'), MaxRecordSizeInKiB: 1024 })).status, 200);
    assert.equal(await maxSize(), 1024);
    const res = await server.call('PutRecord', { StreamName: 'sized', PartitionKey: 'k', Data: data(2 * MiB) });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'ValidationException');
  });

  it('refuses a PutRecords whose records total more than 10 MiB, and accepts exactly 10 MiB', async () => {
    await server.call('CreateStream', { StreamName: 'bulk', ShardCount: 1, MaxRecordSizeInKiB: 10240 });
    const half = data(5 * MiB - 1);
    expectError(
      await server.call('PutRecords', { StreamName: 'bulk', Records: [{ PartitionKey: 'a', Data: half }, { PartitionKey: 'bb', Data: half }] }),
      'InvalidArgumentException',
      'Records size exceeds 10 MB limit',
      assert.deepEqual,
    );
    const ok = await server.call('PutRecords', { StreamName: 'bulk', Records: [{ PartitionKey: 'a', Data: half }, { PartitionKey: 'b', Data: half }] });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.FailedRecordCount, 0);
    // On a stream left at 1 MiB records, eleven records of 1 MiB are over the request limit.
    const one = data(MiB - 1);
    expectError(
      await server.call('PutRecords', { StreamName: 'sized', Records: Array.from({ length: 11 }, () => ({ PartitionKey: 'k', Data: one })) }),
      'InvalidArgumentException',
      'Records size exceeds 10 MB limit',
      assert.deepEqual,
    );
  });
});
