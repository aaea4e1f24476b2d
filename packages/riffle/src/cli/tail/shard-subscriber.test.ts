import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TailRecord } from './record-formats.js';
import type { ChildShardInfo, IteratorPosition } from './shard-poller.js';
import { subscribeShard, type SubscribeCalls, type SubscribeOptions, type SubscriptionEvent } from './shard-subscriber.js';

const record = (sequenceNumber: string): TailRecord => ({ shardId: 's', sequenceNumber, partitionKey: 'k', approximateArrivalTimestamp: undefined, data: Buffer.from(sequenceNumber) });
const event = (records: string[], continuation: string | undefined, millisBehindLatest = 5, children: ChildShardInfo[] = []): SubscriptionEvent => ({
  records: records.map(record),
  continuationSequenceNumber: continuation,
  millisBehindLatest,
  childShards: children,
});
const awsError = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });
const dropped = () => Object.assign(new Error('stream closed'), { code: 'ERR_HTTP2_STREAM_ERROR' });

/** One subscription's script: its events, then how it ends (an error thrown mid-stream, or a normal end). */
type Subscription = { readonly events: SubscriptionEvent[]; readonly then?: Error } | Error;

/** Fake SubscribeToShard: each call takes the next script; a script that is an Error refuses the call. */
function scripted(subscriptions: Subscription[]): SubscribeCalls & { positions: IteratorPosition[] } {
  const positions: IteratorPosition[] = [];
  let n = 0;
  return {
    positions,
    async subscribe(_shardId, position) {
      positions.push(position);
      const script = subscriptions[n++];
      if (script === undefined) throw new Error('no more subscriptions scripted');
      if (script instanceof Error) throw script;
      return (async function* () {
        yield* script.events;
        if (script.then) throw script.then;
      })();
    },
  };
}

function fakeTime() {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  return { now: () => now, sleep: async (ms: number) => { sleeps.push(ms); now += ms; }, sleeps };
}

function options(overrides: Partial<SubscribeOptions> & { seen: string[] }): SubscribeOptions {
  const time = fakeTime();
  return { follow: true, signal: new AbortController().signal, sleep: time.sleep, now: time.now, emit: (r) => (overrides.seen.push(r.sequenceNumber), true), ...overrides };
}

