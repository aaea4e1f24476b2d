import type { UpdateChannelInput as EngineUpdateChannelInput } from '@riffle/engine';
import type { OperationHandler } from '../operation-handler.js';
import type { UpdateChannelInput, UpdateChannelOutput } from '../generated/kinesis/types.js';
import { toChannelDescription } from '../channels/channel-shapes.js';
import { resolveChannelId } from '../channels/resolve-channel.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';

/** Only DataFreshnessInSeconds and the logging settings can change (UpdateChannel documentation). */
export const updateChannel: OperationHandler<UpdateChannelInput, UpdateChannelOutput> = async (input, { engine }) => {
  const s3 = input.S3DestinationConfiguration;
  const tables = input.S3TablesDestinationConfiguration;
  const logs = input.LoggingConfiguration?.CloudWatchLogs;
  if (s3 === undefined && tables === undefined && logs === undefined) {
    throw kinesisError('InvalidArgumentException', messages.updateChannelNothingToUpdate());
  }
  if (s3 !== undefined && tables !== undefined) throw kinesisError('InvalidArgumentException', messages.channelDestinationsTogether());
  const id = resolveChannelId(engine, input.ChannelARN);
  const change: EngineUpdateChannelInput = {
    ...(s3 ? { dataFreshness: { destinationType: 'S3', member: 'S3DestinationConfiguration', seconds: s3.DataFreshnessInSeconds } } : {}),
    ...(tables
      ? { dataFreshness: { destinationType: 'S3_TABLES', member: 'S3TablesDestinationConfiguration', seconds: tables.DataFreshnessInSeconds } }
      : {}),
    ...(logs ? { logging: { enabled: logs.Enabled, logGroupName: logs.LogGroupName, logStreamName: logs.LogStreamName } } : {}),
  };
  const channel = await withEngineErrors(engine, () => engine.channels.update(id, change));
  return { ChannelDescription: toChannelDescription(channel) };
};
