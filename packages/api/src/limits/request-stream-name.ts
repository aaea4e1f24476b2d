import { decodePageToken } from '../streams/page-token.js';
import { parseStreamArn } from '../streams/resolve-stream.js';

/** arn:<partition>:kinesis:<region>:<account>:stream/<name>/consumer/<consumer>:<timestamp> */
const consumerArnPattern = /^arn:aws[a-z-]*:kinesis:[^:]*:\d{12}:stream\/([^/\s]+)\/consumer\//;

/**
 * The stream a validated request is about, if it names one: StreamName, a stream or consumer ARN (StreamARN,
 * ConsumerARN, ResourceARN), or ListShards' NextToken. Only for rate limits and their messages; the handler still
 * resolves and checks the stream itself.
 */
export function requestStreamName(input: unknown, now: number): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const fields = input as Record<string, unknown>;
  if (typeof fields.StreamName === 'string') return fields.StreamName;
  for (const key of ['StreamARN', 'ConsumerARN', 'ResourceARN']) {
    const arn = fields[key];
    if (typeof arn !== 'string') continue;
    const name = parseStreamArn(arn)?.name ?? consumerArnPattern.exec(arn)?.[1];
    if (name !== undefined) return name;
  }
  if (typeof fields.NextToken === 'string') {
    try {
      const stream = decodePageToken<{ stream?: unknown }>(fields.NextToken, now).stream;
      return typeof stream === 'string' ? stream : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
