import type { OperationHandler } from '../operation-handler.js';
import type { DeleteChannelInput } from '../generated/kinesis/types.js';
import { resolveChannelId } from '../channels/resolve-channel.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';

/** Stops delivery; objects already delivered stay (DeleteChannel documentation). */
export const deleteChannel: OperationHandler<DeleteChannelInput> = async (input, { engine }) => {
  const id = resolveChannelId(engine, input.ChannelARN);
  await withEngineErrors(engine, () => engine.channels.delete(id));
  return undefined;
};
