import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';

// What the NATS fault tests produce and what they check it against. A shared module beside the tests (not a test
// file itself), so the short run and the long soak check the same guarantees.
//
// What Riffle guarantees, and so what is asserted:
// - A record acknowledged by a PutRecords call that took one attempt is stored exactly once, at the sequence number
//   the acknowledgement gave. (Riffle's NATS store retries a publish whose ack was lost under the same message id,
//   which JetStream deduplicates: retries inside one Riffle node never duplicate.)
// - A call that took more than one attempt (an SDK retry after a 500 or a lost connection, or the test's own retry
//   on another node) is a new request each time: as on AWS, its records are stored at least once if acknowledged
//   and at most as many times as there were attempts; the acknowledged copy is at the sequence number the final
//   answer gave.
// - A record never acknowledged (its entry failed, or the call failed after every attempt) may still be stored, at
//   most once per attempt.
// - Sequence numbers strictly increase along a shard, and the acknowledged records of a partition key stand in the
//   order their producer's sequential calls were acknowledged.
// - Nothing is stored that no producer sent.

export interface SentRecord {
  readonly data: string;
  readonly key: string;
  readonly producer: number;
  readonly call: number;
  readonly index: number;
  /** Requests made for the call that carried it (SDK attempts summed over every node it was tried on). */
  attempts: number;
  ack?: { readonly shardId: string; readonly sequenceNumber: string };
}

export type Phase = string;

export interface CallOutcome {
  readonly producer: number;
  readonly call: number;
  readonly startedIn: Phase;
  readonly endedIn: Phase;
  readonly acked: number;
  readonly attempts: number;
}

export class Ledger {
  readonly sent = new Map<string, SentRecord>();
  readonly calls: CallOutcome[] = [];
  phase: Phase = 'before';

  /** Calls that began and ended in `phase` and had at least one record acknowledged. */
  ackedCallsIn(phase: Phase): number {
    return this.calls.filter((call) => call.startedIn === phase && call.endedIn === phase && call.acked > 0).length;
  }

  ackedCallsOf(producer: number): number {
    return this.calls.filter((call) => call.producer === producer && call.acked > 0).length;
  }

  get acknowledged(): SentRecord[] {
    return [...this.sent.values()].filter((record) => record.ack !== undefined);
  }
}

/** An error that came without an HTTP answer: refused, reset or hung-up connection (a node that is gone). */
export function isConnectionError(error: unknown): boolean {
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  if (metadata?.httpStatusCode === undefined) return true;
  // A node killed while its answer was on the way: the status line came, the body was cut ("Deserialization
  // error" with the socket's ECONNRESET in the message).
  return /ECONNRESET|socket hang up|EPIPE/.test(String((error as Error).message));
}

