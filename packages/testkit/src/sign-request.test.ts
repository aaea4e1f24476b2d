import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { presignRequest, signRequest } from './sign-request.js';

const example = {
  host: 'iam.amazonaws.com',
  method: 'GET',
  path: '/?Action=ListUsers&Version=2010-05-08',
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: Buffer.alloc(0),
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  service: 'iam',
  date: new Date('2015-08-30T12:36:00Z'),
};

describe('signRequest', () => {
  it("gives the signature of AWS's worked SigV4 example (IAM ListUsers, General Reference)", async () => {
    const headers = await signRequest(example);
    assert.equal(headers['x-amz-date'], '20150830T123600Z');
    assert.equal(
      headers.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });

  it('presigns into the query string and keeps X-Amz-Target a header', async () => {
    const { path, headers } = await presignRequest({
      ...example,
      method: 'POST',
      path: '/',
      service: 'kinesis',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.ListStreams' },
      body: Buffer.from('{}'),
    });
    const query = new URLSearchParams(path.slice(path.indexOf('?') + 1));
    assert.equal(query.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
    assert.equal(query.get('X-Amz-Credential'), 'AKIDEXAMPLE/20150830/us-east-1/kinesis/aws4_request');
    assert.equal(query.get('X-Amz-SignedHeaders'), 'content-type;host;x-amz-target');
    assert.match(query.get('X-Amz-Signature') ?? '', /^[0-9a-f]{64}$/);
    assert.equal(headers['x-amz-target'], 'Kinesis_20131202.ListStreams');
    assert.equal(headers.authorization, undefined);
  });
});
