import type { ChannelSnapshot } from '@riffle/engine';
import type { ChannelDescription, ChannelSummary, DeadLetterQueueS3Configuration } from '../generated/kinesis/types.js';
import * as messages from '../errors/messages.js';

/** Engine channel snapshots -> the model's shapes. */
export function toChannelDescription(channel: ChannelSnapshot): ChannelDescription {
  const { destination } = channel;
  const deadLetterQueue: DeadLetterQueueS3Configuration = {
    BucketARN: destination.deadLetterQueue.bucketArn,
    ExpectedBucketOwner: destination.deadLetterQueue.expectedBucketOwner,
    ErrorOutputPrefix: destination.deadLetterQueue.errorOutputPrefix,
  };
  return {
    ChannelName: channel.name,
    ChannelARN: channel.arn,
    ChannelId: channel.id,
    ChannelStatus: channel.status,
    ChannelStatusReason: statusReason(channel),
    ChannelCreationTimestamp: new Date(channel.createdAt),
    ServiceExecutionRoleARN: channel.serviceExecutionRoleArn,
    StreamConfigurationList: [
      {
        StreamARN: channel.stream.arn,
        StreamCreationTimestamp: new Date(channel.stream.createdAt),
        RecordConfiguration: { RecordFormatType: channel.stream.recordFormat, GSRSchemaARN: channel.stream.gsrSchemaArn },
      },
    ],
    S3DestinationConfiguration:
      destination.type === 'S3'
        ? {
            DataFreshnessInSeconds: destination.dataFreshnessSeconds,
            DeadLetterQueueS3Configuration: deadLetterQueue,
            StorageConfiguration: {
              BucketARN: destination.storage.bucketArn,
              ExpectedBucketOwner: destination.storage.expectedBucketOwner,
              OutputKeyTemplate: destination.storage.outputKeyTemplate,
              StorageClass: destination.storage.storageClass,
              CompressionType: destination.storage.compressionType,
            },
          }
        : undefined,
    S3TablesDestinationConfiguration:
      destination.type === 'S3_TABLES'
        ? {
            DataFreshnessInSeconds: destination.dataFreshnessSeconds,
            DeadLetterQueueS3Configuration: deadLetterQueue,
            S3TablesConfigurationList: destination.tables.map((table) => ({
              TableBucketARN: table.tableBucketArn,
              Namespace: table.namespace,
              TableName: table.tableName,
              CompressionType: table.compressionType,
              PartitionSpec: table.partitionFields && {
                PartitionFields: table.partitionFields.map((field) => ({ Transform: field.transform, SourceName: field.sourceName })),
              },
            })),
          }
        : undefined,
    EncryptionConfiguration: channel.encryption && { EncryptionType: channel.encryption.type, KeyId: channel.encryption.keyId },
    LoggingConfiguration: {
      CloudWatchLogs: {
        Enabled: channel.logging.enabled,
        LogGroupName: channel.logging.logGroupName,
        LogStreamName: channel.logging.logStreamName,
      },
    },
  };
}

export function toChannelSummary(channel: ChannelSnapshot): ChannelSummary {
  return {
    ChannelName: channel.name,
    ChannelARN: channel.arn,
    ChannelId: channel.id,
    ChannelStatus: channel.status,
    ChannelStatusReason: statusReason(channel),
    ChannelCreationTimestamp: new Date(channel.createdAt),
    ChannelDestinationType: channel.destination.type,
    Streams: [{ StreamARN: channel.stream.arn, StreamCreationTimestamp: new Date(channel.stream.createdAt) }],
  };
}

/** "A message describing the reason for a FAILED status." */
function statusReason(channel: ChannelSnapshot): string | undefined {
  switch (channel.failure) {
    case undefined:
      return undefined;
    case 'S3TablesNotDelivered':
      return messages.channelS3TablesNotDelivered();
    case 'CompressionUnavailable':
      return messages.channelCompressionUnavailable();
  }
}
