import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
  type KinesisClient,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { decodeEventStreamMessage } from '@riffle/wire';
import { kinesisClient, rawSubscribeToShard, startRiffle, type RawSubscription, type RiffleProcess } from '@riffle/testkit';

// A subscriber that stops reading after the headers must cost the server nothing: the server reads the shard
// only as fast as the subscriber takes events, so it buffers at most about one event per subscriber, and
// writers, pollers and other subscribers go on as before. A subscriber that vanishes is cleaned up.

const SHARD = 'shardId-000000000000';
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
/**
 * 40 MiB in 64 PutRecords of 16 records of 40 KiB. Enough that a server buffering the events of its four stalled
 * subscribers (4 x ~53 MB of base64 frames) would break both bounds below, and a few seconds of work.
 */
const BATCHES = 64;
const RECORDS_PER_BATCH = 16;
const RECORD_BYTES = 40 * 1024;
const TOTAL = BATCHES * RECORDS_PER_BATCH;
const MiB = 1024 * 1024;
/**
 * Generous: uncollected garbage alone (40 MiB of PutRecords bodies parsed, 40 MiB serialized for the healthy
 * subscriber, the frames the kernel took for the stalled ones) grows the server's RSS by some 150-180 MiB.
 */
const RSS_BOUND_BYTES = 300 * MiB;
/** Growth over the second 20 MiB (measured about 50 MiB): each stalled subscriber holds about one event, reached early. */
const SECOND_HALF_BOUND_BYTES = 100 * MiB;
const MAX_EVENTS = 2000;