function attemptsOf(value: unknown, fallback: number): number {
  const attempts = (value as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : fallback;
}

export interface ProducerOptions {
  readonly id: number;
  readonly streamName: string;
  readonly ledger: Ledger;
  readonly keys: number;
  readonly recordsPerCall: number;
  /** Bound on calls, so a producer whose stop never comes still ends. */
  readonly maxCalls: number;
  readonly stopped: () => boolean;
  /** The client for a request of this call: alternating nodes, or the surviving one. */
  readonly client: (call: number, request: number) => KinesisClient;
  /** SDK attempts a client makes (for a thrown error without $metadata.attempts). */
  readonly sdkAttempts: number;
  /** Requests per call across nodes (the test's own retries on top of the SDK's; 1 for none). */
  readonly requestsPerCall: number;
  /** Whether a failed request is tried again (on the client `client(call, request + 1)` picks). */
  readonly retry: (error: unknown) => boolean;
}

/**
 * One producer: sequential PutRecords calls, records numbered per producer and call, spread over its own partition
 * keys (`p<producer>.k<key>`), payload `p<producer>.k<key>.c<call>.r<index>`. Entries that fail are not sent again
 * (they stay unacknowledged); a call that fails is given up after its requests.
 */
export async function produce(options: ProducerOptions): Promise<void> {
  const { ledger } = options;
  for (let call = 0; call < options.maxCalls && !options.stopped(); call++) {
    const startedIn = ledger.phase;
    const records: SentRecord[] = Array.from({ length: options.recordsPerCall }, (_, index) => {
      const key = `p${options.id}.k${index % options.keys}`;
      const record: SentRecord = { data: `${key}.c${call}.r${index}`, key, producer: options.id, call, index, attempts: 0 };
      ledger.sent.set(record.data, record);
      return record;
    });
    let acked = 0;
    let attempts = 0;
    for (let request = 0; request < options.requestsPerCall; request++) {
      try {
        const answer = await options.client(call, request).send(
          new PutRecordsCommand({
            StreamName: options.streamName,
            Records: records.map((record) => ({ Data: Buffer.from(record.data), PartitionKey: record.key })),
          }),
        );
        attempts += attemptsOf(answer, 1);
        for (const record of records) record.attempts = attempts;
        (answer.Records ?? []).forEach((entry, i) => {
          if (entry.SequenceNumber === undefined || entry.ShardId === undefined) return;
          records[i]!.ack = { shardId: entry.ShardId, sequenceNumber: entry.SequenceNumber };
          acked++;
        });
        break;
      } catch (error) {
        attempts += attemptsOf(error, options.sdkAttempts);
        for (const record of records) record.attempts = attempts;
        if (!options.retry(error)) break;
        await sleep(50);
      }
    }
    ledger.calls.push({ producer: options.id, call, startedIn, endedIn: ledger.phase, acked, attempts });
  }
}

export interface Verdict {
  readonly stored: number;
  readonly exactlyOnce: number;
  readonly retried: number;
  readonly unacknowledged: number;
  readonly unacknowledgedStored: number;
}

/** Checks every shard's records (as read from TRIM_HORIZON) against what the producers sent and were told. */
export function verifyShards(ledger: Ledger, shards: ReadonlyMap<string, readonly _Record[]>): Verdict {
  const problems: string[] = [];
  const found = new Map<string, { shardId: string; sequenceNumber: string }[]>();
  let stored = 0;
  for (const [shardId, records] of shards) {
    let previous: bigint | undefined;
    for (const record of records) {
      stored++;
      const sequence = BigInt(record.SequenceNumber!);
      if (previous !== undefined && sequence <= previous) problems.push(`${shardId}: sequence ${sequence} after ${previous}`);
      previous = sequence;
      const data = Buffer.from(record.Data!).toString();
      const sent = ledger.sent.get(data);
      if (!sent) problems.push(`${shardId}: a record no producer sent (${data.length} bytes)`);
      else if (record.PartitionKey !== sent.key) problems.push(`${data}: partition key ${record.PartitionKey}`);
      found.set(data, [...(found.get(data) ?? []), { shardId, sequenceNumber: record.SequenceNumber! }]);
    }
  }
  let exactlyOnce = 0;
  let retried = 0;
  let unacknowledged = 0;
  let unacknowledgedStored = 0;
  for (const record of ledger.sent.values()) {
    const copies = found.get(record.data) ?? [];
    if (record.ack) {
      const atAck = copies.filter((copy) => copy.shardId === record.ack!.shardId && copy.sequenceNumber === record.ack!.sequenceNumber);
      if (atAck.length !== 1) problems.push(`${record.data}: acknowledged at ${record.ack.shardId}/${record.ack.sequenceNumber}, stored ${atAck.length} times there`);
      if (record.attempts === 1) {
        exactlyOnce++;
        if (copies.length !== 1) problems.push(`${record.data}: acknowledged after one attempt, stored ${copies.length} times`);
      } else {
        retried++;
        if (copies.length > record.attempts) problems.push(`${record.data}: ${record.attempts} attempts, stored ${copies.length} times`);
      }
    } else {
      unacknowledged++;
      if (copies.length > 0) unacknowledgedStored++;
      if (copies.length > Math.max(1, record.attempts)) problems.push(`${record.data}: unacknowledged after ${record.attempts} attempts, stored ${copies.length} times`);
    }
  }
  // Per partition key, the acknowledged copies in acknowledgement order (call, then index: calls are sequential).
  const byKey = new Map<string, SentRecord[]>();
  for (const record of ledger.acknowledged) byKey.set(record.key, [...(byKey.get(record.key) ?? []), record]);
  for (const [key, records] of byKey) {
    records.sort((x, y) => x.call - y.call || x.index - y.index);
    for (let i = 1; i < records.length; i++) {
      const [before, now] = [records[i - 1]!.ack!, records[i]!.ack!];
      if (before.shardId !== now.shardId) problems.push(`${key}: records on ${before.shardId} and ${now.shardId}`);
      else if (BigInt(now.sequenceNumber) <= BigInt(before.sequenceNumber)) problems.push(`${key}: ${records[i]!.data} stored before ${records[i - 1]!.data}`);
    }
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  return { stored, exactlyOnce, retried, unacknowledged, unacknowledgedStored };
}

/** Polls `check` (bounded by attempts); fails with `what` if it never holds. */
export async function until(what: string, check: () => boolean | Promise<boolean>, attempts = 600, intervalMs = 100): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await check()) return;
    await sleep(intervalMs);
  }
  assert.fail(`gave up waiting: ${what}`);
}
