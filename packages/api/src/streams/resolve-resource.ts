import type { Engine } from '@riffle/engine';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';
import { resolveStreamName } from './resolve-stream.js';

/**
 * TagResource, UntagResource and ListTagsForResource take a stream or consumer ARN. Consumers arrive with
 * enhanced fan-out; until then a consumer ARN names nothing this server has.
 */
export function resolveTaggableStream(engine: Engine, resourceArn: string): string {
  if (/:stream\/[^/]+\/consumer\//.test(resourceArn)) {
    throw kinesisError('ResourceNotFoundException', messages.arnNotFound(resourceArn));
  }
  return resolveStreamName(engine, { StreamARN: resourceArn });
}

/**
 * Put/Get/DeleteResourcePolicy take a stream or consumer ARN. Consumers arrive with enhanced fan-out; until
 * then a consumer ARN names nothing this server has.
 */
export function resolvePolicyStream(engine: Engine, resourceArn: string): string {
  return resolveTaggableStream(engine, resourceArn);
}
