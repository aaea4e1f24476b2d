import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';
const streamRate = (stream: string) => `Rate exceeded for stream ${stream} under account ${account}.`;
const accountRate = `Rate exceeded for account ${account}.`;

/** Calls until the first refusal (bounded), returning how many were answered before it and the refusal. */
async function callsUntilRefused(server: ConformanceServer, operation: string, input: unknown, bound: number) {
  for (let answered = 0; answered <= bound; answered++) {
    const res = await server.call(operation, input);
    if (res.status !== 200) return { answered, refusal: res };
  }
  return { answered: bound + 1, refusal: undefined };
}

describe('control-plane rate limits conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ accountId: account, controlPlaneLimits: true });
    for (const StreamName of ['a', 'b']) await server.call('CreateStream', { StreamName, ShardCount: 2 });
  });
  after(() => server.close());

  for (const [operation, rate, input, message] of [
    ['DescribeStream', 10, { StreamName: 'a' }, streamRate('a')],
    ['DescribeStreamSummary', 20, { StreamARN: `arn:aws:kinesis:us-east-1:${account}:stream/a` }, streamRate('a')],
    ['ListStreams', 5, {}, accountRate],
    ['DescribeLimits', 1, {}, accountRate],
    ['ListTagsForStream', 5, { StreamName: 'b' }, streamRate('b')],
  ] as const) {
    it(`allows ${operation} ${rate} times a second per account, then answers LimitExceededException`, async () => {
      await server.clock.advance(1000);
      const { answered, refusal } = await callsUntilRefused(server, operation, input, rate);
      assert.equal(answered, rate);
      expectError(refusal!, 'LimitExceededException', message, assert.deepEqual);
      // The bucket refills at the rate: one more call after 1/rate of a second.
      await server.clock.advance(Math.ceil(1000 / rate));
      assert.equal((await server.call(operation, input)).status, 200);
    });
  }

  it('counts DescribeStream per account: another stream shares the budget', async () => {
    await server.clock.advance(1000);
    for (let call = 0; call < 10; call++) await server.call('DescribeStream', { StreamName: call % 2 ? 'a' : 'b' });
    expectError(await server.call('DescribeStream', { StreamName: 'b' }), 'LimitExceededException', streamRate('b'), assert.deepEqual);
  });

  it('counts ListShards per stream, a NextToken for its stream', async () => {
    await server.clock.advance(1000);
    const first = await server.call('ListShards', { StreamName: 'a', MaxResults: 1 });
    assert.equal(first.status, 200);
    for (let call = 1; call < 1000; call++) assert.equal((await server.call('ListShards', { StreamName: 'a' })).status, 200);
    expectError(await server.call('ListShards', { NextToken: first.body.NextToken }), 'LimitExceededException', streamRate('a'), assert.deepEqual);
    assert.equal((await server.call('ListShards', { StreamName: 'b' })).status, 200);
  });

  it('refuses the sixth CreateStream in a second without creating its stream', async () => {
    await server.clock.advance(1000);
    const { answered, refusal } = await callsUntilRefused(server, 'CreateStream', { StreamName: 'new', ShardCount: 1 }, 5);
    // The first creates `new`, the second is answered ResourceInUseException: both count, as do three more.
    assert.equal(answered, 1);
    assert.equal(refusal!.body.__type, 'ResourceInUseException');
    for (let call = 0; call < 3; call++) await server.call('CreateStream', { StreamName: `n${call}`, ShardCount: 1 });
    expectError(await server.call('CreateStream', { StreamName: 'late', ShardCount: 1 }), 'LimitExceededException', streamRate('late'), assert.deepEqual);
    await server.clock.advance(1000);
    const names = (await server.call('ListStreams', {})).body.StreamNames;
    assert.deepEqual(names, ['a', 'b', 'n0', 'n1', 'n2', 'new']);
  });

  it('leaves the data plane and operations without a published rate alone', async () => {
    await server.clock.advance(1000);
    for (let call = 0; call < 30; call++) {
      assert.equal((await server.call('PutRecord', { StreamName: 'a', PartitionKey: 'k', Data: 'eA==' })).status, 200);
      assert.equal((await server.call('ListTagsForResource', { ResourceARN: `arn:aws:kinesis:us-east-1:${account}:stream/a` })).status, 200);
    }
  });
});