/** The server's resident set, from /proc (Linux); undefined elsewhere, and that measurement is skipped. */
async function rssOf(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Record payload i: its index in the first bytes, the rest filler, so that order and identity are checkable. */
function payload(i: number): Buffer {
  const data = Buffer.alloc(RECORD_BYTES, i % 251);
  data.writeUInt32BE(i, 0);
  return data;
}

async function readAllSdk(stream: AsyncIterable<SubscribeToShardEventStream>, count: number): Promise<string[]> {
  const sequenceNumbers: string[] = [];
  let events = 0;
  for await (const message of stream) {
    for (const record of message.SubscribeToShardEvent?.Records ?? []) sequenceNumbers.push(record.SequenceNumber!);
    if (sequenceNumbers.length >= count || ++events >= MAX_EVENTS) break;
  }
  return sequenceNumbers;
}

async function readAllRaw(subscription: RawSubscription, count: number): Promise<{ sequenceNumbers: string[]; indexes: number[] }> {
  const sequenceNumbers: string[] = [];
  const indexes: number[] = [];
  let frames = 0;
  for await (const bytes of subscription.messages()) {
    const message = decodeEventStreamMessage(bytes)!;
    if (message.headers[':event-type']?.value === 'SubscribeToShardEvent') {
      for (const record of JSON.parse(message.payload.toString('utf8')).Records) {
        sequenceNumbers.push(record.SequenceNumber);
        indexes.push(Buffer.from(record.Data, 'base64').readUInt32BE(0));
      }
    }
    if (sequenceNumbers.length >= count || ++frames >= MAX_EVENTS) break;
  }
  return { sequenceNumbers, indexes };
}

const STALLED = [
  { name: 'stalled-h1-a', http: '1.1' },
  { name: 'stalled-h1-b', http: '1.1' },
  { name: 'stalled-h2-a', http: '2' },
  { name: 'stalled-h2-b', http: '2' },
] as const;

describe('a slow and a vanished subscriber', { timeout: 120_000 }, () => {
  let riffle: RiffleProcess;
  let client: KinesisClient;
  const consumers: Record<string, string> = {};
  const open: RawSubscription[] = [];

  before(async () => {
    riffle = await startRiffle();
    client = kinesisClient(riffle.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: 'slow', ShardCount: 1 }));
    await client.send(new CreateStreamCommand({ StreamName: 'bystander', ShardCount: 1 }));
    for (const name of [...STALLED.map((stalled) => stalled.name), 'healthy']) {
      consumers[name] = (await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn('slow'), ConsumerName: name })))
        .Consumer!.ConsumerARN!;
    }
  });
  after(async () => {
    for (const subscription of open) subscription.destroy();
    client?.destroy();
    await riffle?.stop();
  });

  it('keeps writers, pollers and other subscribers going, and buffers nothing for subscribers that stopped reading; then cleans up one that vanished', async () => {
    // Each stops reading right after the headers: nothing is read from its socket or HTTP/2 stream.
    const stalled: RawSubscription[] = [];
    for (const { name, http } of STALLED) {
      const subscription = await rawSubscribeToShard(
        riffle.endpoint,
        { ConsumerARN: consumers[name], ShardId: SHARD, StartingPosition: { Type: 'TRIM_HORIZON' } },
        { http },
      );
      open.push(subscription);
      assert.equal(subscription.status, 200, name);
      stalled.push(subscription);
    }
    const vanishingAt = Date.now();
    const [stalledH1, , vanishing] = stalled as [RawSubscription, RawSubscription, RawSubscription, RawSubscription];

    const healthyController = new AbortController();
    const healthy = await client.send(
      new SubscribeToShardCommand({ ConsumerARN: consumers.healthy, ShardId: SHARD, StartingPosition: { Type: 'TRIM_HORIZON' } }),
      { abortSignal: healthyController.signal },
    );
    const healthyReading = readAllSdk(healthy.EventStream!, TOTAL);

    const pid = riffle.child.pid;
    const baseline = await rssOf(pid);
    let peak = baseline ?? 0;
    let atHalf: number | undefined;
    let peakSecondHalf = 0;
    const written: string[] = [];
    let iterator = (
      await client.send(new GetShardIteratorCommand({ StreamName: 'bystander', ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' }))
    ).ShardIterator!;
    for (let batch = 0; batch < BATCHES; batch++) {
      const result = await client.send(
        new PutRecordsCommand({
          StreamName: 'slow',
          Records: Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({ PartitionKey: 'k', Data: payload(batch * RECORDS_PER_BATCH + i) })),
        }),
      );
      assert.equal(result.FailedRecordCount ?? 0, 0);
      written.push(...result.Records!.map((entry) => entry.SequenceNumber!));
      // Other clients, while the subscribers are stalled.
      const put = await client.send(new PutRecordCommand({ StreamName: 'bystander', PartitionKey: 'b', Data: Buffer.from(`b-${batch}`) }));
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      assert.deepEqual(
        page.Records!.map((record) => record.SequenceNumber),
        [put.SequenceNumber],
        'GetRecords on another stream sees the record just written',
      );
      iterator = page.NextShardIterator!;
      const rss = await rssOf(pid);
      if (rss === undefined) continue;
      peak = Math.max(peak, rss);
      if (batch === BATCHES / 2 - 1) atHalf = rss;
      else if (batch >= BATCHES / 2) peakSecondHalf = Math.max(peakSecondHalf, rss);
    }

    assert.deepEqual(await healthyReading, written, 'a subscriber that reads gets every record, in order, while four others are stalled');
    healthyController.abort();
    if (baseline !== undefined && atHalf !== undefined) {
      const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
      const seen = `baseline ${mib(baseline)}, after 20 MiB ${mib(atHalf)}, peak ${mib(peak)}`;
      assert.ok(peak - baseline < RSS_BOUND_BYTES, `server RSS grew by ${mib(peak - baseline)} with ${STALLED.length} stalled subscribers (${seen})`);
      assert.ok(
        peakSecondHalf - atHalf < SECOND_HALF_BOUND_BYTES,
        `server RSS grew by ${mib(peakSecondHalf - atHalf)} over the second 20 MiB (${seen}): stalled subscribers are being buffered`,
      );
    }

    // A stalled HTTP/1.1 subscriber reads at last: everything, in order, nothing lost while it was stalled.
    const late = await readAllRaw(stalledH1, TOTAL);
    assert.deepEqual(late.sequenceNumbers, written);
    assert.deepEqual(late.indexes, Array.from({ length: TOTAL }, (_, i) => i));
    stalledH1.destroy();

    // An HTTP/2 one vanishes without a word. Once its 5 s are over (the window counts from the successful call,
    // not from the hang-up), the same consumer subscribes to the same shard again and is served.
    vanishing.destroy();
    const remaining = vanishingAt + 5_200 - Date.now();
    if (remaining > 0) await sleep(remaining);
    const again = await rawSubscribeToShard(riffle.endpoint, {
      ConsumerARN: consumers['stalled-h2-a'],
      ShardId: SHARD,
      StartingPosition: { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: written.at(-2) },
    });
    open.push(again);
    assert.equal(again.status, 200, again.status === 200 ? '' : (await again.body()).toString());
    const resumed = await readAllRaw(again, 1);
    assert.deepEqual(resumed.sequenceNumbers, [written.at(-1)]);
    again.destroy();
    // The server is still well: running, and answering.
    assert.equal(riffle.child.exitCode, null);
    const latest = await client.send(new GetShardIteratorCommand({ StreamName: 'slow', ShardId: SHARD, ShardIteratorType: 'LATEST' }));
    assert.ok(latest.ShardIterator);
  });
});
