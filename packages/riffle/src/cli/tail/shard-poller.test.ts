import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TailRecord } from './record-formats.js';
import { pollShard, type IteratorPosition, type RecordsPage, type ShardCalls } from './shard-poller.js';

const record = (sequenceNumber: string): TailRecord => ({ shardId: 's', sequenceNumber, partitionKey: 'k', approximateArrivalTimestamp: undefined, data: Buffer.from(sequenceNumber) });
const page = (records: string[], next: string | undefined, millisBehindLatest = 0, children: RecordsPage['childShards'] = []): RecordsPage => ({ records: records.map(record), nextIterator: next, millisBehindLatest, childShards: children });
const awsError = (name: string) => Object.assign(new Error(name), { name });

/** A fake clock that a sleep moves forward, so the poller's pacing is seen without waiting. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return { now: () => now, sleep: async (ms: number) => { sleeps.push(ms); now += ms; }, sleeps, tick: (ms: number) => (now += ms) };
}

function scripted(answers: (RecordsPage | Error)[], iterators: IteratorPosition[] = []): ShardCalls & { getRecordsCalls: string[] } {
  let n = 0;
  const getRecordsCalls: string[] = [];
  return {
    getRecordsCalls,
    async getShardIterator(_shardId, position) {
      iterators.push(position);
      return `it-${iterators.length}`;
    },
    async getRecords(_shardId, iterator) {
      getRecordsCalls.push(iterator);
      const answer = answers[n++];
      if (answer === undefined) throw new Error('no more answers scripted');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

describe('pollShard', () => {
  it('reads a closed shard to its end and hands over its children, pacing calls at least 200 ms apart', async () => {
    const time = fakeTime();
    const seen: string[] = [];
    const calls = scripted([page(['1', '2'], 'n1', 5), page([], 'n2', 0), page(['3'], undefined, 0, [{ shardId: 'child', parents: ['s'] }])]);
    const end = await pollShard('s', { kind: 'TRIM_HORIZON' }, calls, { follow: true, signal: new AbortController().signal, sleep: time.sleep, now: time.now, emit: (r) => (seen.push(r.sequenceNumber), true) });
    assert.deepEqual(end, { kind: 'closed', children: [{ shardId: 'child', parents: ['s'] }] });
    assert.deepEqual(seen, ['1', '2', '3']);
    assert.deepEqual(calls.getRecordsCalls, ['it-1', 'n1', 'n2']);
    assert.deepEqual(time.sleeps, [200, 200]);
  });

  it('without --follow ends at the current end: an empty answer 0 ms behind', async () => {
    const time = fakeTime();
    const calls = scripted([page(['1'], 'n1', 0), page([], 'n2', 0)]);
    const end = await pollShard('s', { kind: 'LATEST' }, calls, { follow: false, signal: new AbortController().signal, sleep: time.sleep, now: time.now, emit: () => true });
    assert.deepEqual(end, { kind: 'caught-up' });
  });

  it('backs off when throttled, doubling, and goes on with the same iterator', async () => {
    const time = fakeTime();
    const throttled = awsError('ProvisionedThroughputExceededException');
    const calls = scripted([throttled, throttled, page(['1'], undefined)]);
    const end = await pollShard('s', { kind: 'TRIM_HORIZON' }, calls, { follow: true, signal: new AbortController().signal, sleep: time.sleep, now: time.now, emit: () => true, minIntervalMs: 200 });
    assert.equal(end.kind, 'closed');
    assert.deepEqual(calls.getRecordsCalls, ['it-1', 'it-1', 'it-1']);
    assert.deepEqual(time.sleeps, [200, 400], 'the backoff waits cover the pacing');
  });

  it('after an expired iterator asks for a new one just after the last record printed', async () => {
    const time = fakeTime();
    const iterators: IteratorPosition[] = [];
    const calls = scripted([page(['7'], 'n1', 0), awsError('ExpiredIteratorException'), page(['8'], undefined)], iterators);
    const seen: string[] = [];
    await pollShard('s', { kind: 'LATEST' }, calls, { follow: true, signal: new AbortController().signal, sleep: time.sleep, now: time.now, emit: (r) => (seen.push(r.sequenceNumber), true) });
    assert.deepEqual(iterators, [{ kind: 'LATEST' }, { kind: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '7' }]);
    assert.deepEqual(seen, ['7', '8']);
  });

  it('a LATEST iterator that expires before any record is renewed at the time it was taken, so nothing put meanwhile is skipped', async () => {
    const time = fakeTime();
    time.tick(1_700_000_000_000);
    const iterators: IteratorPosition[] = [];
    const calls = scripted([page([], 'n1', 0), awsError('ExpiredIteratorException'), page(['9'], undefined)], iterators);
    await pollShard('s', { kind: 'LATEST' }, calls, { follow: true, signal: new AbortController().signal, sleep: time.sleep, now: time.now, emit: () => true });
    assert.deepEqual(iterators, [{ kind: 'LATEST' }, { kind: 'AT_TIMESTAMP', timestamp: new Date(1_700_000_000_000) }]);
  });

  it('stops when emit wants no more, or when aborted; reports a vanished shard; rethrows other errors', async () => {
    const time = fakeTime();
    const options = { follow: true, sleep: time.sleep, now: time.now };
    const seen: string[] = [];
    const stopAtOne = await pollShard('s', { kind: 'TRIM_HORIZON' }, scripted([page(['1', '2'], 'n1')]), { ...options, signal: new AbortController().signal, emit: (r) => (seen.push(r.sequenceNumber), false) });
    assert.deepEqual([stopAtOne, seen], [{ kind: 'stopped' }, ['1']]);
    const aborted = new AbortController();
    aborted.abort();
    assert.deepEqual(await pollShard('s', { kind: 'TRIM_HORIZON' }, scripted([]), { ...options, signal: aborted.signal, emit: () => true }), { kind: 'stopped' });
    const gone = await pollShard('s', { kind: 'TRIM_HORIZON' }, scripted([awsError('ResourceNotFoundException')]), { ...options, signal: new AbortController().signal, emit: () => true });
    assert.equal(gone.kind, 'gone');
    await assert.rejects(pollShard('s', { kind: 'TRIM_HORIZON' }, scripted([awsError('AccessDeniedException')]), { ...options, signal: new AbortController().signal, emit: () => true }), /AccessDenied/);
  });
});
