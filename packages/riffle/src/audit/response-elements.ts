/**
 * CloudTrail's `responseElements`: null for most Kinesis calls (AWS's examples show null for CreateStream,
 * DescribeStream, ListStreams, ...), a few identifiers where they say what the call made: the sequence number and
 * shard of a PutRecord, the consumer of RegisterStreamConsumer, the channel of CreateChannel (AWS's CloudTrail
 * example for CreateChannel shows its channelARN). Never record data, never a shard iterator (a bearer token).
 */
export function responseElementsOf(operation: string, output: unknown): Record<string, unknown> | null {
  if (!isMap(output)) return null;
  switch (operation) {
    case 'PutRecord':
      return pick(output, ['ShardId', 'SequenceNumber', 'EncryptionType']);
    case 'RegisterStreamConsumer':
      return isMap(output.Consumer) ? wrap('consumer', pick(output.Consumer, ['ConsumerName', 'ConsumerARN', 'ConsumerStatus'])) : null;
    case 'CreateChannel':
      return isMap(output.ChannelDescription) ? pick(output.ChannelDescription, ['ChannelARN']) : null;
    default:
      return null;
  }
}

function pick(source: Record<string, unknown>, names: readonly string[]): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = source[name];
    if (typeof value === 'string') out[name.charAt(0).toLowerCase() + name.slice(1)] = value;
  }
  return Object.keys(out).length === 0 ? null : out;
}

function wrap(name: string, value: Record<string, unknown> | null): Record<string, unknown> | null {
  return value === null ? null : { [name]: value };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
