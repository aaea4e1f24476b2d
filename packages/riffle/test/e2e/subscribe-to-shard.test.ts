import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  ListStreamConsumersCommand,
  PutRecordCommand,
  RegisterStreamConsumerCommand,
  ResourceInUseException,
  SubscribeToShardCommand,
  type KinesisClient,
  type SubscribeToShardEvent,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, startRiffle, type RiffleProcess } from '@riffle/testkit';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const SHARD = 'shardId-000000000000';
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

/** Reads events until `enough` says so, at most `maxEvents` events; returns them. */
async function collect(
  stream: AsyncIterable<SubscribeToShardEventStream>,
  enough: (events: SubscribeToShardEvent[]) => boolean,
  maxEvents = 50,
): Promise<SubscribeToShardEvent[]> {
  const events: SubscribeToShardEvent[] = [];
  for await (const message of stream) {
    if (message.SubscribeToShardEvent) events.push(message.SubscribeToShardEvent);
    if (enough(events) || events.length >= maxEvents) break;
  }
  return events;
}

const dataOf = (events: SubscribeToShardEvent[]) => events.flatMap((event) => event.Records!.map((record) => decoder.decode(record.Data)));

describe('enhanced fan-out with @aws-sdk/client-kinesis over HTTP/2', () => {
  let riffle: RiffleProcess;
  let client: KinesisClient;
  let consumerArn: string;
  before(async () => {
    riffle = await startRiffle();
    client = kinesisClient(riffle.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: 'fan', ShardCount: 1 }));
    const registered = await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn('fan'), ConsumerName: 'reader' }));
    consumerArn = registered.Consumer!.ConsumerARN!;
  });
  after(async () => {
    client?.destroy();
    await riffle.stop();
  });

  it('registers, describes and lists a consumer', async () => {
    assert.match(consumerArn, /^arn:aws:kinesis:us-east-1:000000000000:stream\/fan\/consumer\/reader:\d+$/);
    const described = await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }));
    assert.equal(described.ConsumerDescription!.ConsumerStatus, 'ACTIVE');
    assert.equal(described.ConsumerDescription!.StreamARN, streamArn('fan'));
    const listed = await client.send(new ListStreamConsumersCommand({ StreamARN: streamArn('fan') }));
    assert.deepEqual(listed.Consumers!.map((consumer) => consumer.ConsumerName), ['reader']);
  });

  it('pushes history from TRIM_HORIZON, then live records, and resumes from ContinuationSequenceNumber', async () => {
    for (const text of ['h1', 'h2']) await client.send(new PutRecordCommand({ StreamName: 'fan', PartitionKey: 'k', Data: encoder.encode(text) }));
    const first = await client.send(
      new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: SHARD, StartingPosition: { Type: 'TRIM_HORIZON' } }),
    );
    const history = await collect(first.EventStream!, (events) => dataOf(events).length >= 2);
    assert.deepEqual(dataOf(history), ['h1', 'h2']);
    const live = collect(first.EventStream!, (events) => dataOf(events).length >= 1);
    await client.send(new PutRecordCommand({ StreamName: 'fan', PartitionKey: 'k', Data: encoder.encode('live') }));
    const liveEvents = await live;
    assert.deepEqual(dataOf(liveEvents), ['live']);
    const continuation = liveEvents.at(-1)!.ContinuationSequenceNumber!;
    assert.equal(liveEvents.at(-1)!.MillisBehindLatest, 0);

    await client.send(new PutRecordCommand({ StreamName: 'fan', PartitionKey: 'k', Data: encoder.encode('after') }));
    // Within 5 s of the last subscription a new one is refused, as on AWS.
    await assert.rejects(
      client.send(new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: SHARD, StartingPosition: { Type: 'LATEST' } })),
      (error: unknown) => error instanceof ResourceInUseException && /Another active subscription exists for this consumer/.test(error.message),
    );
  });

  it('refuses to delete a stream with consumers unless EnforceConsumerDeletion', async () => {
    await assert.rejects(client.send(new DeleteStreamCommand({ StreamName: 'fan' })), ResourceInUseException);
    await client.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumerArn }));
    assert.deepEqual((await client.send(new ListStreamConsumersCommand({ StreamARN: streamArn('fan') }))).Consumers, []);
  });
});
