import type { Engine } from '@riffle/engine';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';

/** arn:<partition>:kinesis:<region>:<account>:stream/<name> (the model's StreamARN pattern). */
const streamArnPattern = /^arn:(aws[a-z-]*):kinesis:([^:]*):(\d{12}):stream\/([^/\s]+)$/;

export interface StreamArnParts {
  partition: string;
  region: string;
  account: string;
  name: string;
}

export function parseStreamArn(arn: string): StreamArnParts | undefined {
  const match = streamArnPattern.exec(arn);
  if (!match) return undefined;
  return { partition: match[1]!, region: match[2]!, account: match[3]!, name: match[4]! };
}

/**
 * Streams are addressed by StreamName, StreamARN, or both ("you must use either the StreamARN or the StreamName
 * parameter, or both", the model's documentation). An ARN of another account or region names a stream this
 * server does not have.
 */
export function resolveStreamName(engine: Engine, input: { StreamName?: string; StreamARN?: string }): string {
  const { StreamName: name, StreamARN: arn } = input;
  if (arn === undefined) {
    if (name === undefined) throw kinesisError('InvalidArgumentException', messages.streamNameOrArnRequired());
    return name;
  }
  const parts = parseStreamArn(arn);
  if (parts === undefined) throw kinesisError('ResourceNotFoundException', messages.arnNotFound(arn));
  if (name !== undefined && name !== parts.name) {
    throw kinesisError('InvalidArgumentException', messages.streamNameArnMismatch(name, arn));
  }
  if (parts.account !== engine.config.accountId || parts.region !== engine.config.region) {
    throw kinesisError('ResourceNotFoundException', messages.streamNotFound(parts.name, parts.account));
  }
  return parts.name;
}
