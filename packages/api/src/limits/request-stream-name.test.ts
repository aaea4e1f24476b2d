import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodePageToken } from '../streams/page-token.js';
import { requestStreamName } from './request-stream-name.js';

describe('requestStreamName', () => {
  it('finds the stream a request names, however it names it', () => {
    const now = 1_000_000;
    assert.equal(requestStreamName({ StreamName: 'a' }, now), 'a');
    assert.equal(requestStreamName({ StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/b' }, now), 'b');
    assert.equal(requestStreamName({ ConsumerARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/c/consumer/x:1700000000' }, now), 'c');
    assert.equal(requestStreamName({ ResourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/d' }, now), 'd');
    assert.equal(requestStreamName({ NextToken: encodePageToken({ stream: 'e', createdAt: 1 }, now) }, now), 'e');
  });

  it('finds none where there is none', () => {
    const now = 1_000_000;
    assert.equal(requestStreamName({}, now), undefined);
    assert.equal(requestStreamName(undefined, now), undefined);
    assert.equal(requestStreamName({ NextToken: 'garbage' }, now), undefined);
    assert.equal(requestStreamName({ NextToken: encodePageToken({ stream: 'e' }, 0) }, now), undefined, 'expired');
    assert.equal(requestStreamName({ ResourceARN: 'arn:aws:s3:::bucket' }, now), undefined);
  });
});
