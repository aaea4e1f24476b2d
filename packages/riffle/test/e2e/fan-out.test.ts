import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  SplitShardCommand,
  SubscribeToShardCommand,
  type ChildShard,
  type StartingPosition,
  type SubscribeToShardEvent,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { decodeEventStreamMessage } from '@riffle/wire';
import { kinesisClient, rawSubscribeToShard, startRiffle, testCredentials, type RawSubscription, type RiffleProcess } from '@riffle/testkit';

// Enhanced fan-out end to end, beyond subscribe-to-shard.test.ts (SDK over h2c): the raw wire over HTTP/1.1,
// TLS, two consumers, resuming from ContinuationSequenceNumber, and resharding. One server (--tls also serves
// plain HTTP on the same port); each test has its own stream, so no test waits out another's 5-s window.

const ACCOUNT = '000000000000';
const SHARD0 = 'shardId-000000000000';
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`;
const decoder = new TextDecoder();
/** Bounds: events read from one subscription, frames read from one raw response. */
const MAX_EVENTS = 200;
const MAX_FRAMES = 200;

interface Written {
  data: string;
  sequenceNumber: string;
  shardId: string;
}

interface Frame {
  headers: Record<string, string>;
  payload: any;
}

function decodeFrame(bytes: Buffer): Frame {
  const decoded = decodeEventStreamMessage(bytes);
  assert.ok(decoded, 'a whole message');
  assert.equal(decoded.byteLength, bytes.length);
  const headers = Object.fromEntries(Object.entries(decoded.headers).map(([name, header]) => [name, String(header.value)]));
  return { headers, payload: JSON.parse(decoded.payload.toString('utf8')) };
}

/** Reads SDK events until `enough` (or the stream ends, or MAX_EVENTS); `ended` says whether the server ended it. */
async function collect(
  stream: AsyncIterable<SubscribeToShardEventStream>,
  enough: (events: SubscribeToShardEvent[]) => boolean,
): Promise<{ events: SubscribeToShardEvent[]; ended: boolean }> {
  const events: SubscribeToShardEvent[] = [];
  for await (const message of stream) {
    if (message.SubscribeToShardEvent) events.push(message.SubscribeToShardEvent);
    if (enough(events) || events.length >= MAX_EVENTS) return { events, ended: false };
  }
  return { events, ended: true };
}

const recordsOf = (events: SubscribeToShardEvent[]) =>
  events.flatMap((event) => (event.Records ?? []).map((record) => ({ data: decoder.decode(record.Data), sequenceNumber: record.SequenceNumber! })));

async function putAll(client: KinesisClient, stream: string, texts: string[], key = (i: number) => `k${i % 7}`): Promise<Written[]> {
  const written: Written[] = [];
  for (let from = 0; from < texts.length; from += 500) {
    const batch = texts.slice(from, from + 500);
    const result = await client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: batch.map((text, i) => ({ PartitionKey: key(from + i), Data: Buffer.from(text) })),
      }),
    );
    assert.equal(result.FailedRecordCount ?? 0, 0);
    result.Records!.forEach((entry, i) => written.push({ data: batch[i]!, sequenceNumber: entry.SequenceNumber!, shardId: entry.ShardId! }));
  }
  return written;
}

async function createStreamWithConsumers(client: KinesisClient, stream: string, consumers: string[], shards = 1): Promise<string[]> {
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));
  const arns: string[] = [];
  for (const name of consumers) {
    const registered = await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(stream), ConsumerName: name }));
    assert.equal(registered.Consumer!.ConsumerStatus, 'ACTIVE', 'ACTIVE at once with --create-stream-ms 0');
    arns.push(registered.Consumer!.ConsumerARN!);
  }
  return arns;
}

/** A subscription through the SDK, with a way to hang it up once the test has read what it wants. */
async function subscribe(client: KinesisClient, consumerArn: string, shardId: string, position: StartingPosition) {
  const controller = new AbortController();
  const output = await client.send(new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: position }), {
    abortSignal: controller.signal,
  });
  return { events: output.EventStream!, close: () => controller.abort() };
}

describe('enhanced fan-out end to end', { timeout: 120_000 }, () => {
  let riffle: RiffleProcess;
  let client: KinesisClient;
  let ca: Buffer;
  let httpsEndpoint: string;
  const open: RawSubscription[] = [];

  before(async () => {
    riffle = await startRiffle({ args: ['--tls'] });
    client = kinesisClient(riffle.endpoint);
    ca = await readFile(join(riffle.dataDir, 'tls', 'cert.pem'));
    httpsEndpoint = `https://127.0.0.1:${riffle.port}`;
  });
  after(async () => {
    for (const subscription of open) subscription.destroy();
    client?.destroy();
    await riffle?.stop();
  });

  it('speaks the event-stream framing over raw HTTP/1.1: initial-response, then SubscribeToShardEvent frames with the records', async () => {
    const [consumerArn] = await createStreamWithConsumers(client, 'raw-h1', ['raw']);
    const history = await putAll(client, 'raw-h1', ['one', 'two', 'three']);
    const binary = Buffer.from([0, 1, 2, 0xfe, 0xff]);

    const subscription = await rawSubscribeToShard(riffle.endpoint, {
      ConsumerARN: consumerArn,
      ShardId: SHARD0,
      StartingPosition: { Type: 'TRIM_HORIZON' },
    });
    open.push(subscription);
    assert.equal(subscription.status, 200);
    assert.equal(subscription.headers['content-type'], 'application/vnd.amazon.eventstream');
    assert.equal(subscription.headers['transfer-encoding'], 'chunked');
    assert.equal(subscription.headers['content-length'], undefined);
    assert.ok(subscription.headers['x-amzn-requestid'], 'a request id');

    const frames = subscription.messages();
    const first = decodeFrame((await frames.next()).value!);
    assert.deepEqual(first, {
      headers: { ':message-type': 'event', ':event-type': 'initial-response', ':content-type': 'application/json' },
      payload: {},
    });

    const events: any[] = [];
    let liveSequenceNumber: string | undefined;
    for (let i = 0; i < MAX_FRAMES; i++) {
      const next = await frames.next();
      assert.ok(!next.done, 'the stream goes on');
      const frame = decodeFrame(next.value);
      assert.deepEqual(frame.headers, { ':message-type': 'event', ':event-type': 'SubscribeToShardEvent', ':content-type': 'application/json' });
      events.push(frame.payload);
      const count = events.flatMap((event) => event.Records).length;
      // Once the history is in, a live record: pushed on the open response.
      if (count === 3 && liveSequenceNumber === undefined) {
        liveSequenceNumber = (await client.send(new PutRecordCommand({ StreamName: 'raw-h1', PartitionKey: 'bin', Data: binary }))).SequenceNumber;
      }
      if (count >= 4) break;
    }
    const records = events.flatMap((event) => event.Records);
    assert.deepEqual(
      records.map((record) => [record.Data, record.PartitionKey, record.SequenceNumber]),
      [
        ...history.map((written, i) => [Buffer.from(written.data).toString('base64'), `k${i}`, written.sequenceNumber]),
        [binary.toString('base64'), 'bin', liveSequenceNumber],
      ],
    );
    for (const record of records) {
      assert.equal(typeof record.ApproximateArrivalTimestamp, 'number', 'epoch seconds, a JSON number');
      assert.ok(record.ApproximateArrivalTimestamp > 1e9 && record.ApproximateArrivalTimestamp < 1e11, 'seconds, not milliseconds');
    }
    for (const event of events) {
      assert.equal(typeof event.ContinuationSequenceNumber, 'string', 'every event carries its continuation');
      assert.equal(typeof event.MillisBehindLatest, 'number');
      assert.equal('ChildShards' in event, false, 'no ChildShards on an open shard');
      if (event.Records.length > 0) assert.equal(event.ContinuationSequenceNumber, event.Records.at(-1).SequenceNumber);
    }
    assert.equal(events.at(-1).MillisBehindLatest, 0, 'caught up');
    subscription.destroy();
  });

  it('serves SubscribeToShard over TLS: the SDK by ALPN h2, and raw HTTP/1.1', async () => {
    const tlsClient = new KinesisClient({
      endpoint: httpsEndpoint,
      region: 'us-east-1',
      credentials: testCredentials,
      maxAttempts: 1,
      requestHandler: { nodeHttp2ConnectOptions: { ca } },
    });
    try {
      await tlsClient.send(new CreateStreamCommand({ StreamName: 'over-tls', ShardCount: 1 }));
      const sdkConsumer = (await tlsClient.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn('over-tls'), ConsumerName: 'sdk' })))
        .Consumer!.ConsumerARN!;
      const rawConsumer = (await tlsClient.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn('over-tls'), ConsumerName: 'raw' })))
        .Consumer!.ConsumerARN!;
      const history = await putAll(tlsClient, 'over-tls', ['t1', 't2']);

      const sdk = await subscribe(tlsClient, sdkConsumer, SHARD0, { Type: 'TRIM_HORIZON' });
      try {
        const got = await collect(sdk.events, (events) => recordsOf(events).length >= 2);
        assert.deepEqual(recordsOf(got.events), history.map(({ data, sequenceNumber }) => ({ data, sequenceNumber })));
        const live = collect(sdk.events, (events) => recordsOf(events).length >= 1);
        const put = await tlsClient.send(new PutRecordCommand({ StreamName: 'over-tls', PartitionKey: 'k', Data: Buffer.from('t3') }));
        assert.deepEqual(recordsOf((await live).events), [{ data: 't3', sequenceNumber: put.SequenceNumber }]);
      } finally {
        sdk.close();
      }

      const raw = await rawSubscribeToShard(
        httpsEndpoint,
        { ConsumerARN: rawConsumer, ShardId: SHARD0, StartingPosition: { Type: 'TRIM_HORIZON' } },
        { ca },
      );
      open.push(raw);
      assert.equal(raw.status, 200);
      assert.equal(raw.headers['content-type'], 'application/vnd.amazon.eventstream');
      const frames = raw.messages();
      assert.equal(decodeFrame((await frames.next()).value!).headers[':event-type'], 'initial-response');
      const data: string[] = [];
      for (let i = 0; i < MAX_FRAMES && data.length < 3; i++) {
        const next = await frames.next();
        assert.ok(!next.done);
        for (const record of decodeFrame(next.value).payload.Records) data.push(Buffer.from(record.Data, 'base64').toString());
      }
      assert.deepEqual(data, ['t1', 't2', 't3']);
      raw.destroy();
    } finally {
      tlsClient.destroy();
    }
  });

  it('gives two consumers of one shard every record each, in order', async () => {
    const arns = await createStreamWithConsumers(client, 'pair', ['left', 'right']);
    // A client each, as two applications would have.
    const clients = arns.map(() => kinesisClient(riffle.endpoint));
    const subscriptions = await Promise.all(arns.map((arn, i) => subscribe(clients[i]!, arn, SHARD0, { Type: 'TRIM_HORIZON' })));
    try {
      // The first (empty) event of each: both are listening before anything is written.
      for (const subscription of subscriptions) await collect(subscription.events, (events) => events.length >= 1);
      const reading = subscriptions.map((subscription) => collect(subscription.events, (events) => recordsOf(events).length >= 200));
      const texts = Array.from({ length: 200 }, (_, i) => `pair-${i}`);
      const written: Written[] = [];
      for (let from = 0; from < texts.length; from += 20) written.push(...(await putAll(client, 'pair', texts.slice(from, from + 20))));
      const [left, right] = await Promise.all(reading);
      const expected = written.map(({ data, sequenceNumber }) => ({ data, sequenceNumber }));
      assert.deepEqual(recordsOf(left!.events), expected, 'left has every record, once, in order');
      assert.deepEqual(recordsOf(right!.events), expected, 'right has every record, once, in order');
    } finally {
      for (const subscription of subscriptions) subscription.close();
      for (const each of clients) each.destroy();
    }
  });

  it('resumes from ContinuationSequenceNumber with AFTER_SEQUENCE_NUMBER, losing and repeating nothing', async () => {
    // The same consumer could not subscribe again for 5 s; sequence numbers are the shard's, so another consumer
    // resuming from the first one's checkpoint reads exactly what the first would have.
    const [first, second, third] = await createStreamWithConsumers(client, 'resume', ['first', 'second', 'third']);
    const texts = Array.from({ length: 90 }, (_, i) => `r-${i}`);
    const written: Written[] = [];

    const subscription = await subscribe(client, first!, SHARD0, { Type: 'TRIM_HORIZON' });
    const opening = await collect(subscription.events, (events) => events.length >= 1);
    const emptyCheckpoint = opening.events[0]!.ContinuationSequenceNumber!;
    assert.deepEqual(opening.events[0]!.Records, [], 'an empty shard: an event with no records, and a continuation');
    assert.equal(typeof emptyCheckpoint, 'string');

    const received: { data: string; sequenceNumber: string }[] = [];
    let checkpoint: string | undefined;
    for (let batch = 0; batch < 3; batch++) {
      written.push(...(await putAll(client, 'resume', texts.slice(batch * 10, batch * 10 + 10))));
      const got = await collect(subscription.events, (events) => received.length + recordsOf(events).length >= (batch + 1) * 10);
      received.push(...recordsOf(got.events));
      checkpoint = got.events.at(-1)!.ContinuationSequenceNumber!;
    }
    subscription.close();
    assert.equal(received.length, 30);
    assert.equal(checkpoint, written[29]!.sequenceNumber, 'the checkpoint is the last record delivered');

    // Written while nobody is subscribed.
    written.push(...(await putAll(client, 'resume', texts.slice(30))));

    const resumed = await subscribe(client, second!, SHARD0, { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: checkpoint });
    try {
      const got = await collect(resumed.events, (events) => received.length + recordsOf(events).length >= 90);
      const all = [...received, ...recordsOf(got.events)];
      assert.deepEqual(all, written.map(({ data, sequenceNumber }) => ({ data, sequenceNumber })), 'exactly once, in order');
    } finally {
      resumed.close();
    }

    // The continuation of the empty first event resumes before the first record.
    const fromStart = await subscribe(client, third!, SHARD0, { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: emptyCheckpoint });
    try {
      const got = await collect(fromStart.events, (events) => recordsOf(events).length >= 90);
      assert.deepEqual(recordsOf(got.events), written.map(({ data, sequenceNumber }) => ({ data, sequenceNumber })));
    } finally {
      fromStart.close();
    }
  });

  it('starts at AT_SEQUENCE_NUMBER, AT_TIMESTAMP and LATEST (TRIM_HORIZON and AFTER_SEQUENCE_NUMBER: the tests above)', async () => {
    const [trim, atSequence, atTime, latest] = await createStreamWithConsumers(client, 'positions', ['trim', 'at-sequence', 'at-time', 'latest']);
    const early = await putAll(client, 'positions', ['e0', 'e1', 'e2']);
    // Arrival times have millisecond precision: a few ms apart, the later batch starts at a later millisecond.
    const boundary = Date.now();
    for (let i = 0; i < 100 && Date.now() <= boundary + 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const late = await putAll(client, 'positions', ['l0', 'l1']);
    const all = [...early, ...late].map(({ data, sequenceNumber }) => ({ data, sequenceNumber }));
    const fromStart = await subscribe(client, trim!, SHARD0, { Type: 'TRIM_HORIZON' });
    const arrivals = (await collect(fromStart.events, (events) => recordsOf(events).length >= 5)).events.flatMap((event) => event.Records ?? []);
    fromStart.close();
    assert.ok(arrivals[3]!.ApproximateArrivalTimestamp!.getTime() > arrivals[2]!.ApproximateArrivalTimestamp!.getTime());

    const cases: Array<{ arn: string; position: StartingPosition; expected: typeof all }> = [
      { arn: atSequence!, position: { Type: 'AT_SEQUENCE_NUMBER', SequenceNumber: early[1]!.sequenceNumber }, expected: all.slice(1) },
      { arn: atTime!, position: { Type: 'AT_TIMESTAMP', Timestamp: arrivals[3]!.ApproximateArrivalTimestamp }, expected: all.slice(3) },
    ];
    for (const { arn, position, expected } of cases) {
      const subscription = await subscribe(client, arn, SHARD0, position);
      try {
        const got = await collect(subscription.events, (events) => recordsOf(events).length >= expected.length);
        assert.deepEqual(recordsOf(got.events), expected, position.Type);
      } finally {
        subscription.close();
      }
    }
    // LATEST: only what is written after the call.
    const fromLatest = await subscribe(client, latest!, SHARD0, { Type: 'LATEST' });
    try {
      const opening = await collect(fromLatest.events, (events) => events.length >= 1);
      assert.deepEqual(recordsOf(opening.events), []);
      const live = collect(fromLatest.events, (events) => recordsOf(events).length >= 1);
      const [put] = await putAll(client, 'positions', ['new']);
      assert.deepEqual(recordsOf((await live).events), [{ data: 'new', sequenceNumber: put!.sequenceNumber }]);
    } finally {
      fromLatest.close();
    }
  });

  describe('resharding', () => {
    let consumerArn: string;
    let late: string;
    let parentRecords: Written[];
    let lastParentEvent: SubscribeToShardEvent;
    let afterSplit: Written[];

    const expectedChildren = (): ChildShard[] => [
      { ShardId: 'shardId-000000000001', ParentShards: [SHARD0], HashKeyRange: { StartingHashKey: '0', EndingHashKey: String(2n ** 127n - 1n) } },
      {
        ShardId: 'shardId-000000000002',
        ParentShards: [SHARD0],
        HashKeyRange: { StartingHashKey: String(2n ** 127n), EndingHashKey: String(2n ** 128n - 1n) },
      },
    ];

    it('hands over to the child shards: the parent subscription delivers its records, then ChildShards, and ends', async () => {
      [consumerArn, late] = (await createStreamWithConsumers(client, 'split', ['reader', 'late'])) as [string, string];
      parentRecords = await putAll(client, 'split', ['p0', 'p1', 'p2', 'p3', 'p4']);
      const subscription = await subscribe(client, consumerArn, SHARD0, { Type: 'TRIM_HORIZON' });
      try {
        const history = await collect(subscription.events, (events) => recordsOf(events).length >= 5);
        const live = [...parentRecords];
        live.push(...(await putAll(client, 'split', ['p5'])));
        await client.send(new SplitShardCommand({ StreamName: 'split', ShardToSplit: SHARD0, NewStartingHashKey: String(2n ** 127n) }));
        const rest = await collect(subscription.events, () => false);
        assert.equal(rest.ended, true, 'the subscription ends after the ChildShards event');
        const events = [...history.events, ...rest.events];
        assert.deepEqual(recordsOf(events), live.map(({ data, sequenceNumber }) => ({ data, sequenceNumber })));
        lastParentEvent = events.at(-1)!;
        assert.deepEqual(lastParentEvent.ChildShards, expectedChildren());
        assert.ok(events.slice(0, -1).every((event) => event.ChildShards === undefined), 'ChildShards only in the last event');
        parentRecords = live;
      } finally {
        subscription.close();
      }

      afterSplit = await putAll(
        client,
        'split',
        Array.from({ length: 40 }, (_, i) => `c-${i}`),
        (i) => `child-key-${i}`,
      );
      const shardsWritten = new Set(afterSplit.map((written) => written.shardId));
      assert.deepEqual([...shardsWritten].sort(), ['shardId-000000000001', 'shardId-000000000002'], 'both children take writes');
      for (const child of ['shardId-000000000001', 'shardId-000000000002']) {
        const expected = afterSplit.filter((written) => written.shardId === child).map(({ data, sequenceNumber }) => ({ data, sequenceNumber }));
        const childSubscription = await subscribe(client, consumerArn, child, { Type: 'TRIM_HORIZON' });
        try {
          const got = await collect(childSubscription.events, (events) => recordsOf(events).length >= expected.length);
          assert.deepEqual(recordsOf(got.events), expected, `${child}: the records written after the split, and only those`);
        } finally {
          childSubscription.close();
        }
      }
    });

    it('ends the last event of a closed shard with no ContinuationSequenceNumber (KCL, Flink and Beam take null as SHARD_END)', () => {
      // awslabs/amazon-kinesis-client PR #1744: "If the FanoutRecordsPublisher reaches the last SubscribeToShardEvent,
      // the continuationSequenceNumber returned by the service is null"; FanOutRecordsPublisher sets
      // isAtShardEnd(continuationSequenceNumber() == null).
      assert.ok(lastParentEvent, 'the handover test ran');
      assert.equal(lastParentEvent.ContinuationSequenceNumber, undefined);
    });

    it('answers a subscription to a closed shard from TRIM_HORIZON, and from after its last record, with its records and then ChildShards', async () => {
      assert.ok(parentRecords, 'the handover test ran');
      const fromStart = await subscribe(client, late, SHARD0, { Type: 'TRIM_HORIZON' });
      try {
        const got = await collect(fromStart.events, () => false);
        assert.equal(got.ended, true);
        assert.deepEqual(recordsOf(got.events), parentRecords.map(({ data, sequenceNumber }) => ({ data, sequenceNumber })));
        assert.deepEqual(got.events.at(-1)!.ChildShards, expectedChildren());
      } finally {
        fromStart.close();
      }
      // From just after the last record: nothing more to read, only the handover.
      const atEndArn = (await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn('split'), ConsumerName: 'at-end' })))
        .Consumer!.ConsumerARN!;
      const atEnd = await subscribe(client, atEndArn, SHARD0, {
        Type: 'AFTER_SEQUENCE_NUMBER',
        SequenceNumber: parentRecords.at(-1)!.sequenceNumber,
      });
      try {
        const got = await collect(atEnd.events, () => false);
        assert.equal(got.ended, true);
        assert.deepEqual(recordsOf(got.events), []);
        assert.deepEqual(got.events.at(-1)!.ChildShards, expectedChildren());
      } finally {
        atEnd.close();
      }
    });
  });
});
