import type { CreateChannelInput as EngineCreateChannelInput } from '@riffle/engine';
import type { OperationHandler } from '../operation-handler.js';
import type { CreateChannelInput, CreateChannelOutput, DeadLetterQueueS3Configuration } from '../generated/kinesis/types.js';
import { toChannelDescription } from '../channels/channel-shapes.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';
import { resolveStreamName } from '../streams/resolve-stream.js';

/**
 * Argument rules first (one stream, one destination: the CreateChannel documentation), then the stream, then the
 * engine's checks of formats, limits and state.
 */
export const createChannel: OperationHandler<CreateChannelInput, CreateChannelOutput> = async (input, { engine }) => {
  const streams = input.StreamConfigurationList;
  if (streams.length !== 1) throw kinesisError('InvalidArgumentException', messages.channelStreamCount(streams.length));
  const s3 = input.S3DestinationConfiguration;
  const tables = input.S3TablesDestinationConfiguration;
  if (s3 === undefined && tables === undefined) throw kinesisError('InvalidArgumentException', messages.channelDestinationRequired());
  if (s3 !== undefined && tables !== undefined) throw kinesisError('InvalidArgumentException', messages.channelDestinationsTogether());
  const source = streams[0]!;
  const streamName = resolveStreamName(engine, { StreamARN: source.StreamARN });

  const destination: EngineCreateChannelInput['destination'] = s3
    ? {
        type: 'S3',
        dataFreshnessSeconds: s3.DataFreshnessInSeconds,
        storage: {
          bucketArn: s3.StorageConfiguration.BucketARN,
          expectedBucketOwner: s3.StorageConfiguration.ExpectedBucketOwner,
          compressionType: s3.StorageConfiguration.CompressionType,
          outputKeyTemplate: s3.StorageConfiguration.OutputKeyTemplate,
          storageClass: s3.StorageConfiguration.StorageClass,
        },
        deadLetterQueue: s3.DeadLetterQueueS3Configuration && deadLetterQueueOf(s3.DeadLetterQueueS3Configuration),
      }
    : {
        type: 'S3_TABLES',
        dataFreshnessSeconds: tables!.DataFreshnessInSeconds,
        deadLetterQueue: deadLetterQueueOf(tables!.DeadLetterQueueS3Configuration),
        tables: tables!.S3TablesConfigurationList.map((table) => ({
          tableBucketArn: table.TableBucketARN,
          namespace: table.Namespace,
          tableName: table.TableName,
          compressionType: table.CompressionType,
          ...(table.PartitionSpec
            ? { partitionFields: table.PartitionSpec.PartitionFields.map((field) => ({ transform: field.Transform, sourceName: field.SourceName })) }
            : {}),
        })),
      };
  const logs = input.LoggingConfiguration?.CloudWatchLogs;
  const channel = await withEngineErrors(engine, () =>
    engine.channels.create({
      name: input.ChannelName,
      serviceExecutionRoleArn: input.ServiceExecutionRoleARN,
      stream: {
        name: streamName,
        recordFormat: source.RecordConfiguration.RecordFormatType,
        gsrSchemaArn: source.RecordConfiguration.GSRSchemaARN,
      },
      destination,
      encryption: input.EncryptionConfiguration && {
        type: input.EncryptionConfiguration.EncryptionType,
        keyId: input.EncryptionConfiguration.KeyId,
      },
      logging: logs && { enabled: logs.Enabled, logGroupName: logs.LogGroupName, logStreamName: logs.LogStreamName },
      tags: input.Tags,
    }),
  );
  return { ChannelDescription: toChannelDescription(channel) };
};

function deadLetterQueueOf(dlq: DeadLetterQueueS3Configuration) {
  return { bucketArn: dlq.BucketARN, expectedBucketOwner: dlq.ExpectedBucketOwner, errorOutputPrefix: dlq.ErrorOutputPrefix };
}
