import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CborTag, type RequestCompletion, type RequestContext } from '@riffle/wire';
import { cloudTrailRecordOf } from './cloudtrail-record.js';
import { requestParametersOf } from './request-parameters.js';

const options = { region: 'eu-west-1', accountId: '111122223333', newEventId: () => 'event-1' };

function completion(operation: string, input: Record<string, unknown>, extra: Omit<Partial<RequestCompletion>, 'context'> & { context?: Partial<RequestContext> } = {}): RequestCompletion {
  const context: RequestContext = {
    requestId: 'request-1',
    protocol: 'json',
    targetPrefix: 'Kinesis_20131202',
    operation,
    accessKeyId: 'AKIDAUDIT',
    signingRegion: 'eu-west-1',
    httpVersion: '1.1',
    remoteAddress: '::ffff:10.1.2.3',
    secureTransport: false,
    signal: new AbortController().signal,
    ...extra.context,
  };
  return {
    input,
    output: undefined,
    status: 200,
    error: undefined,
    receivedAt: Date.parse('2026-03-04T05:06:07.890Z'),
    userAgent: 'aws-sdk-js/3.0',
    host: '127.0.0.1:4567',
    tls: undefined,
    ...extra,
    context,
  };
}

describe('CloudTrail record', () => {
  it('records a management call as CloudTrail does', () => {
    const record = cloudTrailRecordOf(completion('CreateStream', { StreamName: 'orders', ShardCount: 2 }), options);
    assert.deepEqual(record, {
      eventVersion: '1.08',
      userIdentity: { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', accessKeyId: 'AKIDAUDIT' },
      eventTime: '2026-03-04T05:06:07Z',
      eventSource: 'kinesis.amazonaws.com',
      eventName: 'CreateStream',
      awsRegion: 'eu-west-1',
      sourceIPAddress: '10.1.2.3',
      userAgent: 'aws-sdk-js/3.0',
      requestParameters: { streamName: 'orders', shardCount: 2 },
      responseElements: null,
      requestID: 'request-1',
      eventID: 'event-1',
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '111122223333',
      eventCategory: 'Management',
    });
    // CloudTrail's member order: errorCode and errorMessage sit between userAgent and requestParameters.
    assert.deepEqual(Object.keys(record).slice(0, 8), ['eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent']);
  });

  it('types a verified caller by its ARN', () => {
    const user = cloudTrailRecordOf(
      completion('ListStreams', {}, { context: { caller: { accessKeyId: 'AKIDREADER', accountId: '444455556666', arn: 'arn:aws:iam::444455556666:user/reader' } } }),
      options,
    );
    assert.deepEqual(user.userIdentity, { type: 'IAMUser', principalId: 'AKIDREADER', arn: 'arn:aws:iam::444455556666:user/reader', accountId: '444455556666', accessKeyId: 'AKIDREADER', userName: 'reader' });
    assert.equal(user.recipientAccountId, '444455556666');
    assert.equal(user.readOnly, true);
    assert.equal(user.requestParameters, null);
    const root = cloudTrailRecordOf(completion('ListStreams', {}, { context: { caller: { accessKeyId: 'AKIDROOT', accountId: '444455556666', arn: 'arn:aws:iam::444455556666:root' } } }), options);
    assert.deepEqual(root.userIdentity, { type: 'Root', principalId: '444455556666', arn: 'arn:aws:iam::444455556666:root', accountId: '444455556666', accessKeyId: 'AKIDROOT' });
  });

  it('names the resource owner of a cross-account call as the recipient', () => {
    const record = cloudTrailRecordOf(completion('DescribeStreamSummary', { StreamARN: 'arn:aws:kinesis:eu-west-1:999988887777:stream/shared' }), options);
    assert.equal(record.recipientAccountId, '999988887777');
    assert.deepEqual(record.requestParameters, { streamARN: 'arn:aws:kinesis:eu-west-1:999988887777:stream/shared' });
  });

  it('records a failure with errorCode and errorMessage, and no response elements', () => {
    const record = cloudTrailRecordOf(
      completion('DescribeStream', { StreamName: 'missing' }, { status: 400, error: { type: 'ResourceNotFoundException', message: 'Stream missing under account 111122223333 not found.' } }),
      options,
    );
    assert.equal(record.errorCode, 'ResourceNotFoundException');
    assert.equal(record.errorMessage, 'Stream missing under account 111122223333 not found.');
    assert.equal(record.responseElements, null);
    assert.deepEqual(Object.keys(record).slice(8, 10), ['errorCode', 'errorMessage']);
  });

  it('keeps the signature that IncompleteSignatureException repeats out of the record', () => {
    const message = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=AKIDX/20260304/eu-west-1/kinesis/aws4_request, SignedHeaders=host, Signature=deadbeefcafe";
    const record = cloudTrailRecordOf(completion('ListStreams', {}, { status: 400, error: { type: 'IncompleteSignatureException', message } }), options);
    assert.equal(record.errorMessage, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=(redacted)");
    assert.equal(record.userIdentity.type, 'Unknown');
    assert.ok(!JSON.stringify(record).includes('deadbeefcafe'));
  });

  it('classes the data plane as CloudTrail data events and keeps useful response elements', () => {
    const record = cloudTrailRecordOf(
      completion('PutRecord', { StreamName: 'orders', PartitionKey: 'k', Data: 'c2VjcmV0LXBheWxvYWQ=' }, { output: { ShardId: 'shardId-000000000000', SequenceNumber: '4960', EncryptionType: 'NONE' } }),
      options,
    );
    assert.equal(record.eventCategory, 'Data');
    assert.equal(record.managementEvent, false);
    assert.equal(record.readOnly, false);
    assert.deepEqual(record.requestParameters, { streamName: 'orders', partitionKey: 'k' });
    assert.deepEqual(record.responseElements, { shardId: 'shardId-000000000000', sequenceNumber: '4960', encryptionType: 'NONE' });
    const read = cloudTrailRecordOf(completion('GetShardIterator', { StreamName: 'orders', ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }, { output: { ShardIterator: 'bearer' } }), options);
    assert.equal(read.readOnly, true);
    assert.equal(read.responseElements, null, 'a shard iterator is a bearer token');
  });

  it('adds tlsDetails for TLS requests', () => {
    const record = cloudTrailRecordOf(completion('ListStreams', {}, { tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' } }), options);
    assert.deepEqual(record.tlsDetails, { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_256_GCM_SHA384', clientProvidedHostHeader: '127.0.0.1:4567' });
    assert.equal(cloudTrailRecordOf(completion('ListStreams', {}), options).tlsDetails, undefined);
  });
});

describe('requestParameters', () => {
  it('never records data: PutRecords keeps its stream and a count', () => {
    const input = { StreamName: 'orders', Records: [{ Data: 'cGF5bG9hZA==', PartitionKey: 'user-1' }, { Data: 'cGF5bG9hZA==', PartitionKey: 'user-2' }] };
    assert.deepEqual(requestParametersOf('PutRecords', input, 'json'), { streamName: 'orders', recordCount: 2 });
    assert.deepEqual(requestParametersOf('PutRecord', { StreamName: 'orders', Data: new Uint8Array([1, 2, 3]), PartitionKey: 'p' }, 'cbor'), { streamName: 'orders', partitionKey: 'p' });
  });

  it('lower-cases member names but keeps tag keys as sent', () => {
    assert.deepEqual(requestParametersOf('AddTagsToStream', { StreamName: 's', Tags: { CostCenter: 'A1', team: 'x' } }, 'json'), {
      streamName: 's',
      tags: { CostCenter: 'A1', team: 'x' },
    });
    assert.deepEqual(requestParametersOf('SplitShard', { StreamName: 's', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '11111111' }, 'json'), {
      streamName: 's',
      shardToSplit: 'shardId-000000000000',
      newStartingHashKey: '11111111',
    });
  });

  it('renders timestamps of both protocols as ISO dates and drops what the model does not have', () => {
    const json = requestParametersOf('GetShardIterator', { StreamName: 's', ShardId: 'x', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: 1700000000, Bogus: 'dropped' }, 'json');
    assert.deepEqual(json, { streamName: 's', shardId: 'x', shardIteratorType: 'AT_TIMESTAMP', timestamp: '2023-11-14T22:13:20.000Z' });
    const cbor = requestParametersOf('GetShardIterator', { StreamName: 's', ShardId: 'x', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new CborTag(1, 1700000000000) }, 'cbor');
    assert.equal(cbor?.timestamp, '2023-11-14T22:13:20.000Z');
  });

  it('takes malformed input without throwing and bounds what it keeps', () => {
    assert.deepEqual(requestParametersOf('CreateStream', { StreamName: { nested: true }, ShardCount: 'two' }, 'json'), null);
    const long = requestParametersOf('CreateStream', { StreamName: 'x'.repeat(10_000) }, 'json');
    assert.equal((long?.streamName as string).length, 128);
    assert.equal(requestParametersOf('NoSuchOperation', { A: 1 }, 'json'), null);
  });
});
