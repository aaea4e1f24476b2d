import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import cbor from 'cbor';
import { kinesisCall, startRiffle, type RiffleProcess } from '@riffle/testkit';

/**
 * Requests shaped as the AWS SDK for Java (v1 and v2, hence KPL/KCL) sends them: application/x-amz-cbor-1.1, blobs as
 * byte strings, timestamps as tag 1 wrapping integer epoch *milliseconds* (SdkCborGenerator). Encoded and decoded
 * with the independent `cbor` package, not Riffle's own codec.
 */
describe('CBOR as the AWS SDK for Java sends it', () => {
  let riffle: RiffleProcess;
  const call = async (operation: string, input: Record<string, unknown>) => {
    const res = await kinesisCall(riffle.endpoint, operation, cbor.encode(input), 'application/x-amz-cbor-1.1');
    assert.equal(res.headers['content-type'], 'application/x-amz-cbor-1.1');
    return { status: res.status, body: res.body.length === 0 ? undefined : cbor.decodeFirstSync(res.body) };
  };

  before(async () => {
    riffle = await startRiffle();
  });
  after(async () => {
    await riffle.stop();
  });

  it('writes and reads binary records, with millisecond timestamps both ways', async () => {
    assert.equal((await call('CreateStream', { StreamName: 'java', ShardCount: 1 })).status, 200);
    const before = Date.now();
    const payload = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f]);
    const put = await call('PutRecord', { StreamName: 'java', PartitionKey: 'p', Data: payload });
    assert.equal(put.status, 200);
    assert.equal(put.body.ShardId, 'shardId-000000000000');

    // AT_TIMESTAMP with tag 1 + epoch milliseconds (not seconds): a second before the write finds the record.
    const iterator = await call('GetShardIterator', {
      StreamName: 'java', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP',
      Timestamp: new cbor.Tagged(1, before - 1000),
    });
    assert.equal(iterator.status, 200, JSON.stringify(iterator.body));
    const got = await call('GetRecords', { ShardIterator: iterator.body.ShardIterator, Limit: 10 });
    assert.equal(got.status, 200);
    assert.equal(got.body.Records.length, 1);
    const record = got.body.Records[0];
    assert.ok(Buffer.isBuffer(record.Data), 'blobs come back as CBOR byte strings');
    assert.deepEqual(record.Data, payload);
    assert.equal(record.SequenceNumber, put.body.SequenceNumber);
    // Response timestamps are plain integers of epoch milliseconds (AwsCborProtocolFactory: UNIX_TIMESTAMP_MILLIS).
    assert.equal(typeof record.ApproximateArrivalTimestamp, 'number');
    assert.ok(Number.isInteger(record.ApproximateArrivalTimestamp));
    assert.ok(record.ApproximateArrivalTimestamp >= before - 5000 && record.ApproximateArrivalTimestamp <= Date.now() + 5000);

    const summary = await call('DescribeStreamSummary', { StreamName: 'java' });
    assert.ok(Number.isInteger(summary.body.StreamDescriptionSummary.StreamCreationTimestamp));
  });

  it('puts a batch of binary records through PutRecords', async () => {
    await call('CreateStream', { StreamName: 'java-batch', ShardCount: 2 });
    const records = Array.from({ length: 10 }, (_, i) => ({ Data: Buffer.from([i, 255 - i]), PartitionKey: `k${i}` }));
    const put = await call('PutRecords', { StreamName: 'java-batch', Records: records });
    assert.equal(put.status, 200);
    assert.equal(put.body.FailedRecordCount, 0);
    assert.equal(put.body.Records.length, 10);
  });

  it('answers errors as CBOR maps with __type and message', async () => {
    const res = await call('DescribeStream', { StreamName: 'missing' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      __type: 'ResourceNotFoundException',
      message: 'Stream missing under account 000000000000 not found.',
    });
  });

  it('rejects a string where a timestamp belongs with the Coral wording', async () => {
    await call('CreateStream', { StreamName: 'java-ts', ShardCount: 1 });
    const res = await call('GetShardIterator', {
      StreamName: 'java-ts', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: 'yesterday',
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'SerializationException');
  });
});
