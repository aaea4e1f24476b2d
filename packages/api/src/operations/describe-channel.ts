import type { OperationHandler } from '../operation-handler.js';
import type { DescribeChannelInput, DescribeChannelOutput } from '../generated/kinesis/types.js';
import { toChannelDescription } from '../channels/channel-shapes.js';
import { resolveChannelId } from '../channels/resolve-channel.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';

export const describeChannel: OperationHandler<DescribeChannelInput, DescribeChannelOutput> = async (input, { engine }) => {
  const id = resolveChannelId(engine, input.ChannelARN);
  const channel = await withEngineErrors(engine, () => engine.channels.describe(id));
  return { ChannelDescription: toChannelDescription(channel) };
};
