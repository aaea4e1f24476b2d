import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OutputSerializer } from '../../src/runtime/serialize.js';
import { kinesisShapes } from '../../src/generated/kinesis/shapes.js';
import type { GetRecordsOutput, DescribeStreamSummaryOutput } from '../../src/generated/kinesis/types.js';

const arrival = new Date(1459799926480);
const output: GetRecordsOutput = {
  Records: [
    { SequenceNumber: '1', ApproximateArrivalTimestamp: arrival, Data: new Uint8Array([104, 105]), PartitionKey: 'a' },
  ],
  NextShardIterator: 'it',
  MillisBehindLatest: 0,
};

describe('serialize', () => {
  it('writes JSON blobs as base64 and timestamps as epoch seconds with milliseconds', () => {
    const body = new OutputSerializer(kinesisShapes, 'json').serialize('GetRecordsOutput', output);
    assert.deepEqual(body, {
      Records: [{ SequenceNumber: '1', ApproximateArrivalTimestamp: 1459799926.48, Data: 'aGk=', PartitionKey: 'a' }],
      NextShardIterator: 'it',
      MillisBehindLatest: 0,
    });
    assert.equal(JSON.stringify((body as { Records: Array<{ ApproximateArrivalTimestamp: number }> }).Records[0]!.ApproximateArrivalTimestamp), '1459799926.48');
  });

  it('keeps CBOR blobs as bytes and writes timestamps as integer epoch milliseconds', () => {
    const body = new OutputSerializer(kinesisShapes, 'cbor').serialize('GetRecordsOutput', output) as {
      Records: Array<{ Data: Uint8Array; ApproximateArrivalTimestamp: number }>;
    };
    assert.ok(body.Records[0]!.Data instanceof Uint8Array);
    assert.deepEqual([...body.Records[0]!.Data], [104, 105]);
    assert.equal(body.Records[0]!.ApproximateArrivalTimestamp, 1459799926480);
  });

  it('drops undefined members and members the shape does not have', () => {
    const summary = {
      StreamDescriptionSummary: {
        StreamName: 's',
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
        StreamStatus: 'ACTIVE',
        RetentionPeriodHours: 24,
        StreamCreationTimestamp: new Date(1000),
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        OpenShardCount: 1,
        KeyId: undefined,
        internalState: 'secret',
      },
    } as DescribeStreamSummaryOutput;
    assert.deepEqual(new OutputSerializer(kinesisShapes, 'json').serialize('DescribeStreamSummaryOutput', summary), {
      StreamDescriptionSummary: {
        StreamName: 's',
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
        StreamStatus: 'ACTIVE',
        RetentionPeriodHours: 24,
        StreamCreationTimestamp: 1,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        OpenShardCount: 1,
      },
    });
  });

  it('serializes a 10000-record GetRecords with one compiled function per shape', () => {
    const serializer = new OutputSerializer(kinesisShapes, 'json');
    const records = Array.from({ length: 10000 }, (_, index) => ({
      SequenceNumber: String(index),
      ApproximateArrivalTimestamp: arrival,
      Data: Buffer.from(`record ${index}`),
      PartitionKey: `k${index}`,
    }));
    const body = serializer.serialize('GetRecordsOutput', { Records: records, MillisBehindLatest: 0 }) as {
      Records: Array<{ Data: string; SequenceNumber: string }>;
    };
    assert.equal(body.Records.length, 10000);
    assert.equal(Buffer.from(body.Records[9999]!.Data, 'base64').toString(), 'record 9999');
    assert.equal(serializer.forShape('Record'), serializer.forShape('Record'));
  });

  it('passes shapes without blobs or timestamps through unchanged', () => {
    const serializer = new OutputSerializer(kinesisShapes, 'json');
    assert.equal(serializer.forShape('StreamNameList'), null);
    const names = ['a', 'b'];
    assert.equal(serializer.serialize('StreamNameList', names), names);
  });
});