describe('subscribeShard', () => {
  it('subscribes again after each subscription ends, from AFTER_SEQUENCE_NUMBER the last ContinuationSequenceNumber, and hands over the children at the end', async () => {
    const seen: string[] = [];
    const children = [{ shardId: 'child-1', parents: ['s'] }, { shardId: 'child-2', parents: ['s'] }];
    const calls = scripted([
      { events: [event(['1', '2'], '2'), event([], '2')] },
      // An idle event's continuation moves on even without records.
      { events: [event(['3'], '3'), event([], '4')] },
      { events: [event(['5'], undefined, 0, children)] },
    ]);
    const end = await subscribeShard('s', { kind: 'TRIM_HORIZON' }, calls, options({ seen }));
    assert.deepEqual(end, { kind: 'closed', children });
    assert.deepEqual(seen, ['1', '2', '3', '5']);
    assert.deepEqual(calls.positions, [
      { kind: 'TRIM_HORIZON' },
      { kind: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '2' },
      { kind: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '4' },
    ]);
  });

  it('an event carrying ChildShards ends the shard even if it has a continuation', async () => {
    const seen: string[] = [];
    const children = [{ shardId: 'merged', parents: ['s', 'other'] }];
    const end = await subscribeShard('s', { kind: 'LATEST' }, scripted([{ events: [event(['1'], '1', 0, children)] }]), options({ seen }));
    assert.deepEqual(end, { kind: 'closed', children });
  });

  it('ResourceInUseException on subscribing is retried with a doubling, bounded backoff, from the same position', async () => {
    const time = fakeTime();
    const seen: string[] = [];
    const inUse = awsError('ResourceInUseException');
    const calls = scripted([{ events: [event(['1'], '1')] }, inUse, inUse, inUse, inUse, { events: [event(['2'], undefined, 0)] }]);
    const end = await subscribeShard('s', { kind: 'TRIM_HORIZON' }, calls, options({ seen, sleep: time.sleep, now: time.now, firstBackoffMs: 500, longestBackoffMs: 2_000 }));
    assert.equal(end.kind, 'closed');
    assert.deepEqual(seen, ['1', '2']);
    assert.deepEqual(time.sleeps, [500, 1_000, 2_000, 2_000]);
    assert.deepEqual(calls.positions.slice(1), Array(5).fill({ kind: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '1' }));
  });

  it('gives up after maxFailures refusals in a row, throwing the last', async () => {
    const inUse = awsError('ResourceInUseException');
    const calls = scripted([inUse, inUse, inUse]);
    await assert.rejects(subscribeShard('s', { kind: 'LATEST' }, calls, options({ seen: [], maxFailures: 3 })), /ResourceInUseException/);
    assert.equal(calls.positions.length, 3);
  });

  it('after a dropped subscription it subscribes again from the last continuation; a record sent again is not printed twice', async () => {
    const seen: string[] = [];
    const notices: string[] = [];
    const calls = scripted([
      { events: [event(['1', '2'], '2')], then: dropped() },
      // A server that resends from an older point (or an event repeated): the records already printed are skipped.
      { events: [event(['2', '3'], '3')], then: awsError('InternalFailureException') },
      { events: [event(['3', '4'], undefined, 0, [])] },
    ]);
    const end = await subscribeShard('s', { kind: 'TRIM_HORIZON' }, calls, options({ seen, notice: (line, kind) => notices.push(`${kind}: ${line}`) }));
    assert.equal(end.kind, 'closed');
    assert.deepEqual(seen, ['1', '2', '3', '4']);
    assert.deepEqual(calls.positions.slice(1), [{ kind: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '2' }, { kind: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '3' }]);
    assert.ok(notices.some((line) => /^retry: the subscription to s ended/.test(line)), notices.join('\n'));
  });

  it('a subscription taken over by another reader is noticed and made again', async () => {
    const seen: string[] = [];
    const notices: string[] = [];
    const calls = scripted([{ events: [event(['1'], '1')], then: awsError('ResourceInUseException') }, { events: [event([], '1', 0)] }]);
    const end = await subscribeShard('s', { kind: 'TRIM_HORIZON' }, calls, options({ seen, follow: false, notice: (_line, kind) => notices.push(kind) }));
    assert.deepEqual(end, { kind: 'caught-up' });
    assert.ok(notices.includes('taken-over'));
  });

  it('a LATEST subscription that drops before its first event is made again at the time the first was asked for', async () => {
    const time = fakeTime();
    const calls = scripted([{ events: [], then: dropped() }, { events: [event(['9'], undefined, 0)] }]);
    await subscribeShard('s', { kind: 'LATEST' }, calls, options({ seen: [], sleep: time.sleep, now: time.now }));
    assert.deepEqual(calls.positions, [{ kind: 'LATEST' }, { kind: 'AT_TIMESTAMP', timestamp: new Date(1_700_000_000_000) }]);
  });

  it('without --follow ends at the first event 0 ms behind, after printing its records', async () => {
    const seen: string[] = [];
    const calls = scripted([{ events: [event(['1'], '1', 30), event(['2'], '2', 0), event(['3'], '3', 0)] }]);
    assert.deepEqual(await subscribeShard('s', { kind: 'TRIM_HORIZON' }, calls, options({ seen, follow: false })), { kind: 'caught-up' });
    assert.deepEqual(seen, ['1', '2']);
  });

  it('reports a vanished shard, stream or consumer; rethrows other refusals and a refused connection', async () => {
    const gone = await subscribeShard('s', { kind: 'LATEST' }, scripted([{ events: [event(['1'], '1')], then: awsError('ResourceNotFoundException') }]), options({ seen: [] }));
    assert.equal(gone.kind, 'gone');
    await assert.rejects(subscribeShard('s', { kind: 'LATEST' }, scripted([awsError('AccessDeniedException')]), options({ seen: [] })), /AccessDenied/);
    const midStream = scripted([{ events: [event(['1'], '1')], then: Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }) }]);
    await assert.rejects(subscribeShard('s', { kind: 'LATEST' }, midStream, options({ seen: [] })), /KMS key disabled/);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await assert.rejects(subscribeShard('s', { kind: 'LATEST' }, scripted([refused]), options({ seen: [] })), /ECONNREFUSED/);
  });

  it('stops when emit wants no more (--max-records), and when aborted while waiting for an event', async () => {
    const seen: string[] = [];
    const stopAtOne = await subscribeShard('s', { kind: 'TRIM_HORIZON' }, scripted([{ events: [event(['1', '2'], '2')] }]), options({ seen, emit: (r) => (seen.push(r.sequenceNumber), false) }));
    assert.deepEqual([stopAtOne, seen], [{ kind: 'stopped' }, ['1']]);

    // A subscription whose next event never comes: the abort ends the wait and closes the stream.
    const stop = new AbortController();
    let closed = false;
    const hanging: SubscribeCalls = {
      async subscribe() {
        return {
          [Symbol.asyncIterator]: () => ({
            next: () => new Promise<IteratorResult<SubscriptionEvent>>(() => undefined),
            return: async () => ((closed = true), { done: true as const, value: undefined }),
          }),
        };
      },
    };
    const reading = subscribeShard('s', { kind: 'LATEST' }, hanging, options({ seen: [], signal: stop.signal }));
    await new Promise((r) => setImmediate(r));
    stop.abort();
    assert.deepEqual(await reading, { kind: 'stopped' });
    assert.ok(closed, 'the event stream was closed');
  });
});
