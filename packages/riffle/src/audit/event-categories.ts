/**
 * CloudTrail's data events for Kinesis Data Streams (resource type AWS::Kinesis::Stream and
 * AWS::Kinesis::StreamConsumer): logged only when a trail selects data events; every other call is a management
 * event, logged always.
 */
const DATA_EVENTS: ReadonlySet<string> = new Set(['PutRecord', 'PutRecords', 'GetRecords', 'GetShardIterator', 'SubscribeToShard']);

export function isDataEvent(operation: string): boolean {
  return DATA_EVENTS.has(operation);
}

/** CloudTrail's `readOnly`: calls that change nothing. */
export function isReadOnly(operation: string): boolean {
  return /^(Describe|List|Get)/.test(operation) || operation === 'SubscribeToShard';
}
