import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authorizationHeaders, rawRequest, startRiffle, type RiffleProcess } from '@riffle/testkit';

/**
 * What AWS answers before an operation runs, in AWS's order of checks (reverse-engineered from live AWS by
 * kinesalite, index.js and test/connection.js), through the real server.
 */
describe('pre-dispatch errors and response headers', () => {
  let riffle: RiffleProcess;
  before(async () => {
    riffle = await startRiffle();
  });
  after(async () => {
    await riffle.stop();
  });

  const json = 'application/x-amz-json-1.1';
  const post = (headers: Record<string, string>, body = '{}', path = '/') =>
    rawRequest(riffle.endpoint, { method: 'POST', path, headers, body });
  const errorOf = (res: { body: Buffer }) => JSON.parse(res.body.toString('utf8'));

  it('answers a non-POST method with 403 AccessDeniedException in XML', async () => {
    const res = await rawRequest(riffle.endpoint, { method: 'GET' });
    assert.equal(res.status, 403);
    assert.match(res.body.toString(), /<AccessDeniedException>\s*<Message>Unable to determine service\/operation name to be authorized<\/Message>\s*<\/AccessDeniedException>/);
  });

  it('answers an unknown content type with 403 without a target and 404 with one', async () => {
    const noTarget = await post({ 'Content-Type': 'text/plain' });
    assert.equal(noTarget.status, 403);
    assert.match(noTarget.body.toString(), /AccessDeniedException/);
    const withTarget = await post({ 'Content-Type': 'text/plain', 'X-Amz-Target': 'Kinesis_20131202.ListStreams' });
    assert.equal(withTarget.status, 404);
    assert.match(withTarget.body.toString(), /<UnknownOperationException\/>/);
  });

  it('answers a missing, malformed or unknown target with UnknownOperationException', async () => {
    for (const target of [undefined, 'Kinesis_20131202', 'Kinesis_20131202.NoSuchOperation', 'DynamoDB_20120810.ListTables']) {
      const res = await post({ 'Content-Type': json, ...(target ? { 'X-Amz-Target': target } : {}), ...authorizationHeaders() });
      assert.equal(res.status, 400, String(target));
      assert.deepEqual(errorOf(res), { __type: 'UnknownOperationException' });
    }
  });

  it('answers an empty body with SerializationException for a known operation', async () => {
    const res = await post({ 'Content-Type': json, 'X-Amz-Target': 'Kinesis_20131202.ListStreams', ...authorizationHeaders() }, '');
    assert.equal(res.status, 400);
    assert.deepEqual(errorOf(res), { __type: 'SerializationException' });
  });

  it('requires a SigV4 Authorization header (or presigned query) with all its parts', async () => {
    const target = { 'Content-Type': json, 'X-Amz-Target': 'Kinesis_20131202.ListStreams' };
    const missing = await post(target);
    assert.equal(missing.status, 400);
    assert.deepEqual(errorOf(missing), { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });

    const incomplete = await post({ ...target, Authorization: 'AWS4-HMAC-SHA256' });
    assert.equal(incomplete.status, 400);
    assert.deepEqual(errorOf(incomplete), {
      __type: 'IncompleteSignatureException',
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either " +
        "a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
    });

    const both = await post({ ...target, ...authorizationHeaders() }, '{}', '/?X-Amz-Algorithm=AWS4-HMAC-SHA256');
    assert.deepEqual(errorOf(both), {
      __type: 'InvalidSignatureException',
      message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    });
  });

  it('answers an operation Kinesis does not have with UnknownOperationException', async () => {
    const res = await post({ 'Content-Type': json, 'X-Amz-Target': 'Kinesis_20131202.ReshardEverything', ...authorizationHeaders() });
    assert.equal(res.status, 400);
    assert.deepEqual(errorOf(res), { __type: 'UnknownOperationException' });
  });

  it('stamps every response with request ids and the error type header', async () => {
    const ok = await post({ 'Content-Type': json, 'X-Amz-Target': 'Kinesis_20131202.ListStreams', ...authorizationHeaders() });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['content-type'], json);
    assert.match(String(ok.headers['x-amzn-requestid']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(Buffer.from(String(ok.headers['x-amz-id-2']), 'base64').length, 72);

    const missing = await post({ 'Content-Type': json, 'X-Amz-Target': 'Kinesis_20131202.DescribeStream', ...authorizationHeaders() }, '{"StreamName":"none"}');
    assert.equal(missing.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    assert.notEqual(missing.headers['x-amzn-requestid'], ok.headers['x-amzn-requestid']);
  });
});
