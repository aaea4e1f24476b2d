import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

/** Java's Date.toString() in UTC, as AWS prints iterator times. */
function javaDate(millis: number): string {
  const [day, month, date, year, time] = new Date(millis).toUTCString().replace(',', '').split(' ').filter(Boolean) as string[];
  // toUTCString: "Thu, 22 Jan 2015 01:22:02 GMT" -> "Thu Jan 22 01:22:02 UTC 2015"
  return `${day} ${date} ${month} ${time} UTC ${year}`;
}

describe('GetRecords conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'reads', ShardCount: 1 });
    const records = Array.from({ length: 25 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(`r${i}`).toString('base64') }));
    const put = await server.call('PutRecords', { StreamName: 'reads', Records: records });
    assert.equal(put.body.FailedRecordCount, 0);
  });
  after(() => server.close());

  const trimHorizon = async () =>
    (await server.call('GetShardIterator', { StreamName: 'reads', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' })).body
      .ShardIterator as string;

  it('pages through records in order with Limit and NextShardIterator', async () => {
    let iterator = await trimHorizon();
    const data: string[] = [];
    let previous = -1n;
    for (let round = 0; round < 10; round++) {
      const res = await server.call('GetRecords', { ShardIterator: iterator, Limit: 10 });
      assert.equal(res.status, 200);
      assert.ok(res.body.Records.length <= 10);
      for (const record of res.body.Records) {
        assert.ok(BigInt(record.SequenceNumber) > previous, 'sequence numbers strictly increase');
        previous = BigInt(record.SequenceNumber);
        assert.equal(typeof record.ApproximateArrivalTimestamp, 'number');
        data.push(Buffer.from(record.Data, 'base64').toString());
      }
      assert.equal(typeof res.body.NextShardIterator, 'string', 'an open shard always has a next iterator');
      iterator = res.body.NextShardIterator;
      if (res.body.Records.length === 0) {
        assert.equal(res.body.MillisBehindLatest, 0);
        break;
      }
    }
    assert.deepEqual(data, Array.from({ length: 25 }, (_, i) => `r${i}`));
  });

  it('returns records written after a LATEST iterator was taken', async () => {
    const latest = (await server.call('GetShardIterator', { StreamName: 'reads', ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' })).body.ShardIterator;
    assert.deepEqual((await server.call('GetRecords', { ShardIterator: latest })).body.Records, []);
    await server.call('PutRecord', { StreamName: 'reads', PartitionKey: 'late', Data: Buffer.from('late').toString('base64') });
    const res = await server.call('GetRecords', { ShardIterator: latest });
    assert.deepEqual(res.body.Records.map((r: any) => Buffer.from(r.Data, 'base64').toString()), ['late']);
  });

  it('expires iterators after 300000 ms with AWS\'s message', async () => {
    const issuedAt = server.clock.now();
    const iterator = await trimHorizon();
    await server.clock.advance(300_001);
    const now = server.clock.now();
    expectError(
      await server.call('GetRecords', { ShardIterator: iterator }),
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${javaDate(issuedAt)} while right now it is ${javaDate(now)} ` +
        'which is further in the future than the tolerated delay of 300000 milliseconds.',
      assert.deepEqual,
    );
  });

  it('rejects a forged or damaged iterator', async () => {
    const iterator = await trimHorizon();
    const damaged = Buffer.from(iterator, 'base64');
    damaged[damaged.length - 3]! ^= 0xff;
    for (const bad of ['AAAAAAAAAAE=', damaged.toString('base64'), 'not-an-iterator']) {
      expectError(await server.call('GetRecords', { ShardIterator: bad }), 'InvalidArgumentException', 'Invalid ShardIterator.', assert.deepEqual);
    }
  });

  it('validates Limit against the model range', async () => {
    const res = await server.call('GetRecords', { ShardIterator: await trimHorizon(), Limit: 0 });
    assert.equal(res.status, 400);
    assert.equal(
      res.body.message,
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });
});
