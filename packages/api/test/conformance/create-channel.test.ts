import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';
import { account, createChannelRequest, gsrSchemaArn, streamArn, tablesDestination } from './channel-requests.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('CreateChannel conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ createStreamMs: 100 });
    await server.call('CreateStream', { StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    await server.call('CreateStream', { StreamName: 'od2', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    await server.call('CreateStream', { StreamName: 'provisioned', ShardCount: 1 });
    await server.clock.advance(100);
  });
  after(() => server.close());

  it('answers with the ChannelDescription, CREATING, and the defaults AWS fills in', async () => {
    const res = await server.call('CreateChannel', createChannelRequest('orders'));
    assert.equal(res.status, 200);
    const description = res.body.ChannelDescription;
    const id = description.ChannelId;
    assert.match(id, new RegExp(`^${UUID}$`));
    assert.equal(typeof description.ChannelCreationTimestamp, 'number');
    const streamCreated = (await server.call('DescribeStreamSummary', { StreamName: 'od' })).body.StreamDescriptionSummary.StreamCreationTimestamp;
    assert.deepEqual(description, {
      ChannelName: 'orders',
      ChannelARN: `arn:aws:kinesis:us-east-1:${account}:channel/${id}`,
      ChannelId: id,
      ChannelStatus: 'CREATING',
      ChannelCreationTimestamp: description.ChannelCreationTimestamp,
      ServiceExecutionRoleARN: `arn:aws:iam::${account}:role/channel-role`,
      StreamConfigurationList: [
        { StreamARN: streamArn('od'), StreamCreationTimestamp: streamCreated, RecordConfiguration: { RecordFormatType: 'JSON' } },
      ],
      S3DestinationConfiguration: {
        DataFreshnessInSeconds: 300,
        DeadLetterQueueS3Configuration: {
          BucketARN: 'arn:aws:s3:::my-bucket',
          ExpectedBucketOwner: account,
          ErrorOutputPrefix: `kinesis-channel/errors/orders/${id}/`,
        },
        StorageConfiguration: {
          BucketARN: 'arn:aws:s3:::my-bucket',
          ExpectedBucketOwner: account,
          OutputKeyTemplate:
            'kinesis-channel/!{channel-name}/!{channel-id}/!{yyyy}/!{MM}/!{dd}/!{HH}/!{channel-name}-!{channel-id}-!{yyyy}-!{MM}-!{dd}-!{HH}-!{mm}!{extension}',
          StorageClass: 'STANDARD',
          CompressionType: 'GZIP',
        },
      },
      LoggingConfiguration: { CloudWatchLogs: { Enabled: false } },
    });
  });

  it('counts channels in DescribeLimits and DescribeStreamSummary', async () => {
    const limits = (await server.call('DescribeLimits', {})).body;
    assert.equal(limits.ChannelCount, 1);
    assert.equal(limits.ChannelCountLimit, 10, 'two per on-demand stream allowed (5 here)');
    assert.equal((await server.call('DescribeStreamSummary', { StreamName: 'od' })).body.StreamDescriptionSummary.ChannelCount, 1);
    assert.equal((await server.call('DescribeStreamSummary', { StreamName: 'od2' })).body.StreamDescriptionSummary.ChannelCount, 0);
  });

  it('keeps what the request set: template, storage class, dead-letter queue, freshness, encryption, logging', async () => {
    const res = await server.call(
      'CreateChannel',
      createChannelRequest('custom', 'od2', {
        EncryptionConfiguration: { EncryptionType: 'KMS', KeyId: 'alias/my-key' },
        LoggingConfiguration: { CloudWatchLogs: { Enabled: true } },
        S3DestinationConfiguration: {
          DataFreshnessInSeconds: 900,
          DeadLetterQueueS3Configuration: { BucketARN: 'arn:aws:s3:::dlq-bucket', ExpectedBucketOwner: account, ErrorOutputPrefix: 'errors/' },
          StorageConfiguration: {
            BucketARN: 'arn:aws:s3:::my-bucket',
            ExpectedBucketOwner: account,
            CompressionType: 'NONE',
            OutputKeyTemplate: 'data/!{yyyy}/!{MM}/!{dd}/!{HH}/!{channel-name}!{extension}',
            StorageClass: 'INTELLIGENT_TIERING',
          },
        },
        Tags: { team: 'data' },
      }),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const d = res.body.ChannelDescription;
    assert.equal(d.S3DestinationConfiguration.DataFreshnessInSeconds, 900);
    assert.deepEqual(d.S3DestinationConfiguration.DeadLetterQueueS3Configuration, {
      BucketARN: 'arn:aws:s3:::dlq-bucket',
      ExpectedBucketOwner: account,
      ErrorOutputPrefix: 'errors/',
    });
    assert.equal(d.S3DestinationConfiguration.StorageConfiguration.StorageClass, 'INTELLIGENT_TIERING');
    assert.deepEqual(d.EncryptionConfiguration, { EncryptionType: 'KMS', KeyId: 'alias/my-key' });
    assert.deepEqual(d.LoggingConfiguration, {
      CloudWatchLogs: { Enabled: true, LogGroupName: `/aws/kinesis/custom/${d.ChannelId}`, LogStreamName: 'DestinationDelivery' },
    });
  });

  it('validates the model\'s constraints with AWS\'s grammar', async () => {
    expectError(
      await server.call('CreateChannel', {}),
      'ValidationException',
      "3 validation errors detected: Value null at 'channelName' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'serviceExecutionRoleARN' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'streamConfigurationList' failed to satisfy constraint: Member must not be null",
      assert.deepEqual,
    );
    expectError(
      await server.call('CreateChannel', createChannelRequest('bad name!', 'od', { StreamConfigurationList: [] })),
      'ValidationException',
      "2 validation errors detected: Value 'bad name!' at 'channelName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; ' +
        "Value '[]' at 'streamConfigurationList' failed to satisfy constraint: Member must have length greater than or equal to 1",
      assert.deepEqual,
    );
    expectError(
      await server.call(
        'CreateChannel',
        createChannelRequest('c', 'od', {
          StreamConfigurationList: [{ StreamARN: streamArn('od'), RecordConfiguration: { RecordFormatType: 'XML' } }],
          S3DestinationConfiguration: { StorageConfiguration: { BucketARN: 'arn:aws:s3:::B', ExpectedBucketOwner: '123', CompressionType: 'GZIP' } },
        }),
      ),
      'ValidationException',
      "4 validation errors detected: Value 'XML' at 'streamConfigurationList.1.member.recordConfiguration.recordFormatType' " +
        'failed to satisfy constraint: Member must satisfy enum value set: [GSR_JSON, JSON, STRING, BYTE_ARRAY]; ' +
        "Value 'arn:aws:s3:::B' at 's3DestinationConfiguration.storageConfiguration.bucketARN' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: arn:aws[-a-z0-9]*:s3:::[a-z0-9._-]{3,63}; ' +
        "Value '123' at 's3DestinationConfiguration.storageConfiguration.expectedBucketOwner' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: \\d{12}; ' +
        "Value '123' at 's3DestinationConfiguration.storageConfiguration.expectedBucketOwner' failed to satisfy constraint: " +
        'Member must have length greater than or equal to 12',
      assert.deepEqual,
    );
  });

  it('requires a ServiceExecutionRoleARN that is an IAM role ARN', async () => {
    const { ServiceExecutionRoleARN: _role, ...withoutRole } = createChannelRequest('c');
    expectError(
      await server.call('CreateChannel', withoutRole),
      'ValidationException',
      "1 validation error detected: Value null at 'serviceExecutionRoleARN' failed to satisfy constraint: Member must not be null",
      assert.deepEqual,
    );
    expectError(
      await server.call('CreateChannel', createChannelRequest('c', 'od', { ServiceExecutionRoleARN: 'my-role' })),
      'ValidationException',
      "1 validation error detected: Value 'my-role' at 'serviceExecutionRoleARN' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: arn:aws[-a-z0-9]*:iam::\\d{12}:role/\\S+',
      assert.deepEqual,
    );
  });

  it('needs exactly one stream and exactly one destination', async () => {
    const two = { RecordConfiguration: { RecordFormatType: 'JSON' } };
    expectError(
      await server.call('CreateChannel', createChannelRequest('c', 'od', {
        StreamConfigurationList: [{ StreamARN: streamArn('od'), ...two }, { StreamARN: streamArn('od2'), ...two }],
      })),
      'InvalidArgumentException',
      'StreamConfigurationList must contain exactly one stream configuration. Specified: 2.',
      assert.deepEqual,
    );
    const { S3DestinationConfiguration: _s3, ...none } = createChannelRequest('c');
    expectError(
      await server.call('CreateChannel', none),
      'InvalidArgumentException',
      'Either S3DestinationConfiguration or S3TablesDestinationConfiguration must be provided.',
      assert.deepEqual,
    );
    expectError(
      await server.call('CreateChannel', createChannelRequest('c', 'od', { S3TablesDestinationConfiguration: tablesDestination })),
      'InvalidArgumentException',
      'S3DestinationConfiguration and S3TablesDestinationConfiguration cannot be provided together.',
      assert.deepEqual,
    );
  });

  it('needs an existing ACTIVE ON_DEMAND stream of this account', async () => {
    expectError(
      await server.call('CreateChannel', createChannelRequest('c', 'missing')),
      'ResourceNotFoundException',
      `Stream missing under account ${account} not found.`,
      assert.deepEqual,
    );
    const foreign = createChannelRequest('c', 'od', {
      StreamConfigurationList: [{ StreamARN: 'arn:aws:kinesis:us-east-1:999999999999:stream/od', RecordConfiguration: { RecordFormatType: 'JSON' } }],
    });
    expectError(await server.call('CreateChannel', foreign), 'ResourceNotFoundException', 'Stream od under account 999999999999 not found.', assert.deepEqual);
    expectError(
      await server.call('CreateChannel', createChannelRequest('c', 'provisioned')),
      'InvalidArgumentException',
      `Stream provisioned under account ${account} is not in ON_DEMAND capacity mode. ` +
        'Channels are only supported for data streams with the on-demand capacity mode.',
      assert.deepEqual,
    );
    await server.call('CreateStream', { StreamName: 'young', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    expectError(
      await server.call('CreateChannel', createChannelRequest('c', 'young')),
      'ResourceInUseException',
      `Stream young under account ${account} not ACTIVE, instead in state CREATING`,
      assert.deepEqual,
    );
    await server.clock.advance(100);
  });

  it('refuses a taken name and a second channel of the same destination type on a stream', async () => {
    expectError(
      await server.call('CreateChannel', createChannelRequest('orders', 'young')),
      'ResourceInUseException',
      `Channel orders under account ${account} already exists.`,
      assert.deepEqual,
    );
    expectError(
      await server.call('CreateChannel', createChannelRequest('second', 'od')),
      'LimitExceededException',
      `Stream od under account ${account} already has a channel with ChannelDestinationType S3. ` +
        'A stream can have one channel per destination type.',
      assert.deepEqual,
    );
  });

  it('checks freshness, formats, the schema, the key template and the KMS key', async () => {
    const s3 = (extra: Record<string, unknown>, storage: Record<string, unknown> = {}) => ({
      S3DestinationConfiguration: {
        StorageConfiguration: { BucketARN: 'arn:aws:s3:::my-bucket', ExpectedBucketOwner: account, CompressionType: 'GZIP', ...storage },
        ...extra,
      },
    });
    expectError(
      await server.call('CreateChannel', createChannelRequest('c', 'young', s3({ DataFreshnessInSeconds: 60 }))),
      'InvalidArgumentException',
      'DataFreshnessInSeconds must be between 300 and 900 seconds. Requested value: 60.',
      assert.deepEqual,
    );
    expectError(
      await server.call('CreateChannel', createChannelRequest('c', 'young', s3({}, { OutputKeyTemplate: 'a/!{topic-name}/b' }))),
      'InvalidArgumentException',
      'Invalid OutputKeyTemplate a/!{topic-name}/b: !{topic-name} is not a supported variable.',
      assert.deepEqual,
    );
    expectError(
      await server.call('CreateChannel', createChannelRequest('c', 'young', s3({}, { OutputKeyTemplate: 'x/../y' }))),
      'InvalidArgumentException',
      'Invalid OutputKeyTemplate x/../y: it must not contain . or .. path segments.',
      assert.deepEqual,
    );
    expectError(
      await server.call('CreateChannel', createChannelRequest('c', 'young', { EncryptionConfiguration: { EncryptionType: 'KMS', KeyId: 'aws/kinesis' } })),
      'InvalidArgumentException',
      'KeyId aws/kinesis cannot be used: channels need a customer managed AWS KMS key, not the Amazon Kinesis Data Streams service key (aws/kinesis).',
      assert.deepEqual,
    );
    expectError(
      await server.call('CreateChannel', createChannelRequest('c', 'young', {
        StreamConfigurationList: [{ StreamARN: streamArn('young'), RecordConfiguration: { RecordFormatType: 'GSR_JSON' } }],
      })),
      'InvalidArgumentException',
      'RecordFormatType GSR_JSON is not supported for general purpose Amazon S3 destinations.',
      assert.deepEqual,
    );
    const toTables = (format: string, schema?: string) =>
      createChannelRequest('c', 'young', {
        StreamConfigurationList: [
          { StreamARN: streamArn('young'), RecordConfiguration: { RecordFormatType: format, ...(schema ? { GSRSchemaARN: schema } : {}) } },
        ],
        S3DestinationConfiguration: undefined,
        S3TablesDestinationConfiguration: tablesDestination,
      });
    expectError(
      await server.call('CreateChannel', toTables('BYTE_ARRAY', gsrSchemaArn)),
      'InvalidArgumentException',
      'RecordFormatType BYTE_ARRAY is not supported for streaming table (Amazon S3 Tables) destinations.',
      assert.deepEqual,
    );
    expectError(
      await server.call('CreateChannel', toTables('JSON')),
      'InvalidArgumentException',
      'GSRSchemaARN is required when the channel destination is a streaming table.',
      assert.deepEqual,
    );
    const res = await server.call('CreateChannel', toTables('JSON', gsrSchemaArn));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.ChannelDescription.S3TablesDestinationConfiguration, {
      DataFreshnessInSeconds: 300,
      DeadLetterQueueS3Configuration: {
        BucketARN: 'arn:aws:s3:::dlq-bucket',
        ExpectedBucketOwner: account,
        ErrorOutputPrefix: `kinesis-channel/errors/c/${res.body.ChannelDescription.ChannelId}/`,
      },
      S3TablesConfigurationList: tablesDestination.S3TablesConfigurationList,
    });
    assert.equal(res.body.ChannelDescription.S3DestinationConfiguration, undefined);
  });
});
