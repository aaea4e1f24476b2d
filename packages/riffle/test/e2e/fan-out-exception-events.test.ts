import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DeregisterStreamConsumerCommand,
  PutRecordCommand,
  RegisterStreamConsumerCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  SubscribeToShardCommand,
  type KinesisClient,
  type SubscribeToShardEvent,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { decodeEventStreamMessage } from '@riffle/wire';
import { kinesisClient, rawSubscribeToShard, startRiffle, type RawSubscription, type RiffleProcess } from '@riffle/testkit';

// Errors after the 200 travel as exception events (reference §1.7): a subscription taken over by a newer one of
// the same consumer and shard (allowed 5 s after the older one started), a consumer deregistered and a stream
// deleted under an open subscription. Every subscription starts in `before`, so that the one wait of just over
// 5 s that a takeover needs is shared by every case.

const ACCOUNT = '000000000000';
const SHARD = 'shardId-000000000000';
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`;
/** Bound on events read from one subscription (an idle one gets one every 5 s). */
const MAX_EVENTS = 50;

interface Outcome {
  events: SubscribeToShardEvent[];
  /** What the iterable threw; undefined when it ended normally. */
  error?: unknown;
}

/** Reads the SDK stream to its end or its exception, up to MAX_EVENTS. */
async function outcomeOf(stream: AsyncIterable<SubscribeToShardEventStream>): Promise<Outcome> {
  const events: SubscribeToShardEvent[] = [];
  try {
    for await (const message of stream) {
      if (message.SubscribeToShardEvent) events.push(message.SubscribeToShardEvent);
      if (events.length >= MAX_EVENTS) break;
    }
    return { events };
  } catch (error) {
    return { events, error };
  }
}

interface Frame {
  headers: Record<string, string>;
  payload: any;
}

/** Every frame of a raw response, to its end (bounded). */
async function framesOf(subscription: RawSubscription): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const bytes of subscription.messages()) {
    const decoded = decodeEventStreamMessage(bytes)!;
    const headers = Object.fromEntries(Object.entries(decoded.headers).map(([name, header]) => [name, String(header.value)]));
    frames.push({ headers, payload: JSON.parse(decoded.payload.toString('utf8')) });
    if (frames.length >= MAX_EVENTS) break;
  }
  return frames;
}

async function firstEvent(stream: AsyncIterable<SubscribeToShardEventStream>): Promise<void> {
  for await (const message of stream) if (message.SubscribeToShardEvent) return;
}

describe('exception events inside SubscribeToShard', { timeout: 60_000 }, () => {
  let riffle: RiffleProcess;
  let client: KinesisClient;
  const arns: Record<string, string> = {};
  const open: RawSubscription[] = [];
  const controllers: AbortController[] = [];
  let startedAt: number;
  let takenSdk: Promise<Outcome>;
  let takenRaw: Promise<Frame[]>;
  let deregistered: Promise<Outcome>;
  let deleted: Promise<Frame[]>;

  const sdkSubscribe = async (consumer: string) => {
    const controller = new AbortController();
    controllers.push(controller);
    const output = await client.send(
      new SubscribeToShardCommand({ ConsumerARN: arns[consumer], ShardId: SHARD, StartingPosition: { Type: 'LATEST' } }),
      { abortSignal: controller.signal },
    );
    return output.EventStream!;
  };
  const rawSubscribe = async (consumer: string) => {
    const subscription = await rawSubscribeToShard(riffle.endpoint, {
      ConsumerARN: arns[consumer],
      ShardId: SHARD,
      StartingPosition: { Type: 'LATEST' },
    });
    open.push(subscription);
    assert.equal(subscription.status, 200);
    return subscription;
  };

  before(async () => {
    riffle = await startRiffle();
    client = kinesisClient(riffle.endpoint);
    for (const [stream, consumers] of [
      ['takeover', ['sdk', 'raw']],
      ['leaving', ['reader']],
      ['doomed', ['reader']],
    ] as const) {
      await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
      for (const name of consumers) {
        arns[`${stream}/${name}`] = (
          await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(stream), ConsumerName: name }))
        ).Consumer!.ConsumerARN!;
      }
    }
    startedAt = Date.now();
    const sdk = await sdkSubscribe('takeover/sdk');
    await firstEvent(sdk);
    takenSdk = outcomeOf(sdk);
    takenRaw = framesOf(await rawSubscribe('takeover/raw'));

    const leaving = await sdkSubscribe('leaving/reader');
    await firstEvent(leaving);
    deregistered = outcomeOf(leaving);
    await client.send(new DeregisterStreamConsumerCommand({ ConsumerARN: arns['leaving/reader'] }));

    deleted = framesOf(await rawSubscribe('doomed/reader'));
    await client.send(new DeleteStreamCommand({ StreamName: 'doomed', EnforceConsumerDeletion: true }));
  });
  after(async () => {
    for (const controller of controllers) controller.abort();
    for (const subscription of open) subscription.destroy();
    client?.destroy();
    await riffle?.stop();
  });

  it('takes over after 5 s: the old SDK stream throws ResourceInUseException, the new one is served', async () => {
    // The one wait: the 5-s window counts from the older subscription's successful call.
    const remaining = startedAt + 5_200 - Date.now();
    if (remaining > 0) await sleep(remaining);
    const newer = await sdkSubscribe('takeover/sdk');
    await firstEvent(newer);
    const old = await takenSdk;
    assert.ok(old.error instanceof ResourceInUseException, `ResourceInUseException, got ${String(old.error)}`);
    assert.equal(old.error.message, `Another active subscription exists for this consumer: ${ACCOUNT}:takeover:${SHARD}:sdk`);

    const put = await client.send(new PutRecordCommand({ StreamName: 'takeover', PartitionKey: 'k', Data: Buffer.from('after-takeover') }));
    for await (const message of newer) {
      const records = message.SubscribeToShardEvent?.Records ?? [];
      if (records.length === 0) continue;
      assert.deepEqual(
        records.map((record) => [record.SequenceNumber, Buffer.from(record.Data!).toString()]),
        [[put.SequenceNumber, 'after-takeover']],
      );
      break;
    }
    assert.equal(old.events.some((event) => (event.Records ?? []).length > 0), false, 'the old stream never saw the new record');
  });

  it('ends a replaced raw HTTP/1.1 stream with an exception message: ResourceInUseException and its {"message"} payload', async () => {
    const remaining = startedAt + 5_200 - Date.now();
    if (remaining > 0) await sleep(remaining);
    const newer = await rawSubscribe('takeover/raw');
    const frames = await takenRaw;
    assert.deepEqual(frames[0], {
      headers: { ':message-type': 'event', ':event-type': 'initial-response', ':content-type': 'application/json' },
      payload: {},
    });
    assert.ok(frames.slice(1, -1).every((frame) => frame.headers[':event-type'] === 'SubscribeToShardEvent'));
    assert.deepEqual(frames.at(-1), {
      headers: { ':message-type': 'exception', ':exception-type': 'ResourceInUseException', ':content-type': 'application/json' },
      payload: { message: `Another active subscription exists for this consumer: ${ACCOUNT}:takeover:${SHARD}:raw` },
    });
    newer.destroy();
  });

  it('ends the stream of a deregistered consumer with ResourceNotFoundException', async () => {
    const outcome = await deregistered;
    assert.ok(outcome.error instanceof ResourceNotFoundException, `ResourceNotFoundException, got ${String(outcome.error)}`);
    assert.equal(outcome.error.message, `Consumer reader under stream leaving and account ${ACCOUNT} not found.`);
  });

  it('ends the stream of a deleted stream with a ResourceNotFoundException exception message', async () => {
    const frames = await deleted;
    assert.deepEqual(frames.at(-1), {
      headers: { ':message-type': 'exception', ':exception-type': 'ResourceNotFoundException', ':content-type': 'application/json' },
      payload: { message: `Shard ${SHARD} in stream doomed under account ${ACCOUNT} does not exist` },
    });
  });
});
