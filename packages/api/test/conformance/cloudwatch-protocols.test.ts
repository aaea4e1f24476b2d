import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizationHeaders, kinesisJson, rawRequest } from '@riffle/testkit';
import { json10Call, monitoringHeaders, queryCall, startCloudWatchServer, type CloudWatchServer } from './cloudwatch-server.js';

describe('CloudWatch beside Kinesis on one port', () => {
  let server: CloudWatchServer;
  before(async () => {
    server = await startCloudWatchServer();
  });
  after(() => server.close());

  it("leaves Kinesis's answers as they were, also to requests that only look like CloudWatch's", async () => {
    assert.deepEqual(await kinesisJson(server.endpoint, 'ListStreams', {}), { status: 200, body: { StreamNames: [], HasMoreStreams: false, StreamSummaries: [] } });
    const json10 = await rawRequest(server.endpoint, { headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'Kinesis_20131202.ListStreams', ...authorizationHeaders() }, body: '{}' });
    assert.deepEqual([json10.status, json10.body.toString('utf8')], [404, '<UnknownOperationException/>\n']);
    const form = await rawRequest(server.endpoint, { headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...authorizationHeaders() }, body: 'Action=ListMetrics&Version=2009-05-15' });
    assert.equal(form.status, 403);
    assert.equal(form.body.toString('utf8'), '<AccessDeniedException>\n  <Message>Unable to determine service/operation name to be authorized</Message>\n</AccessDeniedException>\n');
    const targeted = await rawRequest(server.endpoint, {
      path: '/service/GraniteServiceVersion20100801/operation/ListMetrics',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'Kinesis_20131202.ListStreams', ...authorizationHeaders() },
      body: '{}',
    });
    assert.equal(targeted.status, 200);
    assert.deepEqual(JSON.parse(targeted.body.toString('utf8')).StreamNames, []);
  });

  it("answers the query protocol's framework errors: missing and unknown actions", async () => {
    const code = async (form: string) => {
      const response = await queryCall(server.endpoint, form);
      return [response.status, /<Code>([^<]*)<\/Code><Message>([^<]*)<\/Message>/.exec(response.body.toString('utf8'))?.slice(1)];
    };
    assert.deepEqual(await code('Version=2010-08-01'), [400, ['MissingAction', 'The request is missing an action or a required parameter.']]);
    assert.deepEqual(await code('Action=PutMetricData&Version=2010-08-01'), [
      400,
      ['InvalidAction', 'The action or operation requested is invalid. Verify that the action is typed correctly.'],
    ]);
    // A form that cannot be read names no Version: Kinesis's answer, as without CloudWatch.
    const unreadable = await queryCall(server.endpoint, 'Action=ListMetrics&Version=2010-08-01&Namespace=%ZZ');
    assert.deepEqual([unreadable.status, unreadable.headers['content-type']], [403, undefined]);
  });

  it('answers unknown operations in JSON 1.0 and rpc-v2-cbor with the query code in x-amzn-query-error', async () => {
    const json = await json10Call(server.endpoint, 'PutMetricData', {});
    assert.equal(json.status, 400);
    assert.equal(json.headers['x-amzn-query-error'], 'InvalidAction;Sender');
    assert.deepEqual(JSON.parse(json.body.toString('utf8')), { __type: 'com.amazon.coral.service#UnknownOperationException' });
    const cbor = await rawRequest(server.endpoint, {
      path: '/service/GraniteServiceVersion20100801/operation/PutMetricData',
      headers: { 'Content-Type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', ...monitoringHeaders() },
      body: Buffer.from([0xa0]),
    });
    assert.deepEqual([cbor.status, cbor.headers['smithy-protocol'], cbor.headers['x-amzn-query-error']], [400, 'rpc-v2-cbor', 'InvalidAction;Sender']);
  });

  it('wants a signature, as every AWS API does', async () => {
    const response = await rawRequest(server.endpoint, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListMetrics&Version=2010-08-01',
    });
    assert.equal(response.status, 400);
    assert.match(response.body.toString('utf8'), /<Code>MissingAuthenticationToken<\/Code><Message>Missing Authentication Token<\/Message>/);
  });
});
