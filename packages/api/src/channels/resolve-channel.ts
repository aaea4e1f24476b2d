import type { Engine } from '@riffle/engine';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';

/** arn:<partition>:kinesis:<region>:<account>:channel/<ChannelId> (the model's ChannelARN pattern; API reference examples). */
const channelArnPattern = /^arn:aws[a-z-]*:kinesis:([^:]*):(\d{12}):channel\/(\S+)$/;

/** The ChannelId a ChannelARN names on this server; an ARN of another account or Region names none. */
export function resolveChannelId(engine: Engine, arn: string): string {
  const match = channelArnPattern.exec(arn);
  if (!match) throw kinesisError('ResourceNotFoundException', messages.arnNotFound(arn));
  const [, region, account, id] = match as unknown as [string, string, string, string];
  if (account !== engine.config.accountId || region !== engine.config.region) {
    throw kinesisError('ResourceNotFoundException', messages.channelNotFound(id, account));
  }
  return id;
}
