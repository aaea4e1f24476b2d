/** Requests the channel conformance tests share (account 123456789012, us-east-1, as conformance-server.ts). */
export const account = '123456789012';
export const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;
export const channelArn = (id: string) => `arn:aws:kinesis:us-east-1:${account}:channel/${id}`;

export function createChannelRequest(name: string, stream = 'od', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ChannelName: name,
    ServiceExecutionRoleARN: `arn:aws:iam::${account}:role/channel-role`,
    StreamConfigurationList: [{ StreamARN: streamArn(stream), RecordConfiguration: { RecordFormatType: 'JSON' } }],
    S3DestinationConfiguration: {
      StorageConfiguration: { BucketARN: 'arn:aws:s3:::my-bucket', ExpectedBucketOwner: account, CompressionType: 'GZIP' },
    },
    ...overrides,
  };
}

export const tablesDestination = {
  DeadLetterQueueS3Configuration: { BucketARN: 'arn:aws:s3:::dlq-bucket', ExpectedBucketOwner: account },
  S3TablesConfigurationList: [
    {
      TableBucketARN: `arn:aws:s3tables:us-east-1:${account}:bucket/tables`,
      Namespace: 'my_namespace',
      TableName: 'my_table',
      CompressionType: 'ZSTD',
      PartitionSpec: { PartitionFields: [{ SourceName: 'creation_ts', Transform: 'TIME_HOUR' }] },
    },
  ],
};
export const gsrSchemaArn = `arn:aws:glue:us-east-1:${account}:schema/my-registry/my-schema`;
